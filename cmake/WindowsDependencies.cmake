# The Windows build's dependencies, from the prefix scripts/setup_windows.sh builds (SONIABK_MINGW_PREFIX, set by
# cmake/mingw-w64.cmake): OpenSSL and zstd as static libraries, the rest header-only.
find_package(OpenSSL 3 REQUIRED COMPONENTS Crypto SSL)
# A static libcrypto needs the system libraries it calls.
set_property(TARGET OpenSSL::Crypto APPEND PROPERTY INTERFACE_LINK_LIBRARIES ws2_32 crypt32 bcrypt)
find_package(zstd CONFIG REQUIRED)
add_library(soniabk_zstd INTERFACE)
target_link_libraries(soniabk_zstd INTERFACE zstd::libzstd_static)

set(_include "${SONIABK_MINGW_PREFIX}/include")
function(soniabk_header_only name)
  cmake_parse_arguments(HEADER "" "" "DEFINES;LIBS" ${ARGN})
  add_library(${name} INTERFACE IMPORTED GLOBAL)
  set_target_properties(${name} PROPERTIES INTERFACE_INCLUDE_DIRECTORIES "${_include}"
                        INTERFACE_COMPILE_DEFINITIONS "${HEADER_DEFINES}" INTERFACE_LINK_LIBRARIES "${HEADER_LIBS}")
endfunction()
soniabk_header_only(CLI11::CLI11)
soniabk_header_only(nlohmann_json::nlohmann_json)
soniabk_header_only(fmt::fmt DEFINES FMT_HEADER_ONLY=1)
soniabk_header_only(tomlplusplus::tomlplusplus DEFINES TOML_HEADER_ONLY=1)
# https through OpenSSL, as on Linux; cpp-httplib then trusts the certificates of Windows' own ROOT store.
soniabk_header_only(soniabk_httplib DEFINES CPPHTTPLIB_OPENSSL_SUPPORT LIBS OpenSSL::SSL OpenSSL::Crypto ws2_32 crypt32)
if(SONIABK_BUILD_TESTS)
  soniabk_header_only(Catch2::Catch2)
  list(APPEND CMAKE_MODULE_PATH "${SONIABK_MINGW_PREFIX}/cmake")  # Catch.cmake: catch_discover_tests
endif()
