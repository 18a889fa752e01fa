#!/usr/bin/env bash
# Compression and encryption benchmark: soniabk's codec and `backup db` variants beside
# `zstd -3 -T0` on the same ~500 MB memory database; warm cache, interleaved rounds, medians.
# Usage: bench/bench_codec.sh [DB] [ROUNDS]   (release build expected in build/release/bin)
set -euo pipefail
cd "$(dirname "$0")/.."
bin="${SONIABK_BIN_DIR:-build/release/bin}"
work="${BENCH_WORK:-${TMPDIR:-/tmp}/soniabk-bench-codec}"
db="${1:-$work/memory.db}"
rounds="${2:-3}"
mkdir -p "$work"
if [ ! -f "$db" ]; then
  gen="$bin/soniabk-gen-memory-db"
  [ -x "$gen" ] || { echo "no $db and no $gen: pass a database" >&2; exit 2; }
  "$gen" --out "$db" --size-mb 500
fi
key="$work/bench.key"
[ -f "$key" ] || "$bin/soniabk" keygen "$key" >/dev/null
export TMPDIR="$work"  # the encoded backups' scratch snapshot goes where the rest of the I/O goes

declare -A samples
record() { samples[$1]+="$2 "; }
median() { tr ' ' '\n' <<<"$1" | grep -v '^$' | sort -n | awk '{a[NR]=$1} END {print (NR%2) ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2}'; }
# Runs a command, prints "seconds peak_rss_kb cpu_seconds" (CPU: user + system, all threads).
timed() { /usr/bin/time -f "%e %M %U %S" -o "$work/time.out" "$@" >/dev/null; awk '{print $1, $2, $3 + $4}' "$work/time.out"; }
field() { sed "s/.*\"$1\":\([0-9.]*\).*/\1/" <<<"$2"; }

cat "$db" >/dev/null  # warm the page cache
plain_bytes=$(stat -c %s "$db")
# One plain and one compressed+encrypted backup, restored with the whole `soniabk restore` every round.
rrepo="$work/restore-repo"
live="$work/live/memory.db"
rm -rf "$rrepo" "$work/live" && mkdir -p "$work/live" && cp "$db" "$live"
"$bin/soniabk" init --repo "$rrepo" --format files -q
declare -A restore_ids
backup_id() { "$bin/soniabk" --json --repo "$rrepo" --db "$db" backup db --check none "$@" | grep -o '"backup_id": *"[^"]*"' | head -1 | cut -d'"' -f4; }
restore_ids[plain]=$(backup_id)
restore_ids[zstd_enc]=$(backup_id --compress zstd --encrypt --key-file "$key")
for round in $(seq 1 "$rounds"); do
  echo "round $round/$rounds" >&2
  # The reference tool: zstd on the same file, alone and followed by sync of its output (soniabk fsyncs).
  rm -f "$work/ref.zst"
  read -r s _ cpu < <(timed zstd -3 -T0 -q -f "$db" -o "$work/ref.zst"); record zstd_cli "$s"; record zstd_cli_cpu "$cpu"
  record zstd_cli_bytes "$(stat -c %s "$work/ref.zst")"
  rm -f "$work/ref.zst"
  read -r s _ < <(timed sh -c "zstd -3 -T0 -q -f '$db' -o '$work/ref.zst' && sync '$work/ref.zst'"); record zstd_cli_sync "$s"
  rm -f "$work/ref.zst"
  # Plain restore's work as a reference for decoding: sha256 + cp + sync.
  rm -f "$work/copy.db"
  read -r s _ < <(timed sh -c "openssl dgst -sha256 '$db' >/dev/null && cp '$db' '$work/copy.db' && sync '$work/copy.db'")
  record restore_reference "$s"
  rm -f "$work/copy.db"
  # The codec alone: encode (hash, compress, encrypt, hash, fsync) and decode (same checks, fsync).
  for variant in plain zstd enc zstd_enc; do
    args=()
    case $variant in zstd) args=(zstd:3) ;; enc) args=("encrypt:$key") ;; zstd_enc) args=(zstd:3 "encrypt:$key") ;; esac
    line=$("$bin/soniabk-bench-codec" "$db" "$work" "${args[@]}")
    for f in encode_seconds encode_cpu decode_seconds decode_cpu stored_bytes; do
      record "codec_${variant}_$f" "$(field "$f" "$line")"
    done
  done
  # Whole backups (snapshot included, --check none), each into a fresh repository.
  for variant in plain zstd enc zstd_enc; do
    args=()
    case $variant in zstd) args=(--compress zstd) ;; enc) args=(--encrypt --key-file "$key") ;;
      zstd_enc) args=(--compress zstd --encrypt --key-file "$key") ;; esac
    rm -rf "$work/repo" && "$bin/soniabk" init --repo "$work/repo" --format files -q
    read -r s rss cpu < <(timed "$bin/soniabk" --repo "$work/repo" --db "$db" backup db --check none "${args[@]}")
    record "backup_${variant}" "$s"
    record "backup_${variant}_rss" "$rss"
    record "backup_${variant}_cpu" "$cpu"
  done
  rm -rf "$work/repo"
  for variant in plain zstd_enc; do
    sync  # earlier runs' write-back must not be billed to this one
    read -r s _ cpu < <(timed "$bin/soniabk" --repo "$rrepo" --db "$live" restore "${restore_ids[$variant]}" --check none --key-file "$key")
    record "restore_${variant}" "$s"
    record "restore_${variant}_cpu" "$cpu"
    rm -f "$work"/live/memory-replaced-*
  done
