#!/usr/bin/env bash
# replicate's benchmark: soniabk-bench-replicate-writer commits SONIA-like transactions (one ~1 KB memory, FTS
# index by trigger, a counter bumped; synchronous=NORMAL) into a fresh WAL-mode database at a target rate while
# `soniabk replicate` ships them into a fresh local repository. Measures (1) commit-to-durable lag per segment,
# (2) the writer's unlimited throughput with and without replicate, (3) segment bytes per day, (4) the WAL's
# largest size, (5) `restore --at` against a plain page-store `restore --latest` of the same database. Prints
# markdown for bench/RESULTS.md. Needs a release build:
#   cmake --preset release && cmake --build build/release --target soniabk soniabk-bench-replicate-writer
#   bash bench/bench_replicate.sh
# Environment: BENCH_DIR (build/bench-replicate), BIN (build/release/bin), READ_EVERY (100ms), LAG_SECONDS (30:
# the 1000 tx/s and --interval 250ms runs; the 10 and 100 tx/s runs at 1s and the 1 tx/s run take STORE_SECONDS,
# 60), TPUT_SECONDS (10), TPUT_ROUNDS (2), RESTORE_ROUNDS (3), BASE_MB (0: the database starts empty; else a
# soniabk-gen-memory-db database of that size is the base of every run), PARTS ("lag tput restore": which to run;
# restore alone makes its own 100 tx/s run).
set -euo pipefail
cd "$(dirname "$0")/.."

bin=${BIN:-build/release/bin}
dir=$(realpath -m "${BENCH_DIR:-build/bench-replicate}")
read_every=${READ_EVERY:-100ms}
lag_seconds=${LAG_SECONDS:-30}
store_seconds=${STORE_SECONDS:-60}
tput_seconds=${TPUT_SECONDS:-10}
tput_rounds=${TPUT_ROUNDS:-2}
restore_rounds=${RESTORE_ROUNDS:-3}
base_mb=${BASE_MB:-0}
parts=" ${PARTS:-lag tput restore} "
soniabk=$bin/soniabk
writer=$bin/soniabk-bench-replicate-writer

for tool in "$soniabk" "$writer" /usr/bin/time python3; do
  command -v "$tool" >/dev/null || { echo "bench: $tool not found (release build?)" >&2; exit 2; }
done
mkdir -p "$dir"
rm -rf "$dir/runs" "$dir/tput" "$dir/results"
mkdir -p "$dir/runs" "$dir/tput" "$dir/results"
if ((base_mb > 0)); then
  [ -f "$dir/base-$base_mb.db" ] || "$bin/soniabk-gen-memory-db" --out "$dir/base-$base_mb.db" --size-mb "$base_mb" >&2
fi

# A fresh database at `$1`: the base (or nothing), in WAL mode with the writer's schema, nothing left in its WAL.
fresh_db() {
  rm -f "$1" "$1-wal" "$1-shm" "$(dirname "$1")/.$(basename "$1").replicate.lock"
  ((base_mb > 0)) && cp "$dir/base-$base_mb.db" "$1"
  "$writer" --db "$1" --init >/dev/null
}

# Waits (up to 60 s) for replicate `$2` to publish its lineage record in repository `$1`.
wait_for_lineage() {
  for _ in $(seq 600); do
    compgen -G "$1/replica/*/lineage.json" >/dev/null && return 0
    kill -0 "$2" 2>/dev/null || return 1
    sleep 0.1
  done
  return 1
}

# Samples the size of WAL `$1` every 50 ms into file `$2` until killed (a check of replicate's max_wal_bytes).
sample_wal() {
  while :; do stat -c %s "$1" 2>/dev/null || echo 0; sleep 0.05; done >"$2"
}

