#!/usr/bin/env bash
# bench/batch_eval: 2,000 rows x 2 variants as ONE experiment (`flowbench-cli run --all-variants`:
# one process, one scheduler, one SQLite store) against flowbench-sim (the LLM SIMULATOR) at 50 ms
# latency and concurrency 64. Floor = calls x latency / concurrency = 4,000 x 0.05 s / 64 = 3.1 s.
# The simulator runs as its own process so the harness's CPU is measured alone. Calls are not
# streamed (--no-stream), as the floor assumes a fixed 50 ms response.
# Then (unless --quick) 1,000,000 lines at zero latency: peak RSS and the store writer's time.
# Usage: bench/batch_eval/run.sh [--quick] [rows=2000] [concurrency=64] [million_rows=1000000]
# FB_BUILD_DIR selects the build folder (default: build).
set -euo pipefail
cd "$(dirname "$0")/../.."
quick=0
if [ "${1:-}" = "--quick" ]; then quick=1; shift; fi
build=${FB_BUILD_DIR:-build}
[ -f "$build/build.ninja" ] || bash scripts/build.sh
if ! cmake --build "$build" --target flowbench-cli flowbench-sim > /tmp/batch_eval_build.log 2>&1; then
    tail -30 /tmp/batch_eval_build.log >&2
    exit 1
fi
rows=${1:-2000}
conc=${2:-64}
million=${3:-1000000}
work=$(mktemp -d)
sim_pid=""
cleanup() { [ -n "$sim_pid" ] && kill "$sim_pid" 2>/dev/null; rm -rf "$work"; }
trap cleanup EXIT
sim="$(realpath "$build")/app/flowbench-sim/flowbench-sim"
cli="$(realpath "$build")/app/flowbench-cli/flowbench-cli"

gen() { # gen ROWS > FILE
python3 - "$1" <<'PY'
import json, sys
out = sys.stdout
for i in range(int(sys.argv[1])):
    out.write(json.dumps({"text": f"Message {i}: I was charged twice for order {i * 7919 % 100000}."}) + "\n")
PY
}

start_sim() { # start_sim CONFIG_JSON: starts the simulator, sets sim_pid and port
    echo "$1" > "$work/sim.json"
    "$sim" --host 127.0.0.1 --port 0 --config "$work/sim.json" > "$work/sim.out" 2>&1 &
    sim_pid=$!
    for _ in $(seq 100); do
        port=$(grep -o 'listening http://127.0.0.1:[0-9]*' "$work/sim.out" | grep -o '[0-9]*$' || true)
        [ -n "$port" ] && break
        sleep 0.05
    done
    [ -n "$port" ] || { echo "simulator did not start" >&2; cat "$work/sim.out" >&2; exit 1; }
    printf 'name: open_ai_connection\ntype: open_ai\napi_key: sim\nbase_url: http://127.0.0.1:%s/v1\n' \
        "$port" > "$work/connections.yaml"
}
stop_sim() { kill "$sim_pid"; wait "$sim_pid" 2>/dev/null || true; sim_pid=""; }

# 1. 2,000 x 2 variants at 50 ms.
gen "$rows" > "$work/data.jsonl"
start_sim '{"latency-ms": 50, "tokens": 4, "seed": 1}'
start=$(date +%s.%N)
/usr/bin/time -f "%e %U %S %M" -o "$work/time" "$cli" run bench/batch_eval/flow --data "$work/data.jsonl" \
    --column-mapping 'text=${data.text}' --all-variants --concurrency "$conc" --no-cache --no-stream \
    --connections "$work/connections.yaml" --store "$work/store.sqlite" --name xp --json \
    > "$work/xp.json" 2>/dev/null
end=$(date +%s.%N)
stop_sim

if [ "$quick" = 0 ]; then
    # 2. 1,000,000 lines, one variant, at zero latency.
    gen "$million" > "$work/million.jsonl"
    start_sim '{"latency-ms": 0, "tokens": 4, "seed": 1}'
    /usr/bin/time -f "%e %U %S %M" -o "$work/time_m" "$cli" run bench/batch_eval/flow \
        --data "$work/million.jsonl" --column-mapping 'text=${data.text}' --concurrency "$conc" \
        --no-cache --no-stream --connections "$work/connections.yaml" --store "$work/million.sqlite" \
        --name million --json > "$work/million.json" 2>/dev/null
    stop_sim
fi

python3 - "$rows" "$conc" "$start" "$end" "$work" "$quick" <<'PY'
import json, os, sys
rows, conc, start, end, work, quick = int(sys.argv[1]), int(sys.argv[2]), float(sys.argv[3]), float(sys.argv[4]), sys.argv[5], sys.argv[6] == "1"
calls = rows * 2
floor = calls * 0.050 / conc
wall = end - start
e, u, s, m = open(f"{work}/time").read().split()
cpu = float(u) + float(s)
xp = json.load(open(f"{work}/xp.json"))
done = sum(r["completed_lines"] for r in xp["runs"])
print(f"rows={rows}")
print(f"variants={len(xp['runs'])}")
print(f"concurrency={conc}")
print(f"completed_lines={done}")
print(f"floor_s={floor:.2f}")
print(f"wall_s={wall:.2f}")
print(f"floor_ratio={wall / floor:.2f}")
print(f"cpu_s={cpu:.2f}")
print(f"cpu_us_per_call={cpu / calls * 1e6:.0f}")
print(f"peak_rss_mb={int(m) / 1024:.1f}")
if not quick:
    e, u, s, m = open(f"{work}/time_m").read().split()
    mj = json.load(open(f"{work}/million.json"))
    print(f"million_lines={mj['completed_lines']}")
    print(f"million_wall_s={float(e):.1f}")
    print(f"million_cpu_us_per_line={(float(u) + float(s)) / max(1, mj['completed_lines']) * 1e6:.0f}")
    print(f"million_peak_rss_mb={int(m) / 1024:.1f}")
    print(f"million_store_write_s={mj['store_write_s']:.1f}")
    print(f"million_store_mb={os.path.getsize(f'{work}/million.sqlite') / 1e6:.0f}")
PY
