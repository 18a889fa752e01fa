# Warnings and sanitizers as INTERFACE targets that every project target links.
add_library(soniabk_warnings INTERFACE)
target_compile_options(soniabk_warnings INTERFACE -Wall -Wextra -Wpedantic -Wshadow -Wconversion -Wno-sign-conversion
  -Wno-missing-field-initializers)  # designated initializers leave the rest defaulted on purpose
# GCC 12 at -O2/-O3 reports impossible std::string copies (GCC bugs 105329, 105651, 106199) on plain `"." + s`.
if(CMAKE_CXX_COMPILER_ID STREQUAL "GNU" AND CMAKE_CXX_COMPILER_VERSION VERSION_LESS 13)
  target_compile_options(soniabk_warnings INTERFACE -Wno-stringop-overflow -Wno-stringop-overread -Wno-restrict
    -Wno-array-bounds)
endif()
if(SONIABK_WERROR)
  target_compile_options(soniabk_warnings INTERFACE -Werror)
endif()

add_library(soniabk_sanitizers INTERFACE)
if(SONIABK_SANITIZE)
  target_compile_options(soniabk_sanitizers INTERFACE
    -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer)
  target_link_options(soniabk_sanitizers INTERFACE -fsanitize=address,undefined)
endif()

if(SONIABK_TSAN)
  if(SONIABK_SANITIZE)
    message(FATAL_ERROR "SONIABK_TSAN and SONIABK_SANITIZE cannot be combined: ThreadSanitizer runs alone")
  endif()
  target_compile_options(soniabk_sanitizers INTERFACE -fsanitize=thread -fno-omit-frame-pointer)
  target_link_options(soniabk_sanitizers INTERFACE -fsanitize=thread)
endif()

# The fuzz preset: every library object is instrumented for libFuzzer's coverage (clang only).
if(SONIABK_FUZZ)
  target_compile_options(soniabk_sanitizers INTERFACE -fsanitize=fuzzer-no-link)
endif()
