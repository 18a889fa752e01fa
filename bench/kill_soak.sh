#!/usr/bin/env bash
# Kill soak: kill -9 at random instants of backup (plain, compressed + encrypted, page store), restore, prune and copy to
# an off-site repository while a live writer commits, and after each kill check that every complete-looking backup verifies --deep and that the restore
# target is the old database or the new one, never anything else. Prints one markdown line for bench/RESULTS.md and
# exits 1 on any bad outcome.
#   bash bench/kill_soak.sh                      # 1,000 kills against build/release/bin
#   KILLS=100 BIN=build/dev/bin bash bench/kill_soak.sh  # a short run (about 7 s a kill with a growing repository)
# Environment: KILLS (1000), SIZE_MB (8), MAX_DELAY_MS (400), SEED ($RANDOM), SOAK_DIR (a new temp dir),
#   BIN (build/release/bin: the folder holding soniabk, soniabk-test-writer and soniabk-gen-memory-db).
set -euo pipefail
cd "$(dirname "$0")/.."

bin=${BIN:-build/release/bin}
kills=${KILLS:-1000}
size_mb=${SIZE_MB:-8}
max_delay_ms=${MAX_DELAY_MS:-400}
seed=${SEED:-$RANDOM}
RANDOM=$seed
for tool in "$bin/soniabk" "$bin/soniabk-test-writer" "$bin/soniabk-gen-memory-db" sqlite3 python3; do
  command -v "$tool" >/dev/null || { echo "kill soak: $tool not found (a build with tests? scripts/setup.sh?)" >&2; exit 2; }
done
dir=${SOAK_DIR:-$(mktemp -d)}
mkdir -p "$dir"
db=$dir/memory.db repo=$dir/repo offsite=$dir/offsite target=$dir/restored/memory.db
export SONIABK_KEY_FILE=$dir/key SONIABK_REPO=$repo
sk() { "$bin/soniabk" "$@"; }

"$bin/soniabk-gen-memory-db" --out "$db" --size-mb "$size_mb" >/dev/null
sk keygen "$SONIABK_KEY_FILE" -q
sk init --format files -q
sk init --repo "$offsite" --format files -q
mkdir -p "$dir/restored" "$dir/pitr"
"$bin/soniabk-test-writer" "$db" "$dir/progress" 100000000 >/dev/null 2>&1 &
writer=$!
trap 'kill $writer 2>/dev/null || true' EXIT
sk backup db --db "$db" -q
sk restore --latest --db "$target" -q --check none

# The newest plain backup's data file and the `counter` value it holds (0 when the writer had not begun).
newest_plain() {
  { sk --json list --kind db || true; } | python3 -c '
import json, sys
plain = [b for b in json.load(sys.stdin)["backups"] if b.get("complete") and b["path"].endswith(".db")]
print(max(plain, key=lambda b: b["timestamp"])["backup_id"] if plain else "")'
}
seq_of() { sqlite3 "file:$1?mode=ro" "SELECT coalesce((SELECT seq FROM counter), 0)" 2>/dev/null || echo 0; }

# Every complete-looking backup verifies --deep; prints the failures. Data without a manifest is an incomplete
# backup (what a kill during a backup or a prune leaves, and what list, status and prune call incomplete), so it is
# not counted; a manifest that is there but does not parse is.
check_repository() {
  { sk --json verify --all --deep --repo "$1" || true; } | python3 -c '
import json, sys
doc = json.load(sys.stdin)
def incomplete(b):
    return any(c["name"] == "manifest" and not c["passed"] and c["detail"].startswith("no manifest") for c in b["checks"])
bad = [b for b in doc.get("backups", []) if not b["passed"] and not incomplete(b)]
print("; ".join(b["backup_id"] + " (" + " ".join(c["detail"] for c in b["checks"] if not c["passed"]) + ")" for b in bad))'
}

