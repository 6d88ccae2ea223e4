#!/usr/bin/env bash
# The main job on built-in defaults: installs what is needed, builds, and opens the Flowbench
# workbench on the sample chat flow, run against the bundled LLM SIMULATOR (no API key needed;
# its answers are marked SIMULATED). Extra arguments go to `flowbench` (e.g. another flow folder).
# Without a display (no DISPLAY or WAYLAND_DISPLAY) it runs one line of the sample headless
# instead, its answer streamed token by token by `flowbench-cli`.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh
bash scripts/build.sh
if [ -n "${DISPLAY:-}${WAYLAND_DISPLAY:-}" ] || [ -n "${QT_QPA_PLATFORM:-}" ]; then
    exec ./build/app/flowbench/flowbench "${@:-flows/chat}"
fi
echo "No display found: running the sample flow headless (flowbench-cli) instead." >&2
exec ./build/app/flowbench-cli/flowbench-cli test flows/chat --simulator --stream
