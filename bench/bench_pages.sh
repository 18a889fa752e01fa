#!/usr/bin/env bash
# The page store's benchmark: a first backup of the benchmark database, then NIGHTS nights each changing 1% of
# its memories (rewrites, archivals, inserts; odd nights checkpointed, even nights left in the -wal file), each
# night backed up by soniabk's page store, by a plain full `backup db` (files, and files with zstd), by restic and
# by borg (default and fixed 4 KiB chunks), interleaved on the same files; then restores of the last night. Prints markdown for
# bench/RESULTS.md. Needs a release build and restic, borg, zstd (apt-get install restic borgbackup zstd):
#   cmake --preset release && cmake --build --preset release -j2 && bash bench/bench_pages.sh
# Environment: SIZE_MB (500), NIGHTS (7), PERCENT (1), BENCH_DIR (build/bench-pages), BIN (build/release/bin).
set -euo pipefail
cd "$(dirname "$0")/.."

bin=${BIN:-build/release/bin}
dir=$(realpath -m "${BENCH_DIR:-build/bench-pages}")  # absolute: borg extract runs in another folder
size_mb=${SIZE_MB:-500}
nights=${NIGHTS:-7}
percent=${PERCENT:-1}
tools=(pages files files_zstd restic borg borg_fixed4k)

for tool in "$bin/soniabk" "$bin/soniabk-gen-memory-db" "$bin/soniabk-bench-night" /usr/bin/time restic borg zstd python3; do
  command -v "$tool" >/dev/null || { echo "bench: $tool not found (release build? apt-get install restic borgbackup zstd?)" >&2; exit 2; }
done
mkdir -p "$dir"
source_db=$dir/memory-$size_mb.db
[ -f "$source_db" ] || "$bin/soniabk-gen-memory-db" --out "$source_db" --size-mb "$size_mb" >&2
live=$dir/live  # SONIA's folder: what restic and borg back up (memory.db and its -wal)
rm -rf "$live" "$dir"/repo-* "$dir/results" "$dir"/export-* "$dir/restored"
mkdir -p "$live" "$dir/results" "$dir/restored"
cp "$source_db" "$live/memory.db"
export RESTIC_PASSWORD=bench RESTIC_CACHE_DIR=$dir/restic-cache BORG_UNKNOWN_UNENCRYPTED_REPO_ACCESS_IS_OK=yes
export BORG_BASE_DIR=$dir/borg-base

"$bin/soniabk" init --repo "$dir/repo-pages" -q
"$bin/soniabk" init --repo "$dir/repo-files" --format files -q
"$bin/soniabk" init --repo "$dir/repo-files_zstd" --format files -q
restic init --repo "$dir/repo-restic" -q
borg init --encryption=none "$dir/repo-borg"
borg init --encryption=none "$dir/repo-borg_fixed4k"

# Runs tool `$1` for night `$2`; appends "night wall_s cpu_s peak_rss_kb stored_bytes" to $dir/results/$1.
backup() {
  local tool=$1 night=$2 cmd
  case $tool in
    pages) cmd=("$bin/soniabk" backup db --db "$live/memory.db" --repo "$dir/repo-pages" --check none -q) ;;
    files) cmd=("$bin/soniabk" backup db --db "$live/memory.db" --repo "$dir/repo-files" --check none -q) ;;
    files_zstd) cmd=("$bin/soniabk" backup db --db "$live/memory.db" --repo "$dir/repo-files_zstd" --compress zstd --check none -q) ;;
    restic) cmd=(restic backup --repo "$dir/repo-restic" -q --exclude '*-shm' "$live") ;;
    borg) cmd=(borg create --exclude '*-shm' "$dir/repo-borg::night-$night" "$live") ;;
    borg_fixed4k) cmd=(borg create --chunker-params fixed,4096 --exclude '*-shm' "$dir/repo-borg_fixed4k::night-$night" "$live") ;;
  esac
  sync  # earlier runs' write-back must not be billed to this one
  /usr/bin/time -f "%e %U %S %M" -o "$dir/time.txt" "${cmd[@]}" >/dev/null
  read -r wall user sys rss <"$dir/time.txt"
  echo "$night $wall $(awk -v u="$user" -v s="$sys" 'BEGIN { print u + s }') $rss $(du -sb "$dir/repo-$tool" | cut -f1)" \
    >>"$dir/results/$tool"
}

