#!/usr/bin/env bash
# bench/batch_eval: 2,000 rows x 2 variants as ONE experiment (`flowbench-cli run --all-variants`:
# one process, one scheduler, one SQLite store) against flowbench-sim (the LLM SIMULATOR) at 50 ms
# latency and concurrency 64. Floor = calls x latency / concurrency = 4,000 x 0.05 s / 64 = 3.1 s.
# The simulator runs as its own process so the harness's CPU is measured alone. Calls are not
# streamed (--no-stream), as the floor assumes a fixed 50 ms response.
# Then, side by side, the same rows, prompts and models through promptfoo (its own Node process;
# wall, CPU, peak RSS, and the calls the simulator counted) against a fresh simulator with the
# same settings, when promptfoo is installed by bench/batch_eval/promptfoo/install.sh (or
# --with-promptfoo, which runs that first) and not turned off with --no-promptfoo; otherwise a
# one-line note on stderr.
# Then (unless --quick) 1,000,000 lines at zero latency: peak RSS and the store writer's time.
# The Flowbench experiment runs FB_REPEAT times (default 3), each into a fresh store, and the
# figures are the medians (peak RSS: the largest); each run's figures go to stderr. On a shared
# 2-core machine one run's CPU time varies by about 10 %.
# Each repeat runs twice, alternating: with the simulator at the default scheduling policy (the
# headline figures), and with the simulator's threads as SCHED_BATCH (`chrt --batch`), whose
# wake-ups never preempt the harness. On two cores the kernel wakes the simulator on the CPU of
# the harness thread that just sent it a request, and the simulator then preempts that thread
# (about one request in two): process switches a remote endpoint would not cause. The second
# figure (`*_sim_batch`) leaves them out; the difference is the simulator's share.
# Usage: bench/batch_eval/run.sh [--quick] [--with-promptfoo|--no-promptfoo] [rows=2000]
#                                [concurrency=64] [million_rows=1000000]
# FB_BUILD_DIR selects the build folder (default: build); FB_SKIP_BUILD=1 uses the binaries
# already built there without invoking the build; FB_PROMPTFOO_HOME the promptfoo install
# (default ${XDG_CACHE_HOME:-$HOME/.cache}/flowbench-bench/promptfoo).
set -euo pipefail
cd "$(dirname "$0")/../.."
quick=0
with_promptfoo=0
no_promptfoo=0
while [ $# -gt 0 ]; do
    case "$1" in
    --quick) quick=1; shift ;;
    --with-promptfoo) with_promptfoo=1; shift ;;
    --no-promptfoo) no_promptfoo=1; shift ;;
    *) break ;;
    esac
done
build=${FB_BUILD_DIR:-build}
if [ "${FB_SKIP_BUILD:-0}" != 1 ]; then
    [ -f "$build/build.ninja" ] || bash scripts/build.sh
    if ! cmake --build "$build" --target flowbench-cli flowbench-sim > /tmp/batch_eval_build.log 2>&1; then
        tail -30 /tmp/batch_eval_build.log >&2
        exit 1
    fi
fi
pf_home=${FB_PROMPTFOO_HOME:-${XDG_CACHE_HOME:-$HOME/.cache}/flowbench-bench/promptfoo}
if [ "$with_promptfoo" = 1 ]; then
    FB_PROMPTFOO_HOME="$pf_home" bash bench/batch_eval/promptfoo/install.sh >&2
fi
promptfoo=""
if [ "$no_promptfoo" = 1 ]; then
    :
elif [ -f "$pf_home/installed" ] && [ -x "$pf_home/bin/promptfoo" ]; then
    promptfoo="$pf_home/bin/promptfoo"
else
    echo "batch_eval: promptfoo not installed (bench/batch_eval/promptfoo/install.sh or --with-promptfoo); no side-by-side run" >&2
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
sim_stats() { # sim_stats FILE: the simulator's request counters (GET /stats)
    python3 -c 'import sys, urllib.request; sys.stdout.write(urllib.request.urlopen(sys.argv[1], timeout=10).read().decode())' \
        "http://127.0.0.1:$port/stats" > "$1"
}

