# Every dependency but SQLite comes from a Debian 12 package (scripts/setup.sh installs them; SQLite: SQLite.cmake).
find_package(OpenSSL 3 REQUIRED COMPONENTS Crypto)
find_package(CLI11 CONFIG REQUIRED)
find_package(nlohmann_json 3.10 CONFIG REQUIRED)
find_package(fmt CONFIG REQUIRED)
find_package(Threads REQUIRED)
find_package(PkgConfig REQUIRED)
pkg_check_modules(HTTPLIB REQUIRED IMPORTED_TARGET cpp-httplib)
# Debian ships zstd's CMake package (libzstd-dev): zstd::libzstd_shared.
find_package(zstd CONFIG REQUIRED)
find_package(tomlplusplus CONFIG REQUIRED)
if(SONIABK_BUILD_TESTS)
  find_package(Catch2 2 CONFIG REQUIRED)
endif()
