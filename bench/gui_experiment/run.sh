#!/usr/bin/env bash
# Builds and runs bench/gui_experiment (workbench start-up, a 100-node flow, a node move, GUI
# stalls during a streaming run) offscreen. Prints name=value lines.
set -euo pipefail
cd "$(dirname "$0")/../.."
[ -f build/build.ninja ] || bash scripts/build.sh
cmake --build build --target bench_gui_experiment flowbench-sim >/dev/null
export QT_QPA_PLATFORM=${QT_QPA_PLATFORM:-offscreen}
FLOWBENCH_SIM="$PWD/build/app/flowbench-sim/flowbench-sim" \
    exec ./build/bench/gui_experiment/bench_gui_experiment "$@"
