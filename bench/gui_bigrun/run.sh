#!/usr/bin/env bash
# Builds and runs bench/gui_bigrun: the Evaluate results table on a 1,000,000-line run,
# offscreen — first rows, sort by a score, GUI stalls while scrolling, peak RSS — and the
# compare view on two 100,000-line runs (compare_100k_ms). The run's store
# is written once through core's StoreWriter (~1-2 min) and kept in the build tree; a rerun
# reuses it. Prints name=value lines, the acceptance figures last.
# Usage: [FB_BUILD_DIR=build] bench/gui_bigrun/run.sh   (QT_QPA_PLATFORM=xcb for a desktop)
set -euo pipefail
cd "$(dirname "$0")/../.."
BUILD="${FB_BUILD_DIR:-build}"
[ -f "$BUILD/build.ninja" ] \
    || cmake -S . -B "$BUILD" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
# A build tree configured before bench/gui_bigrun existed lacks the target: configure again.
cmake --build "$BUILD" --target bench_gui_bigrun bench_gui_compare >/dev/null 2>&1 \
    || { cmake -S . -B "$BUILD" -DFB_BUILD_BENCH=ON >/dev/null \
        && cmake --build "$BUILD" --target bench_gui_bigrun bench_gui_compare >/dev/null; }
exe="$BUILD/bench/gui_bigrun/bench_gui_bigrun"

# The store: rebuilt when missing, half-written (no stamp) or of an older content version.
LINES=1000000
VERSION="gui_bigrun store v1, $LINES lines"
store="$BUILD/bench/gui_bigrun/bigrun-$LINES.sqlite"
stamp="$store.ok"
if [ "$(head -n 1 "$stamp" 2>/dev/null)" != "$VERSION" ]; then
    rm -f "$store" "$store-wal" "$store-shm" "$stamp"
    echo "writing $store ..." >&2
    out="$("$exe" --build-store "$store" --lines "$LINES")"
    echo "$out" | sed -n 's/^build_s=/store_build_s=/p'
    { echo "$VERSION"; echo "$out"; } > "$stamp"
fi
run="$(sed -n 's/^run_id=//p' "$stamp")"
echo "store_mb=$(( $(stat -c %s "$store") / 1048576 ))"

# The compare view's store: two runs of 100,000 lines (a few seconds to write).
CLINES=100000
CVERSION="gui_compare store v1, $CLINES lines"
cstore="$BUILD/bench/gui_bigrun/compare-$CLINES.sqlite"
cstamp="$cstore.ok"
if [ "$(head -n 1 "$cstamp" 2>/dev/null)" != "$CVERSION" ]; then
    rm -f "$cstore" "$cstore-wal" "$cstore-shm" "$cstamp"
    echo "writing $cstore ..." >&2
    "$BUILD/bench/gui_bigrun/bench_gui_compare" --build-store "$cstore" --lines "$CLINES" >/dev/null
    echo "$CVERSION" > "$cstamp"
fi

export QT_QPA_PLATFORM=${QT_QPA_PLATFORM:-offscreen}
status=0
"$exe" --store "$store" --run "$run" | grep -v '^failures=' || status=1
# compare_100k_ms= and the compare view's own figures (its failures= line ends the output).
"$BUILD/bench/gui_bigrun/bench_gui_compare" --store "$cstore" || status=1
exit $status
