#!/usr/bin/env bash
# Sets up, builds and runs the whole test suite: `scripts/test.sh [dev|asan|ci|ci-asan|tsan|windows]` (default dev).
# The S3 tests run against a private Ceph RADOS Gateway on 127.0.0.1 (scripts/rgw.sh), started for the run and
# stopped after it; SONIABK_TEST_S3_ENDPOINT already set (a gateway of your own) skips that.
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

if [ -z "${SONIABK_TEST_S3_ENDPOINT:-}" ] && [ "$preset" != tsan ]; then
  bash scripts/setup_rgw.sh >/dev/null
  rgw_dir="$(mktemp -d)"
  trap 'bash scripts/rgw.sh stop "$rgw_dir" >/dev/null; rm -rf "$rgw_dir"' EXIT
  bash scripts/rgw.sh start "$rgw_dir" >/dev/null
  # The tests' own names, so a developer's AWS_* credentials never reach a test.
  value() { sed -n "s/^$1=//p" "$rgw_dir/env"; }
  SONIABK_TEST_S3_ENDPOINT="$(value AWS_ENDPOINT_URL)"
  SONIABK_TEST_S3_ACCESS_KEY_ID="$(value AWS_ACCESS_KEY_ID)"
  SONIABK_TEST_S3_SECRET_ACCESS_KEY="$(value AWS_SECRET_ACCESS_KEY)"
  SONIABK_TEST_S3_REGION="$(value AWS_REGION)"
  export SONIABK_TEST_S3_ENDPOINT SONIABK_TEST_S3_ACCESS_KEY_ID SONIABK_TEST_S3_SECRET_ACCESS_KEY SONIABK_TEST_S3_REGION
fi
ctest --preset "$preset" -j "$(nproc)"
