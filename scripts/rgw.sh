#!/usr/bin/env bash
# A private one-node Ceph cluster (mon, mgr, one memstore osd, radosgw) on 127.0.0.1 for the S3 tests.
#   scripts/rgw.sh start DIR   creates the cluster under DIR, starts it, checks S3 works (and refuses a bad
#                              signature), writes DIR/env (AWS_* lines) and DIR/s3cfg, prints the endpoint
#   scripts/rgw.sh stop DIR    stops every daemon that start recorded in DIR/pids
# Logs: DIR/log/NAME.log (the daemon's) and NAME.out (its stderr). scripts/rgw_check.py DIR probes S3 details.
# Everything (conf, keyring, data, sockets, logs) lives under DIR, so several clusters can run at once and
# /etc/ceph and /var/lib/ceph are never used. Needs scripts/setup_rgw.sh's packages.
# Environment: RGW_TIMEOUT (seconds for the whole start, default 120), RGW_MEMSTORE_BYTES (the osd's RAM
# disk, default 2 GiB; memory is only taken as data is written).
set -euo pipefail

usage() { echo "usage: $0 start|stop DIR" >&2; exit 2; }
(($# == 2)) || usage
cmd=$1
mkdir -p "$2"
dir=$(cd "$2" && pwd)
export CEPH_CONF=$dir/ceph.conf  # every ceph tool below reads this cluster's conf, never /etc/ceph

# Stops the daemons listed in DIR/pids, newest first; a pid is only signalled while its command line still
# names DIR (so a reused pid is never hit). SIGTERM, then SIGKILL after 15 s; done when it is gone or a zombie.
running() { [ -e "/proc/$1" ] && [ "$(awk '{print $3}' "/proc/$1/stat" 2>/dev/null)" != Z ]; }
stop_all() {
  [ -f "$dir/pids" ] || return 0
  local name pid i
  tac "$dir/pids" | while read -r name pid; do
    grep -qF "$dir/" "/proc/$pid/cmdline" 2>/dev/null || continue
    kill -TERM "$pid" 2>/dev/null || continue
    for ((i = 0; i < 150; i++)); do running "$pid" || break; sleep 0.1; done
    if running "$pid"; then
      kill -KILL "$pid" 2>/dev/null || true
      while running "$pid"; do sleep 0.1; done
    fi
  done
  rm -f "$dir/pids"
}

if [ "$cmd" = stop ]; then
  stop_all
  echo "rgw: stopped $dir"
  exit 0
fi
[ "$cmd" = start ] || usage

timeout=${RGW_TIMEOUT:-120}
deadline=$((SECONDS + timeout))
if [ -f "$dir/pids" ]; then echo "rgw: $dir already has a cluster (run: $0 stop $dir)" >&2; exit 1; fi
rm -rf "$dir"/{ceph.conf,keyring,monmap,mon,mgr,osd,rgw,run,log,crash,env,s3cfg}
mkdir -p "$dir"/{mon,mgr/ceph-x,osd/ceph-0,rgw,run,log,crash}

# fail MESSAGE [DAEMON]: one line on stderr, the tail of DAEMON's log, the daemons stopped, exit 1.
fail() {
  echo "rgw: $1" >&2
  if [ -n "${2:-}" ]; then
    echo "--- tail of $dir/log/$2.log and $dir/log/$2.out:" >&2
    tail -n 20 "$dir/log/$2.log" "$dir/log/$2.out" >&2 2>/dev/null || true
  fi
  stop_all
  exit 1
}

# launch NAME COMMAND...: runs a daemon in the foreground under setsid (so it outlives this script), its
# pid in DIR/pids and its stdout/stderr in DIR/log/NAME.out.
launch() {
  local name=$1; shift
  setsid "$@" -c "$CEPH_CONF" -f >"$dir/log/$name.out" 2>&1 </dev/null &  # -c: its command line names DIR
  echo "$name $!" >>"$dir/pids"
}

# wait_for DAEMON WHAT COMMAND...: retries COMMAND until it succeeds; fails at the deadline or as soon as
# DAEMON has exited.
wait_for() {
  local name=$1 what=$2; shift 2
  local pid; pid=$(awk -v n="$name" '$1 == n {print $2}' "$dir/pids")
  until "$@" >/dev/null 2>&1; do
    kill -0 "$pid" 2>/dev/null || fail "$name exited while waiting for $what" "$name"
    ((SECONDS < deadline)) || fail "timed out after ${timeout}s waiting for $what" "$name"
    sleep 0.5
  done
}

# Free ports from the OS (bound at once, so they differ); another process could take them before the daemons
# bind, which then shows as a daemon that exits.
read -r mon_port rgw_port < <(python3 -c '
import socket
ss = [socket.socket() for _ in range(2)]
for s in ss: s.bind(("127.0.0.1", 0))
print(*(s.getsockname()[1] for s in ss))')
read -r access_key secret_key < <(python3 -c '
import secrets, string
a = string.ascii_uppercase + string.digits
print("".join(secrets.choice(a) for _ in range(20)), secrets.token_urlsafe(30)[:40])')
fsid=$(cat /proc/sys/kernel/random/uuid)
osd_uuid=$(cat /proc/sys/kernel/random/uuid)

cat >"$CEPH_CONF" <<EOF
[global]
fsid = $fsid
mon host = v2:127.0.0.1:$mon_port
mon initial members = a
public addr = 127.0.0.1
cluster addr = 127.0.0.1
# msgr2 only: one port for the mon, and the osd and mgr bind on 127.0.0.1 in the usual 6800-7300 range
ms bind msgr1 = false
keyring = $dir/keyring
run dir = $dir/run
admin socket = $dir/run/\$name.asok
log file = $dir/log/\$name.log
mon cluster log file = $dir/log/cluster.log
crash dir = $dir/crash
mon data = $dir/mon/\$cluster-\$id
mgr data = $dir/mgr/\$cluster-\$id
osd data = $dir/osd/\$cluster-\$id
# One osd: every pool has one replica, in one host, and says nothing about it
osd pool default size = 1
osd pool default min size = 1
osd crush chooseleaf type = 0
mon allow pool size one = true
mon warn on pool no redundancy = false
# RGW makes about 8 pools; the default 32 PGs each would pass mon max pg per osd (250) on one osd
osd pool default pg num = 8
osd pool default pgp num = 8
osd pool default pg autoscale mode = off
mon max pg per osd = 1000
# A test cluster: no warnings about the host's disk or old clients
mon data avail warn = 1
auth allow insecure global id reclaim = false
# The mgr loads only the modules the mon insists on (always on) from DIR/mgr/modules: half the time and memory
mgr module path = $dir/mgr/modules
mgr initial modules =
# The mon commits map changes (each pool RGW creates, the osd's boot) every 1 s by default: 0.1 s for speed
paxos propose interval = 0.1

[osd]
osd objectstore = memstore
memstore device bytes = ${RGW_MEMSTORE_BYTES:-2147483648}

[client.rgw.a]
rgw frontends = beast endpoint=127.0.0.1:$rgw_port
rgw data = $dir/rgw
# A deleted object's data stays (in the osd's memory) until RGW's garbage collection: 30 s, not 2 h
rgw gc obj min wait = 30
rgw gc processor period = 30
EOF

# One keyring for every entity: mon --mkfs imports them all, with their caps, into the auth database.
ceph-authtool --create-keyring "$dir/keyring" --gen-key -n mon. --cap mon 'allow *' >/dev/null
add_key() { local n=$1; shift; ceph-authtool "$dir/keyring" --gen-key -n "$n" "$@" >/dev/null; }
add_key client.admin --cap mon 'allow *' --cap osd 'allow *' --cap mgr 'allow *' --cap mds 'allow *'
add_key mgr.x --cap mon 'allow profile mgr' --cap osd 'allow *' --cap mds 'allow *'
add_key osd.0 --cap mon 'allow profile osd' --cap mgr 'allow profile osd' --cap osd 'allow *'
add_key client.rgw.a --cap mon 'allow rw' --cap osd 'allow rwx' --cap mgr 'allow rw'

monmaptool --create --fsid "$fsid" --addv a "[v2:127.0.0.1:$mon_port]" "$dir/monmap" >/dev/null
ceph-mon --mkfs -i a --monmap "$dir/monmap" --keyring "$dir/keyring" >"$dir/log/mon.a.out" 2>&1 ||
  fail "ceph-mon --mkfs failed" mon.a
launch mon.a ceph-mon -i a
ceph_() { timeout 20 ceph --connect-timeout 5 "$@"; }
wait_for mon.a "the mon on 127.0.0.1:$mon_port" ceph_ mon stat

mkdir -p "$dir/mgr/modules"
for m in mgr_module.py mgr_util.py balancer crash devicehealth orchestrator pg_autoscaler progress rbd_support \
  status telemetry volumes; do ln -s "/usr/share/ceph/mgr/$m" "$dir/mgr/modules/"; done
launch mgr.x ceph-mgr -i x
# The osd: an id in the osdmap, an empty memstore, then the daemon; it adds itself to the crush map.
ceph_ osd new "$osd_uuid" 0 >/dev/null || fail "ceph osd new failed" mon.a
ceph-osd -i 0 --mkfs --osd-uuid "$osd_uuid" >"$dir/log/osd.0.out" 2>&1 || fail "ceph-osd --mkfs failed" osd.0
launch osd.0 ceph-osd -i 0
wait_for osd.0 "the osd to be up" sh -c 'ceph --connect-timeout 5 osd dump -f json | grep -q "\"up\":1"'
# The gateway needs no mgr; the mgr's python modules load meanwhile (it is awaited below).
launch client.rgw.a radosgw -n client.rgw.a
wait_for client.rgw.a "the gateway on 127.0.0.1:$rgw_port" curl -sf -o /dev/null "http://127.0.0.1:$rgw_port/"
timeout 30 radosgw-admin user create --uid=test --display-name=test \
  --access-key="$access_key" --secret-key="$secret_key" >"$dir/log/user.out" 2>&1 ||
  fail "radosgw-admin user create failed: $(tail -n 1 "$dir/log/user.out")"

# RGW 16.2 accepts any region in the SigV4 scope; us-east-1, since clients send no LocationConstraint for it
# (CreateBucket takes only none or the zonegroup's name, "default").
region=us-east-1
cat >"$dir/s3cfg" <<EOF
[default]
access_key = $access_key
secret_key = $secret_key
host_base = 127.0.0.1:$rgw_port
host_bucket = 127.0.0.1:$rgw_port
bucket_location = $region
use_https = False
signature_v2 = False
EOF
# A signed round trip (bucket, put, get, list, delete), then a wrong secret must get 403: SigV4 is checked.
s3() { timeout 30 s3cmd -c "$dir/s3cfg" "$@" >>"$dir/log/check.out" 2>&1 || fail "S3 check: s3cmd $1 failed: \
$(grep -m1 ERROR "$dir/log/check.out")" client.rgw.a; }
echo "rgw-check $fsid" >"$dir/run/check.txt"
s3 mb s3://rgw-check
s3 put "$dir/run/check.txt" s3://rgw-check/check.txt
s3 get --force s3://rgw-check/check.txt "$dir/run/check.back"
cmp -s "$dir/run/check.txt" "$dir/run/check.back" || fail "S3 check: got back other bytes" client.rgw.a
s3 ls s3://rgw-check
grep -q "s3://rgw-check/check.txt" "$dir/log/check.out" || fail "S3 check: list does not show the object"
s3 del s3://rgw-check/check.txt
s3 rb s3://rgw-check
bad=$(timeout 30 s3cmd -c "$dir/s3cfg" --secret_key=not-the-secret ls 2>&1) || true
[[ $bad == *"403 (SignatureDoesNotMatch)"* ]] || fail "S3 check: a wrong secret was not refused with 403: $bad"

wait_for mgr.x "an active mgr" sh -c 'ceph --connect-timeout 5 mgr stat -f json | grep -q "\"available\":true"'

cat >"$dir/env" <<EOF
AWS_ACCESS_KEY_ID=$access_key
AWS_SECRET_ACCESS_KEY=$secret_key
AWS_ENDPOINT_URL=http://127.0.0.1:$rgw_port
AWS_REGION=$region
EOF
echo "http://127.0.0.1:$rgw_port"
