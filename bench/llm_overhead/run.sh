#!/usr/bin/env bash
# Builds and runs bench/llm_overhead (template, SSE, and harness CPU per LLM call).
# Usage: bench/llm_overhead/run.sh [calls=10000]
set -euo pipefail
cd "$(dirname "$0")/../.."
[ -f build/build.ninja ] || bash scripts/build.sh
cmake --build build --target bench_llm_overhead flowbench-sim >/dev/null
FLOWBENCH_SIM="$PWD/build/app/flowbench-sim/flowbench-sim" exec ./build/bench/llm_overhead/bench_llm_overhead "$@"