# Run `$1`: rate `$2` tx/s (0: unlimited), replicate --interval `$3`, `$4` seconds of writes, into $dir/runs/$1.
run_replicated() {
  local name=$1 rate=$2 interval=$3 secs=$4 r=$dir/runs/$1 pid sampler
  mkdir -p "$r"
  fresh_db "$r/memory.db"
  "$soniabk" init --repo "$r/repo" -q
  "$soniabk" replicate --repo "$r/repo" --db "$r/memory.db" --interval "$interval" --read-every "$read_every" --json \
    >"$r/replicate.json" 2>"$r/replicate.err" &
  pid=$!
  wait_for_lineage "$r/repo" "$pid" || { echo "bench: replicate of $name did not start: $(cat "$r/replicate.err")" >&2; exit 1; }
  sample_wal "$r/memory.db-wal" "$r/wal-samples.txt" &
  sampler=$!
  /usr/bin/time -f "%e %U %S %M" -o "$r/writer-time.txt" \
    "$writer" --db "$r/memory.db" --rate "$rate" --for "$secs" --log "$r/commits.txt" >"$r/writer.txt"
  sleep 2.5  # longer than any interval: everything committed ships on replicate's own schedule, not at its stop
  kill "$sampler"; wait "$sampler" 2>/dev/null || true
  kill -TERM "$pid"
  wait "$pid" || { echo "bench: replicate of $name failed: $(cat "$r/replicate.err")" >&2; exit 1; }
  echo "$name $rate $interval $secs" >"$r/params.txt"
  echo "bench: run $name done: $(cat "$r/writer.txt")" >&2
}

# One line of figures for run `$1` (see the header printed below), from its segments, commit log and JSON.
analyse() {
  python3 bench/replicate_lag.py "$dir/runs/$1" "$read_every"
}

load_before=$(cut -d' ' -f1-3 /proc/loadavg)

# 1, 3, 4: lag, storage and the WAL, one fresh database and repository per run.
runs=("rate10-1s 10 1s $store_seconds" "rate100-1s 100 1s $store_seconds" "rate1000-1s 1000 1s $lag_seconds"
      "rate1-1s 1 1s $store_seconds"
      "rate10-250ms 10 250ms $lag_seconds" "rate100-250ms 100 250ms $lag_seconds" "rate1000-250ms 1000 250ms $lag_seconds")
[[ $parts == *" lag "* ]] && for run in "${runs[@]}"; do
  # shellcheck disable=SC2086
  run_replicated $run
  analyse "${run%% *}" >>"$dir/results/lag"
done

# Transactions in the segments of repository `$1`, from their names.
shipped() {
  find "$1/replica" -name '*.seg' -printf '%f\n' | awk -F_ '{ s += $4 } END { print s + 0 }'
}

