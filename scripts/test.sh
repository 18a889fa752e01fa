#!/usr/bin/env bash
# Sets up, builds and runs the whole test suite: `scripts/test.sh [dev|asan|ci|ci-asan|tsan]` (default dev).
set -euo pipefail
cd "$(dirname "$0")/.."
preset="${1:-dev}"

bash scripts/setup.sh
cmake --preset "$preset"
cmake --build --preset "$preset"
ctest --preset "$preset" -j "$(nproc)"
