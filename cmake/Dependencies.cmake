# Every dependency but SQLite comes from a Debian 12 package (scripts/setup.sh installs them; SQLite: SQLite.cmake).
# The Windows build finds the same ones in the prefix scripts/setup_windows.sh builds (WindowsDependencies.cmake).
# Either way the project links the same target names, and soniabk_zstd / soniabk_httplib for the two whose
# packages name theirs differently.
find_package(Threads REQUIRED)
if(WIN32)
  include(${CMAKE_CURRENT_LIST_DIR}/WindowsDependencies.cmake)
  return()
endif()
find_package(OpenSSL 3 REQUIRED COMPONENTS Crypto SSL)
find_package(CLI11 CONFIG REQUIRED)
find_package(nlohmann_json 3.10 CONFIG REQUIRED)
find_package(fmt CONFIG REQUIRED)
find_package(PkgConfig REQUIRED)
pkg_check_modules(HTTPLIB REQUIRED IMPORTED_TARGET cpp-httplib)
add_library(soniabk_httplib INTERFACE)
target_link_libraries(soniabk_httplib INTERFACE PkgConfig::HTTPLIB)
# Debian ships zstd's CMake package (libzstd-dev): zstd::libzstd_shared.
find_package(zstd CONFIG REQUIRED)
add_library(soniabk_zstd INTERFACE)
target_link_libraries(soniabk_zstd INTERFACE zstd::libzstd_shared)
find_package(tomlplusplus CONFIG REQUIRED)
if(SONIABK_BUILD_TESTS)
  find_package(Catch2 2 CONFIG REQUIRED)
endif()
