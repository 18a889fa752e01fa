#!/usr/bin/env bash
# Row-level recovery's benchmark (issue 19): NIGHTS nightly page-store backups of the benchmark database (each
# night changes PERCENT% of its memories with soniabk-bench-night), then `find WORD --all-backups` over all of
# them and over the newest alone, then ROUNDS rounds of `recover memories` of 100 hard-deleted memories from the
# newest backup, from the page store and from a plain-file backup, each also as `--dry-run` (the backup read and
# the plan, no pre-recover backup, no transaction). Prints markdown for bench/RESULTS.md. Needs a release build:
#   cmake --preset release && nice cmake --build --preset release -j2 && nice bash bench/bench_recover.sh
# Environment: SIZE_MB (500), NIGHTS (30), PERCENT (1), WORD (Lisbon), RARE_WORD (Zanzibar), ROUNDS (3), BENCH_DIR (build/bench-recover),
#   BIN (build/release/bin), REUSE_DATA (1: keep the live database and repositories of the last run).
set -euo pipefail
cd "$(dirname "$0")/.."

bin=${BIN:-build/release/bin}
dir=$(realpath -m "${BENCH_DIR:-build/bench-recover}")
size_mb=${SIZE_MB:-500}
nights=${NIGHTS:-30}
percent=${PERCENT:-1}
word=${WORD:-Lisbon}
rare=${RARE_WORD:-Zanzibar}
rounds=${ROUNDS:-3}

for tool in "$bin/soniabk" "$bin/soniabk-gen-memory-db" "$bin/soniabk-bench-night" /usr/bin/time sqlite3 python3; do
  command -v "$tool" >/dev/null || { echo "bench: $tool not found (release build? apt-get install sqlite3?)" >&2; exit 2; }
done
mkdir -p "$dir"
source_db=$dir/memory-$size_mb.db
[ -f "$source_db" ] || "$bin/soniabk-gen-memory-db" --out "$source_db" --size-mb "$size_mb" >&2
live=$dir/live/memory.db
reuse=${REUSE_DATA:-0}
[ -d "$dir/repo-files" ] || reuse=0
((reuse)) || rm -rf "$dir/live" "$dir"/repo-*
rm -rf "$dir/results" "$dir/tmp"
mkdir -p "$dir/live" "$dir/results" "$dir/tmp"
export TMPDIR=$dir/tmp  # the backup copies find and recover extract
((reuse)) || cp "$source_db" "$live"
# Every word of the generator's prose is in about a third of the memories; an operator looks for one memory, so
# five memories also carry a word nothing else has.
((reuse)) || sqlite3 "$live" "UPDATE memories SET content = content || ' $rare' WHERE id IN (SELECT id FROM memories WHERE id % 30011 = 7 LIMIT 5)"
sk() { "$bin/soniabk" "$@"; }