# 1. 2,000 x 2 variants at 50 ms, FB_REPEAT times against one simulator.
repeat=${FB_REPEAT:-3}
gen "$rows" > "$work/data.jsonl"
start_sim '{"latency-ms": 50, "tokens": 4, "seed": 1}'
sim_policy() { # sim_policy other|batch: the scheduling policy of every simulator thread
    local t
    for t in /proc/"$sim_pid"/task/*; do
        chrt "--$1" -p 0 "${t##*/}" > /dev/null
    done
}
for i in $(seq "$repeat"); do
    for policy in other batch; do
        sim_policy "$policy"
        rm -f "$work"/store.sqlite*
        start=$(date +%s.%N)
        /usr/bin/time -f "%e %U %S %M" -o "$work/time" "$cli" run bench/batch_eval/flow \
            --data "$work/data.jsonl" --column-mapping 'text=${data.text}' --all-variants \
            --concurrency "$conc" --no-cache --no-stream --connections "$work/connections.yaml" \
            --store "$work/store.sqlite" --name xp --json > "$work/xp-$policy$i.json" 2>/dev/null
        end=$(date +%s.%N)
        echo "$start $end $(cat "$work/time")" >> "$work/runs-$policy"
    done
done
sim_policy other
sim_stats "$work/stats.json"
stop_sim

# 1b. The same with promptfoo: a config made from the flow (make_config.py), a fresh simulator
# with the same settings, concurrency $conc, cache off, no assertions, results to JSON and CSV.
pf_start=0
pf_end=0
pf_rc=0
if [ -n "$promptfoo" ]; then
    mkdir "$work/pf"
    start_sim '{"latency-ms": 50, "tokens": 4, "seed": 1}'
    python3 bench/batch_eval/promptfoo/make_config.py bench/batch_eval/flow "$work/data.jsonl" \
        "http://127.0.0.1:$port/v1" "$conc" "$work/pf" > /dev/null
    # Its state (SQLite results database, logs) goes to the work folder. Even with telemetry off,
    # promptfoo 0.123 posts one "telemetry disabled" event to r.promptfoo.app; a dead loopback
    # proxy for everything but 127.0.0.1 keeps the run on this machine.
    dead=http://127.0.0.1:9
    pf_env=(env -u npm_config_https_proxy -u npm_config_http_proxy -u npm_config_proxy
        -u npm_config_no_proxy -u all_proxy -u ALL_PROXY PROMPTFOO_CONFIG_DIR="$work/pf/home"
        "https_proxy=$dead" "HTTPS_PROXY=$dead" "http_proxy=$dead" "HTTP_PROXY=$dead"
        no_proxy=127.0.0.1 NO_PROXY=127.0.0.1)
    pf_start=$(date +%s.%N)
    "${pf_env[@]}" /usr/bin/time -f "%e %U %S %M" -o "$work/pf_time" "$promptfoo" eval \
        -c "$work/pf/promptfooconfig.json" --no-cache -j "$conc" --no-table --no-progress-bar \
        -o "$work/pf/results.json" "$work/pf/results.csv" > "$work/pf/eval.log" 2>&1 || pf_rc=$?
    pf_end=$(date +%s.%N)
    sim_stats "$work/pf_stats.json"
    stop_sim
    if [ "$pf_rc" != 0 ]; then
        echo "batch_eval: promptfoo exited with $pf_rc:" >&2
        tail -20 "$work/pf/eval.log" >&2
    fi
fi

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

python3 - "$rows" "$conc" "$repeat" "$work" "$quick" "$pf_start" "$pf_end" "$pf_rc" <<'PY'
import json, os, statistics, sys
rows, conc, repeat, work, quick = int(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3]), sys.argv[4], sys.argv[5] == "1"
pf_start, pf_end, pf_rc = float(sys.argv[6]), float(sys.argv[7]), int(sys.argv[8])
ok = True
calls = rows * 2
floor = calls * 0.050 / conc
def runs(policy):  # per repeat: wall s, cpu s, peak RSS MB
    walls, cpus, rsss = [], [], []
    for i, line in enumerate(open(f"{work}/runs-{policy}"), 1):
        start, end, e, u, s, m = line.split()
        walls.append(float(end) - float(start))
        cpus.append(float(u) + float(s))
        rsss.append(int(m) / 1024)
        sys.stderr.write(f"batch_eval: run {i}, simulator {policy}: wall {walls[-1]:.2f} s, cpu {cpus[-1] / calls * 1e6:.0f} us/call, user {float(u):.2f} s, sys {float(s):.2f} s, rss {rsss[-1]:.1f} MB\n")
    return walls, cpus, rsss
walls, cpus, rsss = runs("other")
bwalls, bcpus, brsss = runs("batch")
wall, cpu = statistics.median(walls), statistics.median(cpus)
done = []
for i in range(1, repeat + 1):
    for policy in ("other", "batch"):
        xp = json.load(open(f"{work}/xp-{policy}{i}.json"))
        done.append(sum(r["completed_lines"] for r in xp["runs"]))
