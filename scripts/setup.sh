#!/usr/bin/env bash
# Installs soniabk's build and test dependencies from Debian 12 packages (only what is missing), then fetches
# the pinned SQLite source (scripts/fetch_sqlite.sh).
set -euo pipefail

packages=(
  build-essential cmake ninja-build pkg-config
  sqlite3 libssl-dev openssl
  libcli11-dev nlohmann-json3-dev libfmt-dev catch2
  libcpp-httplib-dev libzstd-dev zstd libtomlplusplus-dev
  groff-base bash-completion time bsdutils zsh fish
)
# The sqlite3 shell (the system's older SQLite) is only for test helpers and bench/bench_backup.sh's comparison.
command -v npm >/dev/null || packages+=(npm)  # fetches the SQLite source; any npm will do

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done

if ((${#missing[@]})); then
  echo "setup: installing ${missing[*]}"
  sudo_cmd=()
  [ "$(id -u)" -eq 0 ] || sudo_cmd=(sudo)
  "${sudo_cmd[@]}" apt-get update -qq
  DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"
else
  echo "setup: all dependencies present"
fi

bash "$(dirname "$0")/fetch_sqlite.sh"