# 2: the writer alone, unlimited, against the writer beside replicate; fresh database each time, alternating order.
tput() {
  local mode=$1 round=$2 t=$dir/tput/$1-$2 pid=
  mkdir -p "$t"
  fresh_db "$t/memory.db"
  if [ "$mode" = replicated ]; then
    "$soniabk" init --repo "$t/repo" -q
    "$soniabk" replicate --repo "$t/repo" --db "$t/memory.db" --json >"$t/replicate.json" 2>"$t/replicate.err" &
    pid=$!
    wait_for_lineage "$t/repo" "$pid" || { echo "bench: replicate did not start: $(cat "$t/replicate.err")" >&2; exit 1; }
  fi
  sync
  /usr/bin/time -f "%e %U %S %M" -o "$t/time.txt" "$writer" --db "$t/memory.db" --rate 0 --for "$tput_seconds" >"$t/writer.txt"
  local catchup=0
  if [ -n "$pid" ]; then
    # replicate may trail an unlimited writer: wait until its segments hold every commit (this long), then stop it.
    local committed start_ms
    committed=$(awk '{ print $2 }' "$t/writer.txt")
    start_ms=$(date +%s%3N)
    until (($(shipped "$t/repo") >= committed)); do
      (($(date +%s%3N) - start_ms < 300000)) || { echo "bench: replicate did not catch up in 300 s" >&2; break; }
      sleep 0.1
    done
    catchup=$(awk -v a="$start_ms" -v b="$(date +%s%3N)" 'BEGIN { printf "%.1f", (b - a) / 1000 }')
    sleep 3  # a brake (checkpoint behind the barrier) may still be finishing
    kill -TERM "$pid"
    wait "$pid" || echo "bench: replicate ($mode round $round) stopped with: $(cat "$t/replicate.err")" >&2
    python3 -c 'import json, sys; j = json.load(open(sys.argv[1])); print(j.get("max_wal_bytes"), len(j.get("lineages", [])), json.dumps(j.get("new_lineage_reasons")))' \
      "$t/replicate.json" >"$t/replicate-summary.txt" 2>/dev/null || echo "? ? ?" >"$t/replicate-summary.txt"
    cp "$t/replicate.json" "$dir/results/tput-replicate-$round.json"
  fi
  local tps cpu
  tps=$(awk '{ print $(NF - 1) }' "$t/writer.txt")
  cpu=$(awk '{ print $2 + $3 }' "$t/time.txt")
  echo "$mode $round $tps $cpu $catchup" >>"$dir/results/tput"
  echo "bench: throughput $mode round $round: $tps tx/s" >&2
  [ -f "$t/replicate-summary.txt" ] && echo "$round $(cat "$t/replicate-summary.txt")" >>"$dir/results/tput-wal"
  rm -rf "$t"
}
[[ $parts == *" tput "* ]] && for ((round = 1; round <= tput_rounds; round++)); do
  if ((round % 2)); then tput alone "$round"; tput replicated "$round"; else tput replicated "$round"; tput alone "$round"; fi
done

