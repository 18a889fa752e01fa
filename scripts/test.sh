#!/usr/bin/env bash
# Sets up, builds and runs the whole test suite: `scripts/test.sh [dev|asan|ci|ci-asan|tsan|windows]` (default dev).
set -euo pipefail
cd "$(dirname "$0")/.."
preset="${1:-dev}"

bash scripts/setup.sh
# The Windows build cross-compiles against a prefix of its own and runs the tests under wine.
if [ "$preset" = windows ]; then
  SONIABK_MINGW_PREFIX="$(bash scripts/setup_windows.sh)"
  export SONIABK_MINGW_PREFIX
fi
cmake --preset "$preset"
cmake --build --preset "$preset"
ctest --preset "$preset" -j "$(nproc)"
