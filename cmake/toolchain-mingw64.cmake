# Cross build for 64-bit Windows with Debian's mingw-w64 (package g++-mingw-w64-x86-64-posix).
# The -posix compilers are the ones whose libstdc++ has std::thread and std::mutex.
# Tests run under Wine through cmake/wine-run.sh, with the Wine prefix in VTSUBMIT_WINEPREFIX.

set(CMAKE_SYSTEM_NAME Windows)
set(CMAKE_SYSTEM_PROCESSOR x86_64)

set(CMAKE_C_COMPILER x86_64-w64-mingw32-gcc-posix)
set(CMAKE_CXX_COMPILER x86_64-w64-mingw32-g++-posix)
set(CMAKE_RC_COMPILER x86_64-w64-mingw32-windres)

set(CMAKE_FIND_ROOT_PATH /usr/x86_64-w64-mingw32)
set(CMAKE_FIND_ROOT_PATH_MODE_PROGRAM NEVER)
set(CMAKE_FIND_ROOT_PATH_MODE_LIBRARY ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_INCLUDE ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_PACKAGE ONLY)

# A static executable needs no libstdc++-6.dll or libgcc_s_seh-1.dll next to it.
set(CMAKE_EXE_LINKER_FLAGS_INIT "-static -static-libgcc -static-libstdc++")

# The Wine prefix lives in the build tree so that a build never touches ~/.wine.
set(VTSUBMIT_WINEPREFIX "${CMAKE_BINARY_DIR}/wineprefix" CACHE PATH "Wine prefix for the tests of the cross build")
find_program(VTSUBMIT_WINE wine REQUIRED)
set(CMAKE_CROSSCOMPILING_EMULATOR
    env LANG=C.UTF-8 WINEDEBUG=-all "WINEPREFIX=${VTSUBMIT_WINEPREFIX}"
    "${CMAKE_CURRENT_LIST_DIR}/wine-run.sh")
