#!/usr/bin/env bash
# Fetches the SQLite amalgamation pinned in cmake/sqlite.pin into the cache the build reads (never the source
# tree): `npm pack` of the pinned package, only the three files kept, each checked against its pinned SHA-256.
set -euo pipefail
pin="$(cd "$(dirname "$0")/.." && pwd)/cmake/sqlite.pin"
value() { sed -n "s/^$1=//p" "$pin"; }
version=$(value SQLITE_VERSION)
package=$(value SQLITE_NPM_PACKAGE)
dir=${SONIABK_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/soniabk}/sqlite-$version
files=(sqlite3.c sqlite3.h sqlite3ext.h)
sums=("$(value SQLITE_C_SHA256)" "$(value SQLITE_H_SHA256)" "$(value SQLITE_EXT_H_SHA256)")

# Prints the first file of directory $1 that is missing or differs from its pin; fails when there is one.
first_bad() {
  for i in "${!files[@]}"; do
    local f=$1/${files[i]}
    if [ ! -f "$f" ] || [ "$(sha256sum "$f" | cut -d' ' -f1)" != "${sums[i]}" ]; then echo "${files[i]}"; return 1; fi
  done
}

if first_bad "$dir" >/dev/null; then
  echo "setup: SQLite $version present in $dir"
  exit 0
fi
echo "setup: fetching SQLite $version ($package) into $dir"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
npm pack --silent --pack-destination "$tmp" "$package" >/dev/null
tar -xzf "$tmp"/*.tgz -C "$tmp" "${files[@]/#/package/deps/sqlite3/}"
if ! bad=$(first_bad "$tmp/package/deps/sqlite3"); then
  echo "setup: $package: $bad does not match its SHA-256 in cmake/sqlite.pin; nothing installed" >&2
  exit 1
fi
mkdir -p "$dir"
for f in "${files[@]}"; do
  cp "$tmp/package/deps/sqlite3/$f" "$dir/.$f.tmp" && mv "$dir/.$f.tmp" "$dir/$f"  # never a torn file in the cache
done