print(f"rows={rows}")
print(f"variants={len(xp['runs'])}")
print(f"concurrency={conc}")
print(f"repeats={repeat}")
print(f"completed_lines={min(done)}")
print(f"floor_s={floor:.2f}")
print(f"wall_s={wall:.2f}")
print(f"floor_ratio={wall / floor:.2f}")
print(f"cpu_s={cpu:.2f}")
print(f"cpu_us_per_call={cpu / calls * 1e6:.0f}")
print(f"cpu_us_per_call_min={min(cpus) / calls * 1e6:.0f}")
print(f"cpu_us_per_call_max={max(cpus) / calls * 1e6:.0f}")
print(f"peak_rss_mb={max(rsss):.1f}")
print(f"wall_s_sim_batch={statistics.median(bwalls):.2f}")
print(f"floor_ratio_sim_batch={statistics.median(bwalls) / floor:.2f}")
print(f"cpu_us_per_call_sim_batch={statistics.median(bcpus) / calls * 1e6:.0f}")
print(f"cpu_us_per_call_sim_batch_min={min(bcpus) / calls * 1e6:.0f}")
print(f"cpu_us_per_call_sim_batch_max={max(bcpus) / calls * 1e6:.0f}")
def chat_calls(stats_file):  # requests the simulator answered on /v1/chat/completions
    return json.load(open(stats_file))["by_path"].get("/v1/chat/completions", 0)
print(f"calls={chat_calls(f'{work}/stats.json') // (2 * repeat)}")
if chat_calls(f'{work}/stats.json') != calls * 2 * repeat or min(done) != calls:
    sys.stderr.write(f"batch_eval: expected {calls} calls and lines per run\n")
    ok = False
if pf_start > 0:
    pf_wall = pf_end - pf_start
    e, u, s, m = open(f"{work}/pf_time").read().split()[-4:]
    pf_cpu = float(u) + float(s)
    pf_calls = chat_calls(f"{work}/pf_stats.json")
    try:
        st = json.load(open(f"{work}/pf/results.json"))["results"]["stats"]
        pf_results, pf_errors = st["successes"] + st["failures"] + st["errors"], st["errors"]
    except (OSError, ValueError, KeyError):
        pf_results, pf_errors = 0, calls
    print(f"promptfoo_calls={pf_calls}")
    print(f"promptfoo_results={pf_results}")
    print(f"promptfoo_errors={pf_errors}")
    print(f"promptfoo_wall_s={pf_wall:.2f}")
    print(f"promptfoo_floor_ratio={pf_wall / floor:.2f}")
    print(f"promptfoo_cpu_s={pf_cpu:.2f}")
    print(f"promptfoo_cpu_us_per_call={pf_cpu / calls * 1e6:.0f}")
    print(f"promptfoo_peak_rss_mb={int(m) / 1024:.1f}")
    print(f"speedup_vs_promptfoo={pf_wall / wall:.2f}")
    # Issue 3's absolute figures come from a reference 2-core machine on which promptfoo, in this
    # configuration (4,000 calls, 50 ms, -j 64, no cache), used 22.6 s of CPU: 5,650 us per call
    # (shared/reference/peers.md). promptfoo's CPU per call here, over that, says how much slower
    # this machine is; the CPU target, as a ratio to the peer measured in this same run, is
    # 100 us / 5,650 us.
    ref_pf_cpu_us = 22.6 / 4000 * 1e6
    pf_cpu_us = pf_cpu / calls * 1e6
    factor = pf_cpu_us / ref_pf_cpu_us
    print(f"promptfoo_reference_cpu_us_per_call={ref_pf_cpu_us:.0f}")
    print(f"machine_factor_vs_reference={factor:.2f}")
    print(f"cpu_ratio_vs_promptfoo={cpu / pf_cpu:.4f}")
    print(f"cpu_ratio_vs_promptfoo_target={100 / ref_pf_cpu_us:.4f}")
    print(f"cpu_us_per_call_at_reference_speed={cpu / calls * 1e6 / factor:.0f}")
    if pf_rc != 0 or pf_calls != calls or pf_results != calls or pf_errors != 0:
        sys.stderr.write(f"batch_eval: promptfoo did not make {calls} good calls (see above)\n")
        ok = False
if not quick:
    e, u, s, m = open(f"{work}/time_m").read().split()
    mj = json.load(open(f"{work}/million.json"))
    print(f"million_lines={mj['completed_lines']}")
    print(f"million_wall_s={float(e):.1f}")
    print(f"million_cpu_us_per_line={(float(u) + float(s)) / max(1, mj['completed_lines']) * 1e6:.0f}")
    print(f"million_peak_rss_mb={int(m) / 1024:.1f}")
    print(f"million_store_write_s={mj['store_write_s']:.1f}")
    print(f"million_store_write_cpu_s={mj['store_write_cpu_s']:.1f}")
    print(f"million_store_mb={os.path.getsize(f'{work}/million.sqlite') / 1e6:.0f}")
sys.exit(0 if ok else 1)
PY
