# Toolchain for the Windows build (preset `windows`): mingw-w64 with the posix thread model, the dependencies from
# the prefix scripts/setup_windows.sh builds (SONIABK_MINGW_PREFIX), and wine to run what the build runs.
set(CMAKE_SYSTEM_NAME Windows)
set(CMAKE_SYSTEM_PROCESSOR x86_64)
# Named -posix: installing the -win32 package switches the plain names' alternatives to the win32 thread model.
set(CMAKE_C_COMPILER x86_64-w64-mingw32-gcc-posix)
set(CMAKE_CXX_COMPILER x86_64-w64-mingw32-g++-posix)
set(CMAKE_RC_COMPILER x86_64-w64-mingw32-windres)

if(NOT SONIABK_MINGW_PREFIX)
  set(SONIABK_MINGW_PREFIX "$ENV{SONIABK_MINGW_PREFIX}")
endif()
if(NOT IS_DIRECTORY "${SONIABK_MINGW_PREFIX}")
  message(FATAL_ERROR " the Windows dependencies' prefix \"${SONIABK_MINGW_PREFIX}\" is missing: run scripts/setup_windows.sh")
endif()
# Try-compiles see the same prefix.
list(APPEND CMAKE_TRY_COMPILE_PLATFORM_VARIABLES SONIABK_MINGW_PREFIX)

set(CMAKE_FIND_ROOT_PATH /usr/x86_64-w64-mingw32 "${SONIABK_MINGW_PREFIX}")
set(CMAKE_FIND_ROOT_PATH_MODE_PROGRAM NEVER)
set(CMAKE_FIND_ROOT_PATH_MODE_LIBRARY ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_INCLUDE ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_PACKAGE ONLY)
set(ENV{PKG_CONFIG_LIBDIR} "${SONIABK_MINGW_PREFIX}/lib/pkgconfig")
set(OPENSSL_ROOT_DIR "${SONIABK_MINGW_PREFIX}")
set(OPENSSL_USE_STATIC_LIBS TRUE)

# Tests and Catch2's test discovery (at build time) run the .exe files under wine, in the prefix's wine prefix.
set(CMAKE_CROSSCOMPILING_EMULATOR wine)
set(ENV{WINEPREFIX} "${SONIABK_MINGW_PREFIX}/wine")
set(ENV{WINEDEBUG} "-all")
# Static: the .exe runs alone, without mingw's runtime DLLs beside it.
set(CMAKE_EXE_LINKER_FLAGS_INIT "-static -static-libgcc -static-libstdc++")
