#!/usr/bin/env bash
# The long fuzz run (not CI): every libFuzzer target for FUZZ_SECONDS (3600) from its committed seeds and the
# corpus earlier long runs grew (build/fuzz/long/<target>, kept), JOBS (2) targets at a time, under ASan +
# UBSan. Prints markdown for bench/RESULTS.md; any crash, leak or sanitizer report is a finding (inputs in
# build/fuzz/findings/) and fails the run. `bench/fuzz_long.sh [TARGET...]`.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${FUZZ_SECONDS:-3600}
jobs=${JOBS:-2}
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(manifest state config encrypted time pages wal xml segment)

bash scripts/setup.sh >/dev/null
cmake --preset fuzz >/dev/null
cmake --build --preset fuzz --target "${targets[@]/#/fuzz_}" >/dev/null
long=build/fuzz/long
findings=build/fuzz/findings
mkdir -p "$long" "$findings"

fuzz_one() {
  local t=$1 dict=()
  mkdir -p "$long/$t"
  [ -f fuzz/"$t".dict ] && dict=(-dict=fuzz/"$t".dict)
  build/fuzz/bin/fuzz_"$t" "$long/$t" fuzz/corpus/"$t" "${dict[@]}" -max_total_time="$seconds" -max_len=65536 \
    -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 -artifact_prefix="$findings/$t-" >"$long/$t.log" 2>&1
}

failed=()
for ((i = 0; i < ${#targets[@]}; i += jobs)); do
  pids=()
  for t in "${targets[@]:i:jobs}"; do fuzz_one "$t" & pids+=("$!:$t"); done
  for entry in "${pids[@]}"; do wait "${entry%%:*}" || failed+=("${entry#*:}"); done
  echo "fuzz_long: ${targets[*]:i:jobs} done" >&2
done

echo "| target | seconds | inputs | coverage (edges) | corpus |"
echo "|---|---|---|---|---|"
for t in "${targets[@]}"; do
  runs=$(sed -n 's/^stat::number_of_executed_units: //p' "$long/$t.log")
  cov=$(grep -oE 'cov: [0-9]+' "$long/$t.log" | tail -1 | cut -d' ' -f2)
  echo "| $t | $seconds | ${runs:-?} | ${cov:-?} | $(find "$long/$t" -type f | wc -l) inputs |"
done
if ((${#failed[@]})); then
  echo "fuzz_long: findings in ${failed[*]} (inputs in $findings)" >&2
  exit 1
fi
