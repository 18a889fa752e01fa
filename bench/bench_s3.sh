#!/usr/bin/env bash
# Off-site copies to an S3 server: `soniabk copy` of the benchmark database's repository to a local Ceph RGW
# against `rclone copy` and `s3cmd put` of the same files to the same server, interleaved, with peak RSS; then
# `restore --latest` from the bucket against the same restore from the local repository. Prints markdown for
# bench/RESULTS.md. Needs the release build (cmake --preset release && cmake --build build/release --target
# soniabk soniabk-gen-memory-db), scripts/setup_rgw.sh, and rclone (Debian package).
# Environment: SIZE_MB (500), ROUNDS (3), BENCH_DIR (build/bench-s3), BIN (build/release/bin).
set -euo pipefail
cd "$(dirname "$0")/.."

bin=${BIN:-build/release/bin}
dir=$(realpath -m "${BENCH_DIR:-build/bench-s3}")
size_mb=${SIZE_MB:-500}
rounds=${ROUNDS:-3}
for tool in "$bin/soniabk" "$bin/soniabk-gen-memory-db" rclone s3cmd /usr/bin/time; do
  command -v "$tool" >/dev/null || { echo "bench: $tool not found" >&2; exit 2; }
done

mkdir -p "$dir"
rgw=$dir/rgw
# The osd keeps objects in memory, about twice their size: room for one round's uploads.
RGW_MEMSTORE_BYTES=$((8 << 30)) bash scripts/rgw.sh start "$rgw" >&2
trap 'bash scripts/rgw.sh stop "$rgw" >/dev/null' EXIT
set -a && . "$rgw/env" && set +a
endpoint=$AWS_ENDPOINT_URL
export RCLONE_CONFIG_RGW_TYPE=s3 RCLONE_CONFIG_RGW_PROVIDER=Ceph RCLONE_CONFIG_RGW_ENDPOINT=$endpoint \
  RCLONE_CONFIG_RGW_ACCESS_KEY_ID=$AWS_ACCESS_KEY_ID RCLONE_CONFIG_RGW_SECRET_ACCESS_KEY=$AWS_SECRET_ACCESS_KEY
s3cmd=(s3cmd -c "$rgw/s3cfg" --no-progress -q)
"${s3cmd[@]}" mb s3://bench >/dev/null

source_db=$dir/memory-$size_mb.db
[ -f "$source_db" ] || "$bin/soniabk-gen-memory-db" --out "$source_db" --size-mb "$size_mb" >&2
db=$dir/live/memory.db
mkdir -p "$dir/live" && cp "$source_db" "$db"
repo=$dir/repo
rm -rf "$repo" && "$bin/soniabk" init --repo "$repo" --format files -q
"$bin/soniabk" backup db --db "$db" --repo "$repo" -q
rm -rf "$dir/results" && mkdir -p "$dir/results"

# Runs the command after `$1` (a results name), appending wall seconds to $1 and peak RSS (MB) to $1-rss.
timed() {
  local results=$1
  shift
  /usr/bin/time -f "%e %M" -o "$dir/results/last" "$@" >/dev/null 2>"$dir/results/stderr" || { cat "$dir/results/stderr" >&2; exit 1; }
  read -r seconds kb <"$dir/results/last"
  echo "$seconds" >>"$dir/results/$results"
  awk -v k="$kb" 'BEGIN { printf "%.1f\n", k / 1024 }' >>"$dir/results/$results-rss"
}
median() { sort -n "$1" | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
drop() { "${s3cmd[@]}" del --recursive --force "s3://bench/$1" >/dev/null; }

cat "$repo"/db/* >/dev/null  # warm cache for every tool
for ((round = 1; round <= rounds; round++)); do
  "$bin/soniabk" init --repo "s3://bench/soniabk-$round" --format files -q
  timed copy-soniabk "$bin/soniabk" copy --repo "$repo" --to "s3://bench/soniabk-$round" --all -q
  # AWS_CA_BUNDLE (set on some machines) breaks rclone's SDK on a plain-HTTP endpoint.
  timed copy-rclone env -u AWS_CA_BUNDLE rclone copy "$repo/db" "rgw:bench/rclone-$round/db"
  timed copy-s3cmd "${s3cmd[@]}" put --recursive "$repo/db" "s3://bench/s3cmd-$round/"
  restored=$dir/restored/memory.db
  rm -rf "$dir/restored" && mkdir -p "$dir/restored"
  timed restore-s3 "$bin/soniabk" restore --latest --repo "s3://bench/soniabk-$round" --db "$restored" -q
  rm -rf "$dir/restored" && mkdir -p "$dir/restored"
  timed restore-local "$bin/soniabk" restore --latest --repo "$repo" --db "$restored" -q
  drop "soniabk-$round" && drop "rclone-$round" && drop "s3cmd-$round"
  echo "bench: round $round/$rounds done" >&2
done

copy_s=$(median "$dir/results/copy-soniabk") rclone_s=$(median "$dir/results/copy-rclone") s3cmd_s=$(median "$dir/results/copy-s3cmd")
faster=$(awk -v a="$rclone_s" -v b="$s3cmd_s" 'BEGIN { print (a < b) ? a : b }')
restore_s3=$(median "$dir/results/restore-s3") restore_local=$(median "$dir/results/restore-local")
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }
echo "### $(du -m "$source_db" | cut -f1) MB database's repository to a local Ceph RGW 16.2 (memstore), $rounds interleaved rounds (medians)"
echo
echo "| run | seconds | peak RSS MB | ratio |"
echo "|---|---|---|---|"
echo "| \`soniabk copy --all\` | $copy_s | $(median "$dir/results/copy-soniabk-rss") | $(ratio "$copy_s" "$faster") x the faster of rclone and s3cmd |"
echo "| \`rclone copy\` | $rclone_s | $(median "$dir/results/copy-rclone-rss") | |"
echo "| \`s3cmd put --recursive\` | $s3cmd_s | $(median "$dir/results/copy-s3cmd-rss") | |"
echo "| \`restore --latest\` from the bucket | $restore_s3 | $(median "$dir/results/restore-s3-rss") | $(ratio "$restore_s3" "$restore_local") x the local restore |"
echo "| \`restore --latest\` from the local repository | $restore_local | $(median "$dir/results/restore-local-rss") | |"
