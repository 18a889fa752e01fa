#!/usr/bin/env bash
# `backup db` and `restore` of the benchmark database by soniabk.exe under wine beside the Linux build on the same
# data, for information (wine's file I/O is not Windows'): ROUNDS interleaved rounds, medians of wall time. Prints
# markdown for bench/RESULTS.md. Needs the release and the Windows builds:
#   cmake --preset release && cmake --build --preset release -j2 && bash scripts/test.sh windows
# Environment: SIZE_MB (500), ROUNDS (3), BENCH_DIR (build/bench-wine), BIN (build/release/bin),
#   EXE (build/windows/bin/soniabk.exe), SONIABK_MINGW_PREFIX (from scripts/setup_windows.sh).
set -euo pipefail
cd "$(dirname "$0")/.."

bin=${BIN:-build/release/bin}
exe=${EXE:-build/windows/bin/soniabk.exe}
dir=$(realpath -m "${BENCH_DIR:-build/bench-wine}")
size_mb=${SIZE_MB:-500}
rounds=${ROUNDS:-3}
prefix=${SONIABK_MINGW_PREFIX:-$(bash scripts/setup_windows.sh | tail -1)}
export WINEPREFIX=$prefix/wine WINEDEBUG=-all
for tool in "$bin/soniabk" "$bin/soniabk-gen-memory-db" "$exe" wine wineserver; do
  command -v "$tool" >/dev/null || { echo "bench: $tool not found (release and Windows builds?)" >&2; exit 2; }
done

mkdir -p "$dir"
source_db=$dir/memory-$size_mb.db
[ -f "$source_db" ] || "$bin/soniabk-gen-memory-db" --out "$source_db" --size-mb "$size_mb" >&2
db=$dir/live/memory.db  # restore --latest --db picks the newest backup of a database of that name
mkdir -p "$dir/live" && cp "$source_db" "$db"
rm -rf "$dir/results" && mkdir -p "$dir/results"
# One wine server and session for every run, started before any clock: each run then pays only its own start.
{ wineserver -p600; wine "$exe" --version; } </dev/null >/dev/null 2>&1 || true

# Runs the command after `$1` (a results file), appending its wall seconds.
timed() {
  local results=$1 start end
  shift
  sync
  start=$(date +%s.%N)
  "$@" >/dev/null
  end=$(date +%s.%N)
  awk -v a="$start" -v b="$end" 'BEGIN { printf "%.2f\n", b - a }' >>"$dir/results/$results"
}
median() { sort -n "$1" | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

cat "$db" >/dev/null  # warm cache for both
for ((round = 1; round <= rounds; round++)); do
  for platform in linux windows; do
    sk=("$bin/soniabk")
    [ "$platform" = windows ] && sk=(wine "$exe")
    repo=$dir/repo-$platform target=$dir/restored-$platform/memory.db
    rm -rf "$repo" "$dir/restored-$platform" && mkdir -p "$dir/restored-$platform"
    "${sk[@]}" init --repo "$repo" --format files -q
    timed "backup-$platform" "${sk[@]}" backup db --db "$db" --repo "$repo" -q
    timed "restore-$platform" "${sk[@]}" restore --latest --db "$target" --repo "$repo" -q
  done
  echo "bench: round $round/$rounds done" >&2
done
rm -rf "$dir"/repo-* "$dir"/restored-* "$dir/live"

echo "### $(du -m "$source_db" | cut -f1) MB database, $rounds interleaved rounds (medians)"
echo
echo "| run | Linux s | wine s | wine / Linux |"
echo "|---|---|---|---|"
for op in backup restore; do
  linux=$(median "$dir/results/$op-linux") windows=$(median "$dir/results/$op-windows")
  echo "| \`$op\` | $linux | $windows | $(awk -v l="$linux" -v w="$windows" 'BEGIN { printf "%.2f", w / l }') |"
done
echo
echo "- load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