# Runs the command after `$1` (a results file), appending "wall_s peak_rss_kb" to it; its stdout goes to $dir/out.
timed() {
  local results=$1
  shift
  sync
  /usr/bin/time -f "%e %M" -o "$dir/time.txt" "$@" >"$dir/out"
  cat "$dir/time.txt" >>"$dir/results/$results"
}
median() { sort -n -k"$2","$2" "$1" | awk -v c="$2" '{ v[NR] = $c } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
mib() { awk -v k="$1" 'BEGIN { printf "%.1f", k / 1024 }'; }

# 1. The nights: a first backup, then NIGHTS nights of changes, each backed up into the page store.
((reuse)) || sk init --repo "$dir/repo-pages" -q
((reuse)) || sk backup db --db "$live" --repo "$dir/repo-pages" --format pages --check none -q
for ((night = 1; !reuse && night < nights; night++)); do
  "$bin/soniabk-bench-night" --db "$live" --seed "$night" --percent "$percent" --checkpoint truncate >/dev/null
  sk backup db --db "$live" --repo "$dir/repo-pages" --format pages --check none -q
  ((night % 10)) || echo "bench: night $night/$((nights - 1)) backed up" >&2
done
# The nightly backups only: a reused run's pre-recover backups were taken with the memories deleted.
newest=$(sk list --repo "$dir/repo-pages" --kind db --label daily --json | python3 -c '
import json, sys
backups = [b for b in json.load(sys.stdin)["backups"] if b["complete"]]
print(max(backups, key=lambda b: (b["timestamp"], b["backup_id"]))["backup_id"])')
backups=$(sk list --repo "$dir/repo-pages" --kind db --json | python3 -c 'import json, sys; print(len(json.load(sys.stdin)["backups"]))')
((reuse)) || sk init --repo "$dir/repo-files" --format files -q
((reuse)) || sk backup db --db "$live" --repo "$dir/repo-files" --check none -q
newest_file=$(sk list --repo "$dir/repo-files" --kind db --label daily --json | python3 -c 'import json, sys; print(json.load(sys.stdin)["backups"][0]["backup_id"])')

# 2. find: one word over every backup, and over the newest alone.
cat "$live" >/dev/null
load_before=$(cut -d' ' -f1-3 /proc/loadavg)
timed find-all "$bin/soniabk" find "$word" --all-backups --repo "$dir/repo-pages" --json
matches=$(python3 -c 'import json, sys; d = json.load(open(sys.argv[1])); print(len(d["memories"]), sum(s["matches"] for s in d["searched"]), len(d["searched"]))' "$dir/out")
for ((round = 1; round <= rounds; round++)); do timed find-newest "$bin/soniabk" find "$word" --repo "$dir/repo-pages" --json; done
for ((round = 1; round <= rounds; round++)); do timed find-rare "$bin/soniabk" find "$rare" --all-backups --repo "$dir/repo-pages" --json; done
rare_matches=$(python3 -c 'import json, sys; d = json.load(open(sys.argv[1])); print(len(d["memories"]), sum(s["matches"] for s in d["searched"]))' "$dir/out")
one_id=$(sqlite3 "$live" "SELECT id FROM memories WHERE id % 30011 = 7 LIMIT 1")
for ((round = 1; round <= rounds; round++)); do timed find-id "$bin/soniabk" find --id "$one_id" --all-backups --repo "$dir/repo-pages" --json; done
echo "bench: find done" >&2

# 3. recover: 100 non-archived memories spread over the table, hard-deleted (the FTS5 triggers take their index
#    entries), then copied back from the newest backup; dry runs between.
ids=$(sqlite3 "$live" "SELECT id FROM memories WHERE archived_at IS NULL AND id % 997 = 0 ORDER BY id LIMIT 100" | tr '\n' ' ')
[ "$(wc -w <<<"$ids")" = 100 ] || { echo "bench: fewer than 100 memories to recover" >&2; exit 1; }
delete_ids() { sqlite3 "$live" "DELETE FROM memories WHERE id IN ($(tr ' ' ',' <<<"$ids" | sed 's/,$//'))"; }
for ((round = 1; round <= rounds; round++)); do
  for store in pages files; do
    from=$newest; [ "$store" = files ] && from=$newest_file
    delete_ids
    # shellcheck disable=SC2086  # one argument per id
    timed "recover-dry-$store" "$bin/soniabk" recover memories --from "$from" --id $ids --db "$live" --repo "$dir/repo-$store" --dry-run --json
    # shellcheck disable=SC2086
    timed "recover-$store" "$bin/soniabk" recover memories --from "$from" --id $ids --db "$live" --repo "$dir/repo-$store" --json
    inserted=$(python3 -c 'import json, sys; print(json.load(open(sys.argv[1]))["inserted"])' "$dir/out")
    [ "$inserted" = 100 ] || { echo "bench: recover inserted $inserted, not 100" >&2; exit 1; }
  done
  echo "bench: recover round $round/$rounds done" >&2
done
load_after=$(cut -d' ' -f1-3 /proc/loadavg)

echo "### $(du -m "$source_db" | cut -f1) MB database ($(sqlite3 "$live" 'SELECT count(*) FROM memories') memories), $backups page-store backups ($nights nights of $percent% changes), $bin"
echo
echo "| run | wall s | peak RSS MB | target |"
echo "|---|---|---|---|"
echo "| \`find $word --all-backups\` over $backups page-store backups (one run; $(cut -d' ' -f1 <<<"$matches") memories, $(cut -d' ' -f2 <<<"$matches") matches in $(cut -d' ' -f3 <<<"$matches") backups) | $(median "$dir/results/find-all" 1) | $(mib "$(median "$dir/results/find-all" 2)") | < 3 s |"
echo "| \`find $word\`, the newest backup alone ($rounds runs, median) | $(median "$dir/results/find-newest" 1) | $(mib "$(median "$dir/results/find-newest" 2)") | |"
echo "| \`find $rare --all-backups\` ($rounds runs, median; $(cut -d' ' -f1 <<<"$rare_matches") memories, $(cut -d' ' -f2 <<<"$rare_matches") matches) | $(median "$dir/results/find-rare" 1) | $(mib "$(median "$dir/results/find-rare" 2)") | < 3 s |"
echo "| \`find --id $one_id --all-backups\` ($rounds runs, median) | $(median "$dir/results/find-id" 1) | $(mib "$(median "$dir/results/find-id" 2)") | |"
for store in pages files; do
  echo "| \`recover memories --id\` x100 from the $store backup ($rounds runs, median) | $(median "$dir/results/recover-$store" 1) | $(mib "$(median "$dir/results/recover-$store" 2)") | < 1 s |"
  echo "| the same, \`--dry-run\` (backup read + plan only) | $(median "$dir/results/recover-dry-$store" 1) | $(mib "$(median "$dir/results/recover-dry-$store" 2)") | |"
done
echo
echo "- load average before / after: $load_before / $load_after"
