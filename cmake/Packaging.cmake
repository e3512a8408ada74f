# Install layout and packages.
#   Linux:   `cpack` (generator DEB) builds vtsubmit_<version>_<arch>.deb from the install rules below.
#   Windows: the `msi` target builds vtsubmit-<version>-x64.msi from installer/windows/vtsubmit.wxs,
#            with wixl (msitools) in the mingw-w64 cross build, or with the WiX Toolset v3 on Windows.
#   With VTSUBMIT_PACKAGE_MSI=ON, a Linux build also runs a mingw-w64 cross build of the same
#   sources in <build>/windows and copies its MSI next to the .deb (the `package` preset does this).
# Both package names carry PROJECT_VERSION, the version that `vtsubmit --version` prints.

include(GNUInstallDirs)

option(VTSUBMIT_PACKAGE_MSI "Linux build: also build the MSI in a mingw-w64 cross build" OFF)
# TODO: the default address is a placeholder; set the real maintainer before a public release.
set(VTSUBMIT_PACKAGE_CONTACT "vtsubmit maintainers <vtsubmit@example.invalid>" CACHE STRING
  "Maintainer of the packages, as 'Name <address>' (the Maintainer field of the .deb)")

set(VTSUBMIT_DOC_FILES README.md README.fr.md)
file(GLOB VTSUBMIT_DOC_PAGES CONFIGURE_DEPENDS "${PROJECT_SOURCE_DIR}/docs/*.md")

if(WIN32)
  # Layout inside the MSI staging folder; installer/windows/vtsubmit.wxs maps it into Program Files.
  set(VTSUBMIT_INSTALL_DOCDIR doc)
  set(VTSUBMIT_INSTALL_EXAMPLESDIR examples)
else()
  set(VTSUBMIT_INSTALL_DOCDIR "${CMAKE_INSTALL_DOCDIR}")
  set(VTSUBMIT_INSTALL_EXAMPLESDIR "${CMAKE_INSTALL_DOCDIR}/examples")
endif()

# The docs keep their relative layout, so that the links between README.md and docs/*.md work.
install(FILES ${VTSUBMIT_DOC_FILES} DESTINATION "${VTSUBMIT_INSTALL_DOCDIR}")
install(FILES ${VTSUBMIT_DOC_PAGES} DESTINATION "${VTSUBMIT_INSTALL_DOCDIR}/docs")

if(NOT WIN32)
  # The sample agent tree: queue file, vtom_init.ksh, queue.conf, and stand-ins for tsend and
  # vtgestlog that keep their execute permission.
  install(DIRECTORY examples/ DESTINATION "${VTSUBMIT_INSTALL_EXAMPLESDIR}" USE_SOURCE_PERMISSIONS)

  # Debian wants man pages and changelogs compressed with `gzip -9n` (no name or timestamp, so
  # that the package is reproducible).
  find_program(VTSUBMIT_GZIP gzip REQUIRED)
  string(TIMESTAMP VTSUBMIT_CHANGELOG_DATE "%a, %d %b %Y %H:%M:%S +0000" UTC)
  configure_file(installer/debian/changelog.in "${CMAKE_CURRENT_BINARY_DIR}/debian/changelog" @ONLY)

  set(VTSUBMIT_COMPRESSED_FILES)
  foreach(pair
      "docs/man/vtsubmit.1|man/man1/vtsubmit.1.gz"
      "docs/man/fr/vtsubmit.1|man/fr/man1/vtsubmit.1.gz"
      "${CMAKE_CURRENT_BINARY_DIR}/debian/changelog|debian/changelog.gz")
    string(REPLACE "|" ";" pair "${pair}")
    list(GET pair 0 input)
    list(GET pair 1 output)
    cmake_path(ABSOLUTE_PATH input BASE_DIRECTORY "${PROJECT_SOURCE_DIR}")
    set(output "${CMAKE_CURRENT_BINARY_DIR}/${output}")
    cmake_path(GET output PARENT_PATH output_dir)
    add_custom_command(OUTPUT "${output}"
      COMMAND "${CMAKE_COMMAND}" -E make_directory "${output_dir}"
      COMMAND "${VTSUBMIT_GZIP}" -9nc "${input}" > "${output}"
      DEPENDS "${input}"
      COMMENT "Compressing ${output}"
      VERBATIM)
    list(APPEND VTSUBMIT_COMPRESSED_FILES "${output}")
  endforeach()
  add_custom_target(vtsubmit_compressed_docs ALL DEPENDS ${VTSUBMIT_COMPRESSED_FILES})

  install(FILES "${CMAKE_CURRENT_BINARY_DIR}/man/man1/vtsubmit.1.gz"
    DESTINATION "${CMAKE_INSTALL_MANDIR}/man1")
  install(FILES "${CMAKE_CURRENT_BINARY_DIR}/man/fr/man1/vtsubmit.1.gz"
    DESTINATION "${CMAKE_INSTALL_MANDIR}/fr/man1")
  install(FILES "${CMAKE_CURRENT_BINARY_DIR}/debian/changelog.gz" installer/debian/copyright
    DESTINATION "${VTSUBMIT_INSTALL_DOCDIR}")
