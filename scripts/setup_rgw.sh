#!/usr/bin/env bash
# Installs what scripts/rgw.sh needs from Debian 12 packages (only what is missing): a one-node Ceph cluster
# (mon, mgr, a memstore osd, the RADOS Gateway) for the S3 tests, and s3cmd to check it.
set -euo pipefail

packages=(
  ceph-mon ceph-mgr ceph-osd radosgw ceph-common  # ceph-common: the ceph and ceph-authtool commands
  s3cmd python3 curl                              # python3: picks free ports; s3cmd and curl: the checks
)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done

if ((${#missing[@]})); then
  echo "setup_rgw: installing ${missing[*]}"
  sudo_cmd=()
  [ "$(id -u)" -eq 0 ] || sudo_cmd=(sudo)
  "${sudo_cmd[@]}" apt-get update -qq
  DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"
else
  echo "setup_rgw: all dependencies present"
fi
