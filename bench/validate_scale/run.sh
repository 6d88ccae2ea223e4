#!/usr/bin/env bash
# bench/validate_scale: `flowbench-cli validate` on generated flows of 50,000 and 200,000 nodes
# (bench/validate_scale/gen_flow.py: python and prompt nodes sharing one code file and one
# template, each reading the node before it, so the dependency chain is as deep as the flow).
# Prints the wall time of each validate (best of FB_REPEAT runs, default 1) and the peak RSS
# of the largest, as name=value lines; exits 1 when a flow is not reported valid with all its
# nodes. Usage: [FB_BUILD_DIR=build] [FB_SKIP_BUILD=1] bench/validate_scale/run.sh
#               [small_nodes=50000] [large_nodes=200000]
set -euo pipefail
cd "$(dirname "$0")/../.."
small=${1:-50000}
large=${2:-200000}
repeat=${FB_REPEAT:-1}
build=${FB_BUILD_DIR:-build}
if [ "${FB_SKIP_BUILD:-0}" != 1 ]; then
    [ -f "$build/build.ninja" ] || bash scripts/build.sh
    if ! cmake --build "$build" --target flowbench-cli > /tmp/validate_scale_build.log 2>&1; then
        tail -30 /tmp/validate_scale_build.log >&2
        exit 1
    fi
fi
cli="$build/app/flowbench-cli/flowbench-cli"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

# validate_once DIR NODES: prints "ms kb" for one run, or fails.
validate_once() {
    local start end
    start=$(date +%s%N)
    if ! /usr/bin/time -f "%M" -o "$work/rss" "$cli" validate "$1" > "$work/out" 2> "$work/err"; then
        echo "validate_scale: validate $1 failed:" >&2
        head -5 "$work/err" >&2
        return 1
    fi
    end=$(date +%s%N)
    if ! grep -q "valid (1 inputs, $2 nodes" "$work/out"; then
        echo "validate_scale: unexpected result for $2 nodes: $(cat "$work/out")" >&2
        return 1
    fi
    echo "$(( (end - start) / 1000000 )) $(tail -1 "$work/rss")"
}

peak_kb=0
for nodes in "$small" "$large"; do
    python3 bench/validate_scale/gen_flow.py "$nodes" "$work/flow$nodes"
    best=""
    for _ in $(seq "$repeat"); do
        read -r ms kb < <(validate_once "$work/flow$nodes" "$nodes") || exit 1
        if [ -z "$best" ] || [ "$ms" -lt "$best" ]; then best=$ms; fi
        if [ "$kb" -gt "$peak_kb" ]; then peak_kb=$kb; fi
    done
    label=$(( nodes / 1000 ))k
    [ $(( nodes % 1000 )) -eq 0 ] || label=$nodes
    echo "validate_${label}_nodes_ms=$best"
    echo "flow_${label}_nodes_mb=$(awk -v b="$(stat -c %s "$work/flow$nodes/flow.dag.yaml")" 'BEGIN { printf "%.1f", b / 1048576 }')"
done
awk -v k="$peak_kb" 'BEGIN { printf "peak_rss_mb=%.1f\n", k / 1024 }'