bad=0
mid_run=0  # kills that met a running process (the others came after it had finished)
declare -A per_op=()
ops=(backup_plain backup_encoded backup_pages restore prune copy replicate)
for ((i = 1; i <= kills; i++)); do
  op=${ops[RANDOM % ${#ops[@]}]}
  before_seq=$(seq_of "$target")
  restore_id=$(newest_plain)
  [ "$op" = restore ] && [ -z "$restore_id" ] && op=backup_plain  # prune kept no plain backup: make one
  case $op in
    backup_plain) cmd=(backup db --db "$db") ;;
    backup_encoded) cmd=(backup db --db "$db" --compress zstd --encrypt) ;;
    backup_pages) cmd=(backup db --db "$db" --format pages) ;;
    restore) cmd=(restore "$restore_id" --db "$target" --check quick) ;;
    prune) cmd=(prune --repo "$( ((RANDOM % 2)) && echo "$repo" || echo "$offsite")" --keep-daily 2 --keep-weekly 0
                --keep-monthly 0 --clean-incomplete) ;;
    copy) cmd=(copy --to "$offsite" --latest) ;;
    replicate) cmd=(replicate --db "$db") ;;
  esac
  # soniabk itself in the background (not the sk function: $! would be a subshell, and the kill would miss it)
  "$bin/soniabk" "${cmd[@]}" -q >/dev/null 2>&1 &
  pid=$!
  sleep "$(printf '0.%03d' $((RANDOM % max_delay_ms)))"
  kill -9 "$pid" 2>/dev/null && mid_run=$((mid_run + 1))
  wait "$pid" 2>/dev/null || true
  per_op[$op]=$((${per_op[$op]:-0} + 1))

  failures=$(check_repository "$repo")$(check_repository "$offsite")
  if [ -n "$failures" ]; then
    echo "kill $i ($op): complete-looking backups that fail verify --deep: $failures" >&2
    bad=$((bad + 1))
  fi
  # After a replicate: the newest point of every lineage it left restores to whole transactions.
  if [ "$op" = replicate ]; then
    point=$({ sk --json list --points || true; } | python3 -c '
import json, sys
ok = [l for l in json.load(sys.stdin).get("lineages", []) if l["restorable"]]
print(ok[-1]["last_point"] if ok else "")')
    if [ -n "$point" ]; then
      sk restore --at "$point" --db "$dir/pitr/memory.db" --force -q \
        || { echo "kill $i (replicate): restore --at $point failed" >&2; bad=$((bad + 1)); }
      whole=$(sqlite3 "file:$dir/pitr/memory.db?mode=ro" \
        "SELECT (SELECT count(*) FROM ledger) = 3 * (SELECT seq FROM counter) AND (SELECT count(DISTINCT seq) FROM ledger) = (SELECT seq FROM counter)" 2>&1 || true)
      integrity=$(sqlite3 "file:$dir/pitr/memory.db?mode=ro" "PRAGMA integrity_check" 2>&1 || true)
      if [ "$whole" != 1 ] || [ "$integrity" != ok ]; then
        echo "kill $i (replicate): the point $point is not whole transactions ($whole, $integrity)" >&2
        bad=$((bad + 1))
      fi
    fi
  fi
  if [ "$op" = restore ]; then
    after_seq=$(seq_of "$target")
    backup_seq=$(seq_of "$(sk --json list --kind db | python3 -c "
import json, sys
print(next(b['path'] for b in json.load(sys.stdin)['backups'] if b['backup_id'] == '$restore_id'))")")
    integrity=$(sqlite3 "file:$target?mode=ro" "PRAGMA integrity_check" 2>&1 || true)
    if [ "$integrity" != ok ] || { [ "$after_seq" != "$before_seq" ] && [ "$after_seq" != "$backup_seq" ]; }; then
      echo "kill $i (restore): target is neither old (seq $before_seq) nor new (seq $backup_seq): seq $after_seq, $integrity" >&2
      bad=$((bad + 1))
    fi
  fi
done

# After the soak, an unkilled run of each command succeeds.
sk backup db --db "$db" -q && sk prune --keep-daily 2 --clean-incomplete -q && sk copy --to "$offsite" --latest -q \
  && sk restore --latest --db "$target" -q \
  || { echo "kill soak: a clean run after the soak failed" >&2; bad=$((bad + 1)); }

summary=$(for op in "${ops[@]}"; do printf '%s %s, ' "$op" "${per_op[$op]:-0}"; done)
echo "| kill soak | $kills kills ($mid_run mid-run; ${summary%, }), ${size_mb} MB database, live writer, seed $seed | $bad bad outcomes |"
[ "$bad" -eq 0 ]
