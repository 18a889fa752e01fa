#!/usr/bin/env bash
# Builds the libFuzzer targets (preset `fuzz`: clang, ASan + UBSan) and runs each from the committed seeds in
# fuzz/corpus/<target>; any crash, leak or sanitizer report fails. FUZZ_RUNS=N runs N inputs from seed 1, the
# same inputs on every machine (CI); otherwise each target runs for FUZZ_SECONDS (30), FUZZ_SECONDS=3600 for
# a long run. `scripts/fuzz.sh [TARGET...]`. Findings land in build/fuzz/findings/.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${FUZZ_SECONDS:-30}
budget=(-max_total_time="$seconds")
[ -z "${FUZZ_RUNS:-}" ] || budget=(-runs="$FUZZ_RUNS" -seed=1)
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(manifest state config encrypted time pages wal xml segment)

bash scripts/setup.sh
cmake --preset fuzz >/dev/null
cmake --build --preset fuzz --target "${targets[@]/#/fuzz_}"

work=build/fuzz/work
findings=build/fuzz/findings
mkdir -p "$findings"
failed=()
for t in "${targets[@]}"; do
  rm -rf "${work:?}/$t" && mkdir -p "$work/$t"
  dict=()
  [ -f fuzz/"$t".dict ] && dict=(-dict=fuzz/"$t".dict)
  echo "fuzz: $t (${budget[*]})"
  if ! build/fuzz/bin/fuzz_"$t" "$work/$t" fuzz/corpus/"$t" "${dict[@]}" "${budget[@]}" \
      -max_len=65536 -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 -artifact_prefix="$findings/$t-" \
      > "$work/$t.log" 2>&1; then
    tail -40 "$work/$t.log"
    failed+=("$t")
  else
    grep -E '^stat::number_of_executed_units|^#[0-9]+.*DONE' "$work/$t.log" | tail -2 || true
  fi
done
if [ ${#failed[@]} -gt 0 ]; then
  echo "fuzz: findings in ${failed[*]} (inputs in $findings)"
  exit 1
fi
echo "fuzz: ${#targets[@]} passed, 0 failed"
