#!/usr/bin/env bash
# Screenshots of the workbench as a user sees it: a real X server (Xvfb) at exactly 1280x800
# with a window manager (openbox), the window shown at its default size, one simulated run of
# the sample flow, and the whole screen captured - so anything past the screen edge shows.
# For each language (en, pl, zh_CN) and palette (light, dark) it writes
# docs/screenshots/<language>-<palette>/<mode>.png.
# Usage: scripts/screenshots.sh [flow-folder] [build-dir]
set -euo pipefail
cd "$(dirname "$0")/.."
flow=${1:-flows/classification}
build=${2:-${FB_BUILD_DIR:-build}}

need=()
for p in xvfb openbox x11-utils fonts-noto-cjk qt6-translations-l10n; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || need+=("$p")
done
if [ ${#need[@]} -gt 0 ]; then
    SUDO=""
    if [ "$(id -u)" != 0 ]; then SUDO=sudo; fi
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get update -q
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -q --no-install-recommends "${need[@]}"
fi
# Up to date with the sources (translations included) before any picture is taken.
cmake --build "$build" --target flowbench flowbench-sim

display=:$((90 + RANDOM % 9))
Xvfb "$display" -screen 0 1280x800x24 -nolisten tcp >/dev/null 2>&1 &
xvfb=$!
work=$(mktemp -d)
cleanup() {
    [ -n "${wm:-}" ] && kill "$wm" 2>/dev/null || true
    kill "$xvfb" 2>/dev/null || true
    rm -rf "$work"
}
trap cleanup EXIT
for _ in $(seq 50); do
    DISPLAY=$display xdpyinfo >/dev/null 2>&1 && break
    sleep 0.1
done
DISPLAY=$display openbox >/dev/null 2>&1 &
wm=$!
sleep 1

for language in en pl zh_CN; do
    for palette in light dark; do
        out=docs/screenshots/$language-$palette
        mkdir -p "$out"
        # A throw-away config folder and workspace keep the pictures independent of this machine.
        rm -rf "$work/config" "$work/ws"
        mkdir -p "$work/config" "$work/ws"
        DISPLAY=$display XDG_CONFIG_HOME="$work/config" FLOWBENCH_SECRET_STORE=file \
            QT_QPA_PLATFORM=xcb LANG=C.UTF-8 \
            "$build/app/flowbench/flowbench" --workspace "$work/ws" --language "$language" \
            --theme "$palette" --screenshot "$out" "$flow"
        # Evaluate and Deploy are placeholders: one picture of each, in English and light.
        if [ "$language-$palette" != en-light ]; then
            rm -f "$out/deploy.png"
        fi
        echo "screenshots: $out"
    done
done
