#!/usr/bin/env bash
# Renders each workbench mode at 1280x800 offscreen into docs/screenshots/<mode>.png, on a
# sample flow (default flows/classification) run once against the bundled LLM SIMULATOR.
# Usage: scripts/screenshots.sh [flow-folder] [build-dir]
set -euo pipefail
cd "$(dirname "$0")/.."
flow=${1:-flows/classification}
build=${2:-build}
if [ ! -x "$build/app/flowbench/flowbench" ]; then
    cmake --build "$build" --target flowbench flowbench-sim
fi
workspace=$(mktemp -d)
config=$(mktemp -d)
trap 'rm -rf "$workspace" "$config"' EXIT
# A throw-away config folder and workspace keep the screenshots independent of this machine.
XDG_CONFIG_HOME="$config" QT_QPA_PLATFORM=offscreen FLOWBENCH_SECRET_STORE=file \
    "$build/app/flowbench/flowbench" --workspace "$workspace" --screenshot docs/screenshots "$flow"
ls -l docs/screenshots/*.png
