#!/usr/bin/env bash
# Builds and runs bench/tokenizer: single-thread MB/s of fb::Tokenizer (cl100k_base, o200k_base)
# on a deterministic mixed corpus, and of js-tiktoken on Node on the same corpus when node and
# npm are available (js-tiktoken is installed once into a cache outside the repository;
# skipped when offline). Usage: [FB_BUILD_DIR=build] bench/tokenizer/run.sh [corpus_mb=4]
set -euo pipefail
cd "$(dirname "$0")/../.."
MB="${1:-4}"
JS_TIKTOKEN_VERSION=1.0.21
BUILD="${FB_BUILD_DIR:-build}"
[ -f "$BUILD/build.ninja" ] || bash scripts/build.sh
# A build tree configured before bench/tokenizer existed lacks the target: configure again.
cmake --build "$BUILD" --target bench_tokenizer >/dev/null 2>&1 \
    || { cmake -S . -B "$BUILD" -DFB_BUILD_BENCH=ON >/dev/null \
        && cmake --build "$BUILD" --target bench_tokenizer >/dev/null; }

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
"$BUILD/bench/tokenizer/bench_tokenizer" --mb "$MB" --write-corpus "$work/corpus.json" | tee "$work/cpp.txt"

cache="${XDG_CACHE_HOME:-$HOME/.cache}/flowbench/npm"
if ! command -v node >/dev/null || ! command -v npm >/dev/null; then
    echo "js_tiktoken=skipped (node or npm not found)"
    exit 0
fi
if [ ! -f "$cache/node_modules/js-tiktoken/package.json" ]; then
    mkdir -p "$cache"
    if ! npm install --prefix "$cache" --no-audit --no-fund --silent \
        "js-tiktoken@$JS_TIKTOKEN_VERSION" >/dev/null 2>&1; then
        echo "js_tiktoken=skipped (npm install js-tiktoken@$JS_TIKTOKEN_VERSION failed; offline?)"
        exit 0
    fi
fi
NODE_PATH="$cache/node_modules" node --single-threaded bench/tokenizer/js_tiktoken_bench.mjs \
    "$work/corpus.json" | tee "$work/js.txt"

value() { sed -n "s/^$1=//p" "$2"; }
for enc in cl100k o200k; do
    cpp="$(value "${enc}_mb_s" "$work/cpp.txt")"
    js="$(value "js_tiktoken_${enc}_mb_s" "$work/js.txt")"
    same=0
    [ "$(value "${enc}_tokens" "$work/cpp.txt")" = "$(value "js_tiktoken_${enc}_tokens" "$work/js.txt")" ] && same=1
    echo "${enc}_tokens_match=$same"
    awk -v a="$cpp" -v b="$js" -v e="$enc" 'BEGIN { printf "ratio_%s_vs_js_tiktoken=%.1f\n", e, a / b }'
done