endif()

# ---- .deb ---------------------------------------------------------------------------------------

set(CPACK_PACKAGE_NAME vtsubmit)
set(CPACK_PACKAGE_VENDOR "vtsubmit")
set(CPACK_PACKAGE_CONTACT "${VTSUBMIT_PACKAGE_CONTACT}")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "native queue submitter for the Visual TOM job scheduler")
# Debian wants description lines under 80 characters, none starting with a dot.
set(CPACK_PACKAGE_DESCRIPTION
  "vtsubmit replaces the tom_submit.ksh queue script of a Visual TOM agent.
It loads the agent environment from vtom_init.ksh by parsing it, prints the
job context in the job log, and runs TOM_SCRIPT with the job parameters in
its own process group. It streams the job's output into the job logs, stops
the whole job tree when the agent stops the job, and reports the end with
tsend.
.
The package contains the binary, a man page in English and French, the
documentation and a sample agent tree with a queue file.")
set(CPACK_STRIP_FILES ON)
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
# dpkg-shlibdeps (package dpkg-dev) computes Depends from the libraries the binary links.
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
set(CPACK_DEBIAN_PACKAGE_SECTION utils)
set(CPACK_DEBIAN_PACKAGE_PRIORITY optional)
if(NOT WIN32)
  set(CPACK_GENERATOR DEB)
endif()
include(CPack)

# ---- MSI ----------------------------------------------------------------------------------------

set(VTSUBMIT_MSI_NAME "vtsubmit-${PROJECT_VERSION}-x64.msi")

if(WIN32)
  # The staging folder receives `cmake --install`, then the .wxs takes every file from it by a
  # relative path: wixl rejects absolute File/@Source paths.
  set(VTSUBMIT_MSI_STAGE msi-stage)

  # installer/windows/submit_queue_shim.bat is the template of a queue script
  # submit_queue_<name>.bat: it starts the vtsubmit.exe beside it with the queue file
  # %TOM_ADMIN%\tom_submit.wnt. The MSI ships it for the queue "vtsubmit", as
  # submit_queue_vtsubmit.bat reading tom_submit.vtsubmit.
  set(VTSUBMIT_SHIM_TEMPLATE "${PROJECT_SOURCE_DIR}/installer/windows/submit_queue_shim.bat")
  set_property(DIRECTORY APPEND PROPERTY CMAKE_CONFIGURE_DEPENDS "${VTSUBMIT_SHIM_TEMPLATE}")
  file(READ "${VTSUBMIT_SHIM_TEMPLATE}" VTSUBMIT_SHIM)
  string(FIND "${VTSUBMIT_SHIM}" "tom_submit.wnt" VTSUBMIT_SHIM_QUEUE_FILE_POSITION)
  if(VTSUBMIT_SHIM_QUEUE_FILE_POSITION EQUAL -1)
    message(FATAL_ERROR "${VTSUBMIT_SHIM_TEMPLATE} does not name the queue file tom_submit.wnt, "
      "which cmake/Packaging.cmake replaces with tom_submit.vtsubmit for the MSI. Update one of them.")
  endif()
  string(REPLACE "tom_submit.wnt" "tom_submit.vtsubmit" VTSUBMIT_SHIM "${VTSUBMIT_SHIM}")
  file(WRITE "${CMAKE_CURRENT_BINARY_DIR}/submit_queue_vtsubmit.bat" "${VTSUBMIT_SHIM}")
  install(FILES "${CMAKE_CURRENT_BINARY_DIR}/submit_queue_vtsubmit.bat"
    DESTINATION "${VTSUBMIT_INSTALL_EXAMPLESDIR}")
  install(FILES installer/windows/tom_submit.vtsubmit.sample DESTINATION "${VTSUBMIT_INSTALL_EXAMPLESDIR}")

  # docs.wxi lists the doc pages found at configure time, so that a new page needs no .wxs edit.
  set(VTSUBMIT_WXS_DOC_COMPONENTS "")
  set(VTSUBMIT_WXS_DOC_REFS "")
  foreach(page IN LISTS VTSUBMIT_DOC_PAGES)
    cmake_path(GET page FILENAME name)
    string(MAKE_C_IDENTIFIER "doc_page_${name}" id)
    string(APPEND VTSUBMIT_WXS_DOC_COMPONENTS
      "      <Component Id=\"${id}\" Guid=\"*\" Win64=\"yes\">\n"
      "        <File Id=\"${id}\" Name=\"${name}\" Source=\"$(var.StageDir)/doc/docs/${name}\" KeyPath=\"yes\"/>\n"
      "      </Component>\n")
    string(APPEND VTSUBMIT_WXS_DOC_REFS "      <ComponentRef Id=\"${id}\"/>\n")
  endforeach()
  file(CONFIGURE OUTPUT "${CMAKE_CURRENT_BINARY_DIR}/docs.wxi" @ONLY CONTENT [=[
<?xml version="1.0" encoding="utf-8"?>
<!-- Generated by cmake/Packaging.cmake from docs/*.md; included by installer/windows/vtsubmit.wxs. -->
<Include xmlns="http://schemas.microsoft.com/wix/2006/wi">
  <Fragment>
    <DirectoryRef Id="DOCPAGESDIR">
@VTSUBMIT_WXS_DOC_COMPONENTS@    </DirectoryRef>
    <ComponentGroup Id="DocPages">
@VTSUBMIT_WXS_DOC_REFS@    </ComponentGroup>
  </Fragment>
</Include>
]=])

  set(VTSUBMIT_WXS "${PROJECT_SOURCE_DIR}/installer/windows/vtsubmit.wxs")
  set(VTSUBMIT_MSI_DEFINES Version=${PROJECT_VERSION} StageDir=${VTSUBMIT_MSI_STAGE})
  find_program(VTSUBMIT_WIXL wixl)
  if(VTSUBMIT_WIXL)
    set(VTSUBMIT_MSI_COMMAND "${VTSUBMIT_WIXL}" -a x64 -I .)
    foreach(define IN LISTS VTSUBMIT_MSI_DEFINES)
      list(APPEND VTSUBMIT_MSI_COMMAND -D "${define}")
    endforeach()
    list(APPEND VTSUBMIT_MSI_COMMAND -o "${VTSUBMIT_MSI_NAME}" "${VTSUBMIT_WXS}")
    set(VTSUBMIT_MSI_LINK_COMMAND "")
  else()
    # NOTE: the WiX Toolset v3 path (candle + light) is written from the WiX documentation and has
    # not been run; only the wixl path is tested.
    find_program(VTSUBMIT_CANDLE candle PATHS "$ENV{WIX}/bin")
    find_program(VTSUBMIT_LIGHT light PATHS "$ENV{WIX}/bin")
    if(NOT VTSUBMIT_CANDLE OR NOT VTSUBMIT_LIGHT)
      message(STATUS "MSI: neither wixl nor the WiX Toolset (candle, light) found, no `msi` target")
      return()
    endif()
    set(VTSUBMIT_MSI_COMMAND "${VTSUBMIT_CANDLE}" -nologo -arch x64 -I.)
    foreach(define IN LISTS VTSUBMIT_MSI_DEFINES)
      list(APPEND VTSUBMIT_MSI_COMMAND "-d${define}")
    endforeach()
    list(APPEND VTSUBMIT_MSI_COMMAND -out vtsubmit.wixobj "${VTSUBMIT_WXS}")
    set(VTSUBMIT_MSI_LINK_COMMAND COMMAND "${VTSUBMIT_LIGHT}" -nologo -out "${VTSUBMIT_MSI_NAME}" vtsubmit.wixobj)
  endif()

  add_custom_target(msi
    COMMAND "${CMAKE_COMMAND}" -E rm -rf "${VTSUBMIT_MSI_STAGE}"
    COMMAND "${CMAKE_COMMAND}" --install . --strip --prefix "${VTSUBMIT_MSI_STAGE}"
    COMMAND ${VTSUBMIT_MSI_COMMAND}
    ${VTSUBMIT_MSI_LINK_COMMAND}
    DEPENDS "${VTSUBMIT_WXS}"
    BYPRODUCTS "${CMAKE_CURRENT_BINARY_DIR}/${VTSUBMIT_MSI_NAME}"
    WORKING_DIRECTORY "${CMAKE_CURRENT_BINARY_DIR}"
    COMMENT "Building ${VTSUBMIT_MSI_NAME}"
    VERBATIM)
  add_dependencies(msi vtsubmit)

elseif(VTSUBMIT_PACKAGE_MSI)
  # The MSI needs vtsubmit.exe, so a Linux build gets it from a nested mingw-w64 cross build of the
  # same sources. Tests are off there: `cmake --workflow --preset mingw-release` runs them.
  set(VTSUBMIT_WINDOWS_BUILD "${CMAKE_CURRENT_BINARY_DIR}/windows")
  add_custom_target(windows-msi ALL
    COMMAND "${CMAKE_COMMAND}" -S "${PROJECT_SOURCE_DIR}" -B "${VTSUBMIT_WINDOWS_BUILD}" -G "${CMAKE_GENERATOR}"
      "-DCMAKE_MAKE_PROGRAM=${CMAKE_MAKE_PROGRAM}"
      "-DCMAKE_TOOLCHAIN_FILE=${PROJECT_SOURCE_DIR}/cmake/toolchain-mingw64.cmake"
      -DCMAKE_BUILD_TYPE=Release -DVTSUBMIT_BUILD_TESTS=OFF
    COMMAND "${CMAKE_COMMAND}" --build "${VTSUBMIT_WINDOWS_BUILD}" --target msi
    COMMAND "${CMAKE_COMMAND}" -E copy "${VTSUBMIT_WINDOWS_BUILD}/${VTSUBMIT_MSI_NAME}" "${CMAKE_CURRENT_BINARY_DIR}"
    BYPRODUCTS "${CMAKE_CURRENT_BINARY_DIR}/${VTSUBMIT_MSI_NAME}"
    COMMENT "Building ${VTSUBMIT_MSI_NAME} in a mingw-w64 cross build (${VTSUBMIT_WINDOWS_BUILD})"
    USES_TERMINAL
    VERBATIM)
endif()
