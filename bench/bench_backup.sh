#!/usr/bin/env bash
# Times `soniabk backup db` beside stock tools doing the same job on the same file, and its peak RSS
# across database sizes. Prints markdown for bench/RESULTS.md. Needs a release build:
#   cmake --preset release && cmake --build --preset release -j2 && bash bench/bench_backup.sh
# Environment: ROUNDS (5), SIZE_MB (500), RSS_SIZES ("50 500 2000"; empty skips), BENCH_DIR (build/bench),
#   BIN (build/release/bin, relative to the checkout: the folder holding soniabk and soniabk-gen-memory-db; point
#   it at another checkout's build to compare two versions on one database).
set -euo pipefail
cd "$(dirname "$0")/.."

bin=${BIN:-build/release/bin}
dir=${BENCH_DIR:-build/bench}
rounds=${ROUNDS:-5}
size_mb=${SIZE_MB:-500}
rss_sizes=${RSS_SIZES-"50 500 2000"}  # empty: skip the RSS table
methods=(soniabk_none soniabk_quick sqlite3_backup cp)

for tool in "$bin/soniabk" "$bin/soniabk-gen-memory-db" /usr/bin/time sqlite3 openssl; do
  command -v "$tool" >/dev/null || { echo "bench: $tool not found (release build? scripts/setup.sh?)" >&2; exit 2; }
done
mkdir -p "$dir"
results=$dir/results
rm -rf "$results" && mkdir -p "$results"

free_mb() { df -Pm "$dir" | awk 'NR == 2 { print $4 }'; }

# Generates the database of `$1` MB once and caches it; prints its path.
database() {
  local db=$dir/memory-$1.db
  [ -f "$db" ] || "$bin/soniabk-gen-memory-db" --out "$db" --size-mb "$1" >&2
  echo "$db"
}

# Runs one method on `$2` and appends "wall_seconds cpu_seconds peak_rss_kb" to $results/$1.
run() {
  local method=$1 db=$2 out=$dir/out.db repo=$dir/repo
  rm -rf "$out" "$repo"
  "$bin/soniabk" init --repo "$repo" --format files -q
  sync  # earlier runs' write-back must not be billed to this one
  local cmd
  # shellcheck disable=SC2016  # $1 and $2 expand in the inner shell
  case $method in
    soniabk_none) cmd=("$bin/soniabk" backup db --db "$db" --repo "$repo" --check none -q) ;;
    soniabk_quick) cmd=("$bin/soniabk" backup db --db "$db" --repo "$repo" -q) ;;
    # The system's sqlite3 shell (Debian's SQLite, not the one compiled into soniabk): the stock tool.
    sqlite3_backup) cmd=(sh -c 'sqlite3 "$1" ".backup $2" && sync "$2" && openssl dgst -sha256 "$2"' _ "$db" "$out") ;;
    cp) cmd=(sh -c 'cp "$1" "$2" && sync "$2" && openssl dgst -sha256 "$2"' _ "$db" "$out") ;;
  esac
  /usr/bin/time -f "%e %U %S %M" -o "$dir/time.txt" "${cmd[@]}" >/dev/null
  awk '{ printf "%.2f %.2f %d\n", $1, $2 + $3, $4 }' "$dir/time.txt" >>"$results/$method"
  rm -rf "$out" "$repo"
}

# Median of column `$2` of file `$1`.
median() { sort -n -k"$2","$2" "$1" | awk -v c="$2" '{ v[NR] = $c } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }

db=$(database "$size_mb")
cat "$db" >/dev/null  # warm cache: every method reads the source from memory
load_before=$(cut -d' ' -f1-3 /proc/loadavg)
for ((round = 0; round < rounds; round++)); do
  for ((i = 0; i < ${#methods[@]}; i++)); do  # interleaved, and the order rotates every round
    run "${methods[(i + round) % ${#methods[@]}]}" "$db"
  done
  echo "bench: round $((round + 1))/$rounds done" >&2
done
load_after=$(cut -d' ' -f1-3 /proc/loadavg)

echo "### $(du -m "$db" | cut -f1) MB database, $rounds interleaved rounds, warm cache (medians)"
echo
echo "| method | wall s | CPU s (user+sys) | peak RSS MB |"
echo "|---|---|---|---|"
for m in "${methods[@]}"; do
  echo "| $m | $(median "$results/$m" 1) | $(median "$results/$m" 2) | $(awk -v k="$(median "$results/$m" 3)" 'BEGIN { printf "%.1f", k / 1024 }') |"
done
none=$(median "$results/soniabk_none" 1)
none_cpu=$(median "$results/soniabk_none" 2)
echo
echo "- soniabk_none / sqlite3_backup: wall $(ratio "$none" "$(median "$results/sqlite3_backup" 1)")x," \
  "CPU $(ratio "$none_cpu" "$(median "$results/sqlite3_backup" 2)")x (target < 1)"
echo "- soniabk_none / cp: wall $(ratio "$none" "$(median "$results/cp" 1)")x," \
  "CPU $(ratio "$none_cpu" "$(median "$results/cp" 2)")x (target <= 1.5)"
echo "- load average before / after: $load_before / $load_after"
echo

[ -n "$rss_sizes" ] || exit 0
echo "### peak RSS of soniabk backup db by database size"
echo
echo "| database MB | --check none RSS MB | --check quick RSS MB | --check none wall s |"
echo "|---|---|---|---|"
for mb in $rss_sizes; do
  if [ ! -f "$dir/memory-$mb.db" ] && (($(free_mb) < 2 * mb + 2048)); then
    echo "| $mb | skipped: $(free_mb) MB free, needs $((2 * mb + 2048)) | | |"
    continue
  fi
  sized=$(database "$mb")
  cat "$sized" >/dev/null
  run soniabk_none "$sized"
  run soniabk_quick "$sized"
  read -r wall _ rss_none < <(tail -1 "$results/soniabk_none")
  rss_quick=$(tail -1 "$results/soniabk_quick" | cut -d' ' -f3)
  echo "| $(du -m "$sized" | cut -f1) | $(awk -v k="$rss_none" 'BEGIN { printf "%.1f", k / 1024 }')" \
    "| $(awk -v k="$rss_quick" 'BEGIN { printf "%.1f", k / 1024 }') | $wall |"
  # A 2 GB database is only worth caching where the disk has room to spare.
  if ((mb > 1000 && $(free_mb) < 20480)); then rm -f "$sized"; fi
done
