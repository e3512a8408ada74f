# Third-party dependencies, all from Debian packages:
# Boost 1.81 (Process v2 headers, Nowide), fmt, toml++, CLI11 and, for tests, Catch2 2.13.
# Everything is used header-only, so the binary needs nothing but the C and C++ runtimes.

find_package(Threads REQUIRED)

if(CMAKE_CROSSCOMPILING)
  # The Windows cross build reuses Debian's headers through a folder of symbolic links,
  # because adding /usr/include itself would pull glibc headers into a mingw build.
  set(VTSUBMIT_XINC "${CMAKE_BINARY_DIR}/_xinc")
  file(MAKE_DIRECTORY "${VTSUBMIT_XINC}")
  foreach(dir boost fmt toml++ CLI catch2)
    if(NOT EXISTS "${VTSUBMIT_XINC}/${dir}")
      file(CREATE_LINK "/usr/include/${dir}" "${VTSUBMIT_XINC}/${dir}" SYMBOLIC)
    endif()
  endforeach()
  # Boost 1.81 includes <Windows.h>; the mingw header is windows.h and Linux is case-sensitive.
  file(WRITE "${VTSUBMIT_XINC}/Windows.h" "#include <windows.h>\n")
  add_library(vtsubmit_deps INTERFACE)
  target_include_directories(vtsubmit_deps SYSTEM INTERFACE "${VTSUBMIT_XINC}")
  target_compile_definitions(vtsubmit_deps INTERFACE
    BOOST_PROCESS_USE_STD_FS BOOST_ALL_NO_LIB FMT_HEADER_ONLY=1 TOML_HEADER_ONLY=1
    _WIN32_WINNT=0x0A00 WINVER=0x0A00 WIN32_LEAN_AND_MEAN NOMINMAX UNICODE _UNICODE)
  target_link_libraries(vtsubmit_deps INTERFACE ws2_32 mswsock bcrypt shell32 Threads::Threads)
else()
  find_package(Boost 1.81 REQUIRED COMPONENTS nowide)
  find_package(fmt 9 REQUIRED)
  find_package(tomlplusplus 3 REQUIRED)
  find_package(CLI11 2 REQUIRED)
  add_library(vtsubmit_deps INTERFACE)
  target_compile_definitions(vtsubmit_deps INTERFACE BOOST_PROCESS_USE_STD_FS TOML_HEADER_ONLY=1)
  target_link_libraries(vtsubmit_deps INTERFACE
    Boost::headers fmt::fmt-header-only CLI11::CLI11 Threads::Threads)
  get_target_property(_toml_includes tomlplusplus::tomlplusplus INTERFACE_INCLUDE_DIRECTORIES)
  target_include_directories(vtsubmit_deps SYSTEM INTERFACE ${_toml_includes})
endif()
