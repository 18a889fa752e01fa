#!/usr/bin/env bash
# Sets up the Windows cross build: mingw-w64 (posix threads) and wine from Debian 12, then OpenSSL and zstd built
# from Debian's source packages, and the header-only dependencies, into a prefix cached outside the clone:
# ~/.cache/soniabk/mingw-<key>, the key naming every version and this recipe. Prints the prefix's path last.
set -euo pipefail
cd "$(dirname "$0")/.."
recipe_sum="$(sha256sum scripts/setup_windows.sh | cut -c1-12)"
cache="${SONIABK_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/soniabk}"
sudo_cmd=()
[ "$(id -u)" -eq 0 ] || sudo_cmd=(sudo)

log() { echo "setup_windows: $*" >&2; }

# apt-get source needs deb-src lines for the archive the machine already uses.
if ! grep -rqs "deb-src" /etc/apt/sources.list /etc/apt/sources.list.d/; then
  log "adding deb-src entries for Debian's source packages"
  "${sudo_cmd[@]}" tee /etc/apt/sources.list.d/soniabk-deb-src.sources >/dev/null <<'EOF'
Types: deb-src
URIs: http://deb.debian.org/debian
Suites: bookworm bookworm-updates
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg

Types: deb-src
URIs: http://deb.debian.org/debian-security
Suites: bookworm-security
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
EOF
  "${sudo_cmd[@]}" apt-get update -qq
fi

# The -posix compilers: GCC 12's win32 thread model has no std::thread, mutex or future.
packages=(g++-mingw-w64-x86-64-posix gcc-mingw-w64-x86-64-posix binutils-mingw-w64-x86-64 mingw-w64-x86-64-dev
          wine wine64 dpkg-dev perl make)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
  log "installing ${missing[*]}"
  "${sudo_cmd[@]}" apt-get update -qq
  DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

installed_version() { dpkg-query -W -f='${Version}' "$1"; }
# Every version the newest source of a package that the archive lists, newest first.
source_versions() { apt-cache showsrc "$1" 2>/dev/null | awk '/^Version:/ {print $2}' | sort -V -r -u; }

versions="gcc=$(installed_version g++-mingw-w64-x86-64-posix)"
for p in libfmt-dev libtomlplusplus-dev libcli11-dev nlohmann-json3-dev catch2; do
  versions+=" $p=$(installed_version "$p")"
done
versions+=" openssl=$(source_versions openssl | head -1) libzstd=$(source_versions libzstd | head -1)"
versions+=" cpp-httplib=$(source_versions cpp-httplib | head -1) recipe=$recipe_sum"
key="$(echo "$versions" | sha256sum | cut -c1-16)"
prefix="$cache/mingw-$key"
if [ -f "$prefix/.complete" ]; then
  log "prefix ready: $prefix"
  echo "$prefix"
  exit 0
fi

log "building the prefix $prefix ($versions)"
work="$(mktemp -d "$cache/mingw-build.XXXXXX")"
trap 'rm -rf "$work"' EXIT
rm -rf "$prefix.partial"
mkdir -p "$prefix.partial/include" "$prefix.partial/lib"

# The newest version that downloads: a security mirror may list a source it no longer serves.
fetch_source() {
  local package="$1" version
  mkdir -p "$work/$package"
  for version in $(source_versions "$package"); do
    if (cd "$work/$package" && apt-get source -qq "$package=$version" >/dev/null 2>&1); then
      find "$work/$package" -mindepth 1 -maxdepth 1 -type d | head -1
      return 0
    fi
    log "$package $version did not download; trying the next version"
  done
  log "no source of $package downloads"
  return 1
}

build_openssl() {
  local src
  src="$(fetch_source openssl)" || return 1
  cd "$src" || return 1
  ./Configure mingw64 no-shared no-tests no-module no-legacy --cross-compile-prefix=x86_64-w64-mingw32- \
    --prefix="$prefix.partial" --libdir=lib >"$work/openssl.log" 2>&1 || return 1
  make -j"$(nproc)" build_libs >>"$work/openssl.log" 2>&1 || return 1
  make install_dev >>"$work/openssl.log" 2>&1
}

build_zstd() {
  local src
  src="$(fetch_source libzstd)" || return 1
  cmake -S "$src/build/cmake" -B "$work/zstd-build" -G Ninja -DCMAKE_BUILD_TYPE=Release \
    -DCMAKE_SYSTEM_NAME=Windows -DCMAKE_C_COMPILER=x86_64-w64-mingw32-gcc-posix \
    -DCMAKE_CXX_COMPILER=x86_64-w64-mingw32-g++-posix -DCMAKE_RC_COMPILER=x86_64-w64-mingw32-windres \
    -DCMAKE_INSTALL_PREFIX="$prefix.partial" -DZSTD_BUILD_SHARED=OFF -DZSTD_BUILD_STATIC=ON \
    -DZSTD_BUILD_PROGRAMS=OFF -DZSTD_BUILD_TESTS=OFF -DZSTD_MULTITHREAD_SUPPORT=ON >"$work/zstd.log" 2>&1 || return 1
  cmake --build "$work/zstd-build" >>"$work/zstd.log" 2>&1 || return 1
  cmake --install "$work/zstd-build" >>"$work/zstd.log" 2>&1
}

# Debian's /usr/include/httplib.h declares only; the whole header is the source package's.
install_headers() {
  local src
  src="$(fetch_source cpp-httplib)"
  cp "$src/httplib.h" "$prefix.partial/include/"
  cp -r /usr/include/fmt /usr/include/toml++ /usr/include/CLI /usr/include/nlohmann /usr/include/catch2 \
    "$prefix.partial/include/"
  # Catch2's CMake modules (test discovery) without its targets file, which names Linux paths.
  mkdir -p "$prefix.partial/cmake"
  cp /usr/lib/cmake/Catch2/Catch.cmake /usr/lib/cmake/Catch2/CatchAddTests.cmake "$prefix.partial/cmake/"
}

(build_openssl) || { log "OpenSSL failed; its log:"; tail -30 "$work/openssl.log" >&2; exit 1; } &
openssl_job=$!
(build_zstd) || { log "zstd failed; its log:"; tail -30 "$work/zstd.log" >&2; exit 1; }
install_headers
wait "$openssl_job"

rm -rf "$prefix"
mv "$prefix.partial" "$prefix"
# A wine prefix of its own, made once: the first start of wine writes it.
WINEPREFIX="$prefix/wine" WINEDEBUG=-all wineboot -i >/dev/null 2>&1 || true
WINEPREFIX="$prefix/wine" wineserver -w || true
touch "$prefix/.complete"
log "prefix ready: $prefix"
echo "$prefix"
