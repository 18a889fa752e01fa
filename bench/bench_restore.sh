#!/usr/bin/env bash
# Times `soniabk restore` beside stock tools doing the same job on the same backup, and `soniabk drill` against
# the 60 s recovery-time objective. Prints markdown for bench/RESULTS.md. Needs a release build:
#   cmake --preset release && cmake --build --preset release -j2 && bash bench/bench_restore.sh
# Environment: ROUNDS (5), SIZE_MB (500), BENCH_DIR (build/bench-restore),
#   BIN (build/release/bin, relative to the checkout: the folder holding soniabk; point it at another checkout's
#   build to compare two versions),
#   GEN ($BIN/soniabk-gen-memory-db: the database generator bench_backup.sh also uses).
set -euo pipefail
cd "$(dirname "$0")/.."

bin=${BIN:-build/release/bin}
dir=${BENCH_DIR:-build/bench-restore}
rounds=${ROUNDS:-5}
size_mb=${SIZE_MB:-500}
gen=${GEN:-$bin/soniabk-gen-memory-db}
methods=(soniabk_check_none soniabk_check_full stock)

for tool in "$bin/soniabk" "$gen" /usr/bin/time openssl; do
  command -v "$tool" >/dev/null || { echo "bench: $tool not found (release build? scripts/setup.sh?)" >&2; exit 2; }
done
mkdir -p "$dir/live" "$dir/tmp"
results=$dir/results
rm -rf "$results" && mkdir -p "$results"

# The database and one backup of it, generated once and cached.
db=$dir/memory-$size_mb.db
[ -f "$db" ] || "$gen" --out "$db" --size-mb "$size_mb" >&2
repo=$dir/repo
[ -d "$repo/db" ] || { "$bin/soniabk" init --repo "$repo" --format files -q &&
  "$bin/soniabk" backup db --db "$db" --repo "$repo" --check none -q; }
backup=$(find "$repo/db" -name '*.db' | head -1)
target=$dir/live/memory.db
[ -f "$target" ] || cp "$db" "$target"

# Runs one method and appends "wall_seconds cpu_seconds peak_rss_kb" to $results/$1.
run() {
  local method=$1 cmd
  # shellcheck disable=SC2016  # $1 and $2 expand in the inner shell
  case $method in
    soniabk_check_none) cmd=("$bin/soniabk" restore --repo "$repo" --db "$target" --check none -q) ;;
    soniabk_check_full) cmd=("$bin/soniabk" restore --repo "$repo" --db "$target" -q) ;;
    stock) cmd=(sh -c 'openssl dgst -sha256 "$1" >/dev/null && cp "$1" "$2" && sync "$2"' _ "$backup" "$target") ;;
    drill) cmd=(env TMPDIR="$dir/tmp" "$bin/soniabk" drill --repo "$repo" -q) ;;
  esac
  sync  # earlier runs' write-back must not be billed to this one
  /usr/bin/time -f "%e %U %S %M" -o "$dir/time.txt" "${cmd[@]}" >/dev/null || echo "bench: $method failed" >&2
  tail -1 "$dir/time.txt" | awk '{ printf "%.2f %.2f %d\n", $1, $2 + $3, $4 }' >>"$results/$method"
  rm -f "$dir"/live/memory-replaced-*  # the replaced copy: kept by soniabk, not by the benchmark
}

median() { sort -n -k"$2","$2" "$1" | awk -v c="$2" '{ v[NR] = $c } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }
mb() { awk -v k="$1" 'BEGIN { printf "%.1f", k / 1024 }'; }

cat "$backup" "$target" >/dev/null  # warm cache: every method reads the backup from memory
load_before=$(cut -d' ' -f1-3 /proc/loadavg)
for ((round = 0; round < rounds; round++)); do
  for ((i = 0; i < ${#methods[@]}; i++)); do  # interleaved, and the order rotates every round
    run "${methods[(i + round) % ${#methods[@]}]}"
  done
  run drill
  echo "bench: round $((round + 1))/$rounds done" >&2
done
load_after=$(cut -d' ' -f1-3 /proc/loadavg)

echo "### $(du -m "$backup" | cut -f1) MB backup, $rounds interleaved rounds, warm cache (medians)"
echo
echo "| method | wall s | CPU s (user+sys) | peak RSS MB |"
echo "|---|---|---|---|"
for m in "${methods[@]}" drill; do
  echo "| $m | $(median "$results/$m" 1) | $(median "$results/$m" 2) | $(mb "$(median "$results/$m" 3)") |"
done
stock=$(median "$results/stock" 1)
echo
echo "- restore --check none / stock: wall $(ratio "$(median "$results/soniabk_check_none" 1)" "$stock")x (target <= 1.3)"
echo "- restore (integrity_check on, the default) / stock: wall $(ratio "$(median "$results/soniabk_check_full" 1)" "$stock")x"
echo "- drill wall time / 60 s RTO objective: $(ratio "$(median "$results/drill" 1)" 60)" \
  "(min $(sort -n "$results/drill" | head -1 | cut -d' ' -f1) s, max $(sort -n "$results/drill" | tail -1 | cut -d' ' -f1) s)"
echo "- load average before / after: $load_before / $load_after"