done

m() { median "${samples[$1]}"; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN {printf "%.3f", a / b}'; }
echo "database: $db ($plain_bytes bytes), $rounds rounds, medians; $(nproc) CPUs, load $(cut -d' ' -f1-3 /proc/loadavg)"
echo
echo "compression (level 3)        wall s    CPU s   stored bytes   ratio (plain/stored)"
printf "zstd -3 -T0                 %7s  %7s   %12s   %s\n" "$(m zstd_cli)" "$(m zstd_cli_cpu)" "$(m zstd_cli_bytes)" "$(ratio "$plain_bytes" "$(m zstd_cli_bytes)")"
printf "zstd -3 -T0 + sync          %7s\n" "$(m zstd_cli_sync)"
for v in plain zstd enc zstd_enc; do
  printf "codec %-9s encode       %7s  %7s   %12s   %s\n" "$v" "$(m codec_${v}_encode_seconds)" "$(m codec_${v}_encode_cpu)" \
    "$(m codec_${v}_stored_bytes)" "$(ratio "$plain_bytes" "$(m codec_${v}_stored_bytes)")"
done
echo
echo "stored size vs zstd CLI: $(ratio "$(m codec_zstd_stored_bytes)" "$(m zstd_cli_bytes)")   (target: within 2%)"
echo "codec zstd encode vs zstd -3 -T0: wall $(ratio "$(m codec_zstd_encode_seconds)" "$(m zstd_cli)"), wall vs zstd + sync $(ratio "$(m codec_zstd_encode_seconds)" "$(m zstd_cli_sync)"), CPU $(ratio "$(m codec_zstd_encode_cpu)" "$(m zstd_cli_cpu)")   (target: 1.2x)"
echo
echo "backup db --check none        wall s    CPU s   peak RSS KB"
for v in plain zstd enc zstd_enc; do printf "%-27s %7s  %7s   %s\n" "$v" "$(m backup_$v)" "$(m backup_${v}_cpu)" "$(m backup_${v}_rss)"; done
echo "encrypted / unencrypted (wall): enc vs plain $(ratio "$(m backup_enc)" "$(m backup_plain)"), zstd_enc vs zstd $(ratio "$(m backup_zstd_enc)" "$(m backup_zstd)")   (target: 1.15x)"
echo "encrypted / unencrypted (CPU):  enc vs plain $(ratio "$(m backup_enc_cpu)" "$(m backup_plain_cpu)"), zstd_enc vs zstd $(ratio "$(m backup_zstd_enc_cpu)" "$(m backup_zstd_cpu)")"
echo
echo "decode into a new file (restore's copy step), all digests checked, fsync: wall s, CPU s"
printf "sha256 + cp + sync (stock tools)   %7s\n" "$(m restore_reference)"
for v in plain zstd enc zstd_enc; do printf "codec %-9s decode           %7s  %7s\n" "$v" "$(m codec_${v}_decode_seconds)" "$(m codec_${v}_decode_cpu)"; done
echo "zstd_enc decode vs plain decode: wall $(ratio "$(m codec_zstd_enc_decode_seconds)" "$(m codec_plain_decode_seconds)"), vs stock tools $(ratio "$(m codec_zstd_enc_decode_seconds)" "$(m restore_reference)")   (target: 1.5x)"
echo
echo "soniabk restore --check none (the whole command: verify, decode, fsync, keep aside, swap): wall s, CPU s"
for v in plain zstd_enc; do printf "restore %-9s              %7s  %7s\n" "$v" "$(m restore_$v)" "$(m restore_${v}_cpu)"; done
echo "compressed+encrypted restore vs plain restore: wall $(ratio "$(m restore_zstd_enc)" "$(m restore_plain)")   (target: 1.5x)"
