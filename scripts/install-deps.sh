#!/usr/bin/env bash
# Installs the Debian 12 packages Flowbench needs to build, test and run.
# Safe to run repeatedly; does nothing when everything is present.
set -euo pipefail

packages=(
    build-essential cmake ninja-build pkg-config git
    libyaml-cpp-dev libcurl4-openssl-dev nlohmann-json3-dev libboost-dev
    libsqlite3-dev zlib1g-dev libmimalloc-dev libre2-dev
    qt6-base-dev qt6-base-dev-tools
    qt6-charts-dev libqt6opengl6-dev qt6-svg-dev qtkeychain-qt6-dev
    qt6-tools-dev qt6-tools-dev-tools qt6-l10n-tools qt6-translations-l10n fonts-dejavu-core
    python3 ccache time
)

missing=()
for p in "${packages[@]}"; do
    if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
        missing+=("$p")
    fi
done

if [ ${#missing[@]} -gt 0 ]; then
    echo "install-deps: installing ${missing[*]}"
    SUDO=""
    if [ "$(id -u)" != 0 ]; then SUDO=sudo; fi
    export DEBIAN_FRONTEND=noninteractive
    $SUDO apt-get update -q
    $SUDO apt-get install -y -q --no-install-recommends "${missing[@]}"
else
    echo "install-deps: all packages present"
fi