# Bytes of `zstd -3` of the pages in which file `$2` differs from file `$1` (pages past the end of `$1` count).
changed_pages_zstd() {
  python3 - "$1" "$2" "$dir/changed-pages" <<'EOF'
import sys
old, new, out = (open(sys.argv[1], "rb"), open(sys.argv[2], "rb"), open(sys.argv[3], "wb"))
pages = 0
while page := new.read(4096):
    if old.read(4096) != page:
        out.write(page)
        pages += 1
print(pages, file=sys.stderr)
EOF
  zstd -3 -q -f "$dir/changed-pages" -o "$dir/changed-pages.zst"
  stat -c %s "$dir/changed-pages.zst"
}

# The logical database of the page store's latest backup, for the changed-page count of the next night.
export_latest() {
  local id
  id=$("$bin/soniabk" list --repo "$dir/repo-pages" --kind db --json | python3 -c '
import json, sys
backups = [b for b in json.load(sys.stdin)["backups"] if b["complete"]]
print(max(backups, key=lambda b: (b["timestamp"], b["backup_id"]))["backup_id"])')
  rm -f "$dir/export-$1.db"
  "$bin/soniabk" export "$id" --repo "$dir/repo-pages" --out "$dir/export-$1.db" -q
}

cat "$live/memory.db" >/dev/null
load_before=$(cut -d' ' -f1-3 /proc/loadavg)
for ((night = 0; night <= nights; night++)); do
  if ((night > 0)); then
    mode=truncate; ((night % 2)) || mode=none
    "$bin/soniabk-bench-night" --db "$live/memory.db" --seed "$night" --percent "$percent" --checkpoint "$mode" >&2
  fi
  for ((i = 0; i < ${#tools[@]}; i++)); do  # the order rotates every night
    backup "${tools[(i + night) % ${#tools[@]}]}" "$night"
  done
  export_latest "$night"
  if ((night > 0)); then
    echo "$night $mode $(changed_pages_zstd "$dir/export-$((night - 1)).db" "$dir/export-$night.db" 2>"$dir/pages.txt") $(cat "$dir/pages.txt")" \
      >>"$dir/results/changed"
    rm -f "$dir/export-$((night - 1)).db"
  fi
  echo "bench: night $night/$nights done" >&2
done
load_after=$(cut -d' ' -f1-3 /proc/loadavg)

# Restores of the last night: from the page store, from the plain-file repository, and restic's and borg's.
restore() {
  local name=$1 cmd
  shift
  rm -rf "$dir/restored" && mkdir -p "$dir/restored" && cp "$source_db" "$dir/restored/memory.db"
  sync
  case $name in
    pages | files | files_zstd) cmd=("$bin/soniabk" restore --repo "$dir/repo-$name" --db "$dir/restored/memory.db" --check none -q) ;;
    restic) cmd=(restic restore latest --repo "$dir/repo-restic" -q --target "$dir/restored") ;;
    borg) cmd=(sh -c 'cd "$1" && borg extract "$2::night-$3"' _ "$dir/restored" "$dir/repo-borg" "$nights") ;;
  esac
  /usr/bin/time -f "%e %U %S %M" -o "$dir/time.txt" "${cmd[@]}" >/dev/null
  read -r wall user sys rss <"$dir/time.txt"
  echo "$wall $(awk -v u="$user" -v s="$sys" 'BEGIN { print u + s }') $rss" >>"$dir/results/restore-$name"
}
for round in 1 2 3; do
  for name in pages files files_zstd restic borg; do restore "$name"; done
  echo "bench: restore round $round/3 done" >&2
done

mib() { awk -v b="$1" 'BEGIN { printf "%.1f", b / 1048576 }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }
median() { sort -n -k"$2","$2" "$1" | awk -v c="$2" '{ v[NR] = $c } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
field() { awk -v n="$2" -v c="$3" '$1 == n { print $c }' "$dir/results/$1"; }
added() { echo $(($(field "$1" "$2" 5) - $(field "$1" $(($2 - 1)) 5))); }

file_zstd=$(zstd -3 -c "$source_db" | wc -c)
echo "### $(du -m "$source_db" | cut -f1) MB database, $nights nights of $percent% changes, release build, one run"
echo
echo "First backup: page store $(field pages 0 5) bytes = $(ratio "$(field pages 0 5)" "$file_zstd")x \`zstd -3\` of the file" \
  "($file_zstd bytes; target within 5%); plain files $(field files 0 5); files zstd $(field files_zstd 0 5); restic $(field restic 0 5); borg $(field borg 0 5)."
echo
echo "| night | WAL | changed pages | zstd -3 of them MiB | pages added MiB | / zstd | restic added MiB | borg added MiB | borg 4 KiB added MiB |"
echo "|---|---|---|---|---|---|---|---|---|"
while read -r night mode zbytes pages; do
  echo "| $night | $([ "$mode" = none ] && echo "left in -wal" || echo checkpointed) | $pages | $(mib "$zbytes")" \
    "| $(mib "$(added pages "$night")") | $(ratio "$(added pages "$night")" "$zbytes") | $(mib "$(added restic "$night")")" \
    "| $(mib "$(added borg "$night")") | $(mib "$(added borg_fixed4k "$night")") |"
done <"$dir/results/changed"
echo
echo "| night | pages s | files (plain full) s | pages / files | files zstd s | restic s | borg s | borg 4 KiB s | pages RSS MB | files RSS MB |"
echo "|---|---|---|---|---|---|---|---|---|---|"
for ((night = 0; night <= nights; night++)); do
  echo "| $night | $(field pages "$night" 2) | $(field files "$night" 2) | $(ratio "$(field pages "$night" 2)" "$(field files "$night" 2)")" \
    "| $(field files_zstd "$night" 2) | $(field restic "$night" 2) | $(field borg "$night" 2) | $(field borg_fixed4k "$night" 2)" \
    "| $(mib "$(($(field pages "$night" 4) * 1024))") | $(mib "$(($(field files "$night" 4) * 1024))") |"
done
echo
echo "Stored after night $nights: page store $(mib "$(field pages "$nights" 5)") MiB, plain files $(mib "$(field files "$nights" 5)") MiB," \
  "restic $(mib "$(field restic "$nights" 5)") MiB, borg $(mib "$(field borg "$nights" 5)") MiB, borg 4 KiB $(mib "$(field borg_fixed4k "$nights" 5)") MiB."
echo
echo "| restore of night $nights (3 rounds, medians) | wall s | CPU s | peak RSS MB |"
echo "|---|---|---|---|"
for name in pages files files_zstd restic borg; do
  echo "| $name | $(median "$dir/results/restore-$name" 1) | $(median "$dir/results/restore-$name" 2) | $(mib "$(($(median "$dir/results/restore-$name" 3) * 1024))") |"
done
echo
echo "- restore pages / files: $(ratio "$(median "$dir/results/restore-pages" 1)" "$(median "$dir/results/restore-files" 1)")x (target <= 1.2)," \
  "pages / files_zstd: $(ratio "$(median "$dir/results/restore-pages" 1)" "$(median "$dir/results/restore-files_zstd" 1)")x"
echo "- load average before / after: $load_before / $load_after"