# 5: restore --at the last point of the 100 tx/s run against a plain page-store backup of the same database.
restore_part() {
r=$dir/runs/rate100-1s
[ -f "$r/params.txt" ] || run_replicated rate100-1s 100 1s "$store_seconds"
"$soniabk" init --repo "$r/repo-plain" -q
"$soniabk" backup db --repo "$r/repo-plain" --db "$r/memory.db" --format pages -q
"$writer" --db "$r/memory.db" --report >"$r/source-report.txt"
last_point=$("$soniabk" list --points --json --repo "$r/repo" | python3 -c '
import json, sys
print(json.load(sys.stdin)["lineages"][-1]["last_point"])')
restore_run() {
  local name=$1
  shift
  sync
  /usr/bin/time -f "%e %U %S %M" -o "$dir/time.txt" "$soniabk" restore --db "$r/memory.db" --force "$@" >/dev/null
  read -r wall user sys rss <"$dir/time.txt"
  echo "$wall $(awk -v u="$user" -v s="$sys" 'BEGIN { print u + s }') $rss" >>"$dir/results/restore-$name"
  "$writer" --db "$r/memory.db" --report >"$r/report-$name.txt"
  cmp -s "$r/report-$name.txt" "$r/source-report.txt" || echo "bench: restore $name gave $(cat "$r/report-$name.txt"), the source $(cat "$r/source-report.txt")" >&2
}
for ((round = 1; round <= restore_rounds; round++)); do
  restore_run at --repo "$r/repo" --at "$last_point"
  restore_run plain --repo "$r/repo-plain" --latest
  echo "bench: restore round $round/$restore_rounds done" >&2
done
"$soniabk" restore --db "$r/memory.db" --force --repo "$r/repo" --at "$last_point" --json >"$r/restore-at.json"
}
[[ $parts == *" restore "* ]] && restore_part
load_after=$(cut -d' ' -f1-3 /proc/loadavg)

# Output.
mib() { awk -v b="$1" 'BEGIN { printf "%.2f", b / 1048576 }'; }
median() { sort -n -k"$2","$2" "$1" | awk -v c="$2" '{ v[NR] = $c } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
echo "### replicate, local repository, read every $read_every, base $( ((base_mb > 0)) && echo "$base_mb MB" || echo "empty")"
echo
echo "Lag in ms. *approx* = segment mtime - first commit time in its name + $read_every (the brief's estimate);"
echo "*true* = segment mtime - the writer's own clock reading right after COMMIT of the segment's oldest transaction;"
echo "*per tx* = the same for every transaction; *seen after* = name's first commit - true commit (min..max)."
echo
if [ -f "$dir/results/lag" ]; then
echo "| run | rate tx/s | interval | s | committed | shipped | segments | approx p50 | approx p99 | approx max | true p50 | true p99 | true max | per tx p50 | per tx p99 | seen after ms | max_wal_bytes | WAL sampled max | checkpoints (complete) | lineages |"
echo "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|"
while read -r name rate interval secs committed shipped counted segs lineages ap50 ap99 amax tp50 tp99 tmax xp50 xp99 smin smax bytes maxwal walsample cps ccps skips truncs fails replin; do
  echo "| $name | $rate | $interval | $secs | $committed | $shipped | $segs | $ap50 | $ap99 | $amax | $tp50 | $tp99 | $tmax | $xp50 | $xp99 | $smin..$smax | $maxwal | $walsample | $cps ($ccps) | $replin |"
done <"$dir/results/lag"
echo
echo "| storage | tx | segment bytes | bytes / tx | MiB / day |"
echo "|---|---|---|---|---|"
while read -r name rate interval secs committed shipped counted segs lineages ap50 ap99 amax tp50 tp99 tmax xp50 xp99 smin smax bytes rest; do
  [ "$interval" = 1s ] || continue
  echo "| $rate tx/s ($name) | $committed | $bytes | $(awk -v b="$bytes" -v n="$committed" 'BEGIN { printf "%.0f", b / n }') | $(awk -v b="$bytes" -v s="$secs" 'BEGIN { printf "%.1f", b / s * 86400 / 1048576 }') |"
done <"$dir/results/lag"
echo
fi
if [ -f "$dir/results/tput" ]; then
echo "| throughput, unlimited, ${tput_seconds} s, fresh db | round | tx/s | writer CPU s | replicate caught up s after |"
echo "|---|---|---|---|---|"
sort -k2,2n -k1,1 "$dir/results/tput" | while read -r mode round tps cpu catchup; do echo "| $mode | $round | $tps | $cpu | $catchup |"; done
alone=$(awk '$1 == "alone" { s += $3; n++ } END { print s / n }' "$dir/results/tput")
replicated=$(awk '$1 == "replicated" { s += $3; n++ } END { print s / n }' "$dir/results/tput")
echo
[ -f "$dir/results/tput-wal" ] && while read -r round maxwal lineages reasons; do
  echo "- replicated round $round: max_wal_bytes $maxwal, $lineages lineages, new lineage reasons: $reasons"
done <"$dir/results/tput-wal"
echo "- mean alone $alone tx/s, with replicate $replicated tx/s: $(awk -v a="$alone" -v b="$replicated" 'BEGIN { printf "%+.1f%%", (b / a - 1) * 100 }')"
echo
fi
if [[ $parts == *" restore "* ]]; then
echo "| restore of rate100-1s ($(awk '{ print $2 }' "$r/source-report.txt") memories, $(du -m "$r/memory.db" | cut -f1) MB; $restore_rounds rounds, medians) | wall s | CPU s | peak RSS MB |"
echo "|---|---|---|---|"
for name in at plain; do
  echo "| $name | $(median "$dir/results/restore-$name" 1) | $(median "$dir/results/restore-$name" 2) | $(awk -v k="$(median "$dir/results/restore-$name" 3)" 'BEGIN { printf "%.1f", k / 1024 }') |"
done
echo
echo "- restore --at point: $(python3 -c 'import json,sys; print(json.dumps(json.load(open(sys.argv[1])).get("point")))' "$r/restore-at.json")"
echo "- plain: \`backup db --format pages\` of the database after the run, then \`restore --latest\`; both with restore's default checks"
fi
echo "- load average before / after: $load_before / $load_after"
