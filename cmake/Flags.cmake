# Warnings and sanitizers as INTERFACE targets that every project target links.
add_library(soniabk_warnings INTERFACE)
target_compile_options(soniabk_warnings INTERFACE -Wall -Wextra -Wpedantic -Wshadow -Wconversion -Wno-sign-conversion
  -Wno-missing-field-initializers)  # designated initializers leave the rest defaulted on purpose
if(SONIABK_WERROR)
  target_compile_options(soniabk_warnings INTERFACE -Werror)
endif()

add_library(soniabk_sanitizers INTERFACE)
if(SONIABK_SANITIZE)
  target_compile_options(soniabk_sanitizers INTERFACE
    -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer)
  target_link_options(soniabk_sanitizers INTERFACE -fsanitize=address,undefined)
endif()
