#!/usr/bin/env bash
# Installs what is needed, builds everything, and runs the whole test suite with ctest.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh
bash scripts/build.sh
cd build
ctest --output-on-failure --no-tests=error -j2 --timeout 600
