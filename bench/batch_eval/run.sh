#!/usr/bin/env bash
# bench/batch_eval: 2,000 rows x 2 variants through `flowbench-cli run` against flowbench-sim
# (the LLM SIMULATOR) at 50 ms latency and concurrency 64, into a fresh SQLite store.
# Floor = calls x latency / concurrency = 4,000 x 0.05 s / 64 = 3.1 s.
# Usage: bench/batch_eval/run.sh [rows=2000] [concurrency=64]
set -euo pipefail
cd "$(dirname "$0")/../.."
[ -f build/build.ninja ] || bash scripts/build.sh
cmake --build build --target flowbench-cli flowbench-sim >/dev/null
rows=${1:-2000}
conc=${2:-64}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
python3 - "$rows" > "$work/data.jsonl" <<'PY'
import json, sys
for i in range(int(sys.argv[1])):
    print(json.dumps({"text": f"Message {i}: I was charged twice for order {i * 7919 % 100000}."}))
PY
export FLOWBENCH_SIM="$PWD/build/app/flowbench-sim/flowbench-sim"
cli="$PWD/build/app/flowbench-cli/flowbench-cli"
start=$(date +%s.%N)
/usr/bin/time -f "%e %U %S %M" -o "$work/time0" "$cli" run bench/batch_eval/flow --data "$work/data.jsonl" \
    --column-mapping 'text=${data.text}' --variant '${classify.variant_0}' --concurrency "$conc" \
    --simulator --store "$work/store.sqlite" --name v0 --json > "$work/v0.json" 2>/dev/null
/usr/bin/time -f "%e %U %S %M" -o "$work/time1" "$cli" run bench/batch_eval/flow --data "$work/data.jsonl" \
    --column-mapping 'text=${data.text}' --variant '${classify.variant_1}' --concurrency "$conc" \
    --simulator --store "$work/store.sqlite" --name v1 --json > "$work/v1.json" 2>/dev/null
end=$(date +%s.%N)
python3 - "$rows" "$conc" "$start" "$end" "$work" <<'PY'
import json, sys
rows, conc, start, end, work = int(sys.argv[1]), int(sys.argv[2]), float(sys.argv[3]), float(sys.argv[4]), sys.argv[5]
calls = rows * 2
floor = calls * 0.050 / conc
wall = end - start
cpu = 0.0
rss = 0
for t in ("time0", "time1"):
    e, u, s, m = open(f"{work}/{t}").read().split()
    cpu += float(u) + float(s)
    rss = max(rss, int(m))
done = sum(json.load(open(f"{work}/{v}.json"))["completed_lines"] for v in ("v0", "v1"))
print(f"rows={rows}")
print(f"variants=2")
print(f"concurrency={conc}")
print(f"completed_lines={done}")
print(f"floor_s={floor:.2f}")
print(f"wall_s={wall:.2f}")
print(f"floor_ratio={wall / floor:.2f}")
print(f"cpu_s={cpu:.2f}")
print(f"cpu_us_per_call={cpu / calls * 1e6:.0f}")
print(f"peak_rss_mb={rss / 1024:.1f}")
PY
