#!/usr/bin/env bash
# The main job on built-in defaults: installs what is needed, builds, and runs one line of the
# sample chat flow, its answer streamed token by token, against the bundled LLM SIMULATOR
# (no API key needed). Extra arguments go to `flowbench-cli test`.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh
bash scripts/build.sh
exec ./build/app/flowbench-cli/flowbench-cli test flows/chat --simulator --stream "$@"
