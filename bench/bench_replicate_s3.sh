#!/usr/bin/env bash
# replicate's commit-to-durable lag into an object store on loopback: a local Ceph RGW (scripts/rgw.sh; needs
# scripts/setup_rgw.sh's packages, s3cmd, python3 with botocore; curl 7.88's --aws-sigv4 signs list queries wrong). As bench_replicate.sh's lag runs, but the repository
# is s3://bench/<run>, and a segment's durable time is the first time a ListObjectsV2 of its prefix, polled every
# 50 ms (bench/replicate_s3_watch.py, botocore), showed it (an upper bound: a listing and the pause take ~65 ms).
# Needs the release build of soniabk and soniabk-bench-replicate-writer.
# Environment: BENCH_DIR (build/bench-replicate-s3), BIN (build/release/bin), READ_EVERY (100ms),
# LAG_SECONDS (30), RUNS ("rate10-1s 10 1s" ...: name, tx/s, --interval).
set -euo pipefail
cd "$(dirname "$0")/.."

bin=${BIN:-build/release/bin}
dir=$(realpath -m "${BENCH_DIR:-build/bench-replicate-s3}")
read_every=${READ_EVERY:-100ms}
lag_seconds=${LAG_SECONDS:-30}
soniabk=$bin/soniabk
writer=$bin/soniabk-bench-replicate-writer
for tool in "$soniabk" "$writer" s3cmd python3; do
  command -v "$tool" >/dev/null || { echo "bench: $tool not found" >&2; exit 2; }
done
mkdir -p "$dir"
rm -rf "$dir/runs" "$dir/results"
mkdir -p "$dir/runs" "$dir/results"
rgw=$dir/rgw
bash scripts/rgw.sh start "$rgw" >&2
trap 'bash scripts/rgw.sh stop "$rgw" >/dev/null' EXIT
set -a && . "$rgw/env" && set +a
s3cmd=(s3cmd -c "$rgw/s3cfg" --no-progress -q)
"${s3cmd[@]}" mb s3://bench >/dev/null
empty_sha256=$(printf '' | sha256sum | cut -d' ' -f1)  # curl 7.88's sigv4 does not send x-amz-content-sha256 itself

# Polls the listing of prefix `$1` every 50 ms into `$2` ("epoch_ms key size" per key per listing) until killed.
watch() { exec python3 bench/replicate_s3_watch.py bench "$1" 0.05 >"$2"; }
printf x | "${s3cmd[@]}" put - s3://bench/probe/x >/dev/null
probe=$(timeout 2 python3 bench/replicate_s3_watch.py bench probe/ 2>&1 || true)
grep -q 'probe/x 1' <<<"$probe" || { echo "bench: cannot list the bucket with botocore: $probe" >&2; exit 1; }

run() {
  local name=$1 rate=$2 interval=$3 r=$dir/runs/$1 repo=s3://bench/$1 pid watcher
  mkdir -p "$r"
  rm -f "$r/memory.db" "$r/memory.db-wal" "$r/memory.db-shm"
  "$writer" --db "$r/memory.db" --init >/dev/null
  "$soniabk" init --repo "$repo" -q
  watch "$name/replica/" "$r/seen.txt" &
  watcher=$!
  "$soniabk" replicate --repo "$repo" --db "$r/memory.db" --interval "$interval" --read-every "$read_every" --json \
    >"$r/replicate.json" 2>"$r/replicate.err" &
  pid=$!
  for _ in $(seq 600); do grep -q 'lineage.json' "$r/seen.txt" 2>/dev/null && break; sleep 0.1; done
  grep -q 'lineage.json' "$r/seen.txt" || { echo "bench: replicate of $name did not start: $(cat "$r/replicate.err")" >&2; exit 1; }
  "$writer" --db "$r/memory.db" --rate "$rate" --for "$lag_seconds" --log "$r/commits.txt" >"$r/writer.txt"
  sleep 2.5
  kill -TERM "$pid"
  wait "$pid" || { echo "bench: replicate of $name failed: $(cat "$r/replicate.err")" >&2; exit 1; }
  sleep 0.3
  kill "$watcher"; wait "$watcher" 2>/dev/null || true
  echo "$name $rate $interval $lag_seconds" >"$r/params.txt"
  python3 bench/replicate_lag.py "$r" "$read_every" "$r/seen.txt" >>"$dir/results/lag"
  echo "bench: run $name done: $(cat "$r/writer.txt")" >&2
}

load_before=$(cut -d' ' -f1-3 /proc/loadavg)
runs=${RUNS:-"rate10-1s 10 1s;rate100-1s 100 1s;rate1000-1s 1000 1s"}
IFS=';' read -ra list_of_runs <<<"$runs"
for spec in "${list_of_runs[@]}"; do
  # shellcheck disable=SC2086
  run $spec
done
load_after=$(cut -d' ' -f1-3 /proc/loadavg)

echo "### replicate into a local Ceph RGW on loopback (s3://), read every $read_every"
echo
echo "Lag in ms; durable = first 50 ms listing that showed the segment. *approx* = that - first commit in the name + $read_every;"
echo "*true* = that - the writer's clock right after COMMIT of the segment's oldest transaction."
echo
echo "| run | rate tx/s | interval | s | committed | shipped | segments | approx p50 | approx p99 | approx max | true p50 | true p99 | true max | per tx p50 | per tx p99 | seen after ms | segment bytes | max_wal_bytes | ship failures |"
echo "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|"
while read -r name rate interval secs committed shipped counted segs lineages ap50 ap99 amax tp50 tp99 tmax xp50 xp99 smin smax bytes maxwal walsample cps ccps skips truncs fails replin; do
  echo "| $name | $rate | $interval | $secs | $committed | $shipped | $segs | $ap50 | $ap99 | $amax | $tp50 | $tp99 | $tmax | $xp50 | $xp99 | $smin..$smax | $bytes | $maxwal | $fails |"
done <"$dir/results/lag"
echo
echo "- load average before / after: $load_before / $load_after"
