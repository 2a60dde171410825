# cmake --install: the library with its SONAME, headers, the CLI, a
# pkg-config file and a CMake package (find_package(tenantiso)).
include(CMakePackageConfigHelpers)

install(TARGETS tenantiso EXPORT tenantisoTargets
  LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR}
  ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR}
  RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR}
  INCLUDES DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})
install(FILES include/tenantiso.h DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})
install(DIRECTORY include/tenantiso DESTINATION ${CMAKE_INSTALL_INCLUDEDIR} FILES_MATCHING PATTERN "*.h")

install(EXPORT tenantisoTargets NAMESPACE tenantiso:: DESTINATION ${CMAKE_INSTALL_LIBDIR}/cmake/tenantiso)
configure_package_config_file(cmake/tenantisoConfig.cmake.in
  ${CMAKE_CURRENT_BINARY_DIR}/tenantisoConfig.cmake
  INSTALL_DESTINATION ${CMAKE_INSTALL_LIBDIR}/cmake/tenantiso)
write_basic_package_version_file(${CMAKE_CURRENT_BINARY_DIR}/tenantisoConfigVersion.cmake
  COMPATIBILITY SameMinorVersion)
install(FILES ${CMAKE_CURRENT_BINARY_DIR}/tenantisoConfig.cmake ${CMAKE_CURRENT_BINARY_DIR}/tenantisoConfigVersion.cmake
  DESTINATION ${CMAKE_INSTALL_LIBDIR}/cmake/tenantiso)

# pkg-config: private dependencies only matter for static linking.
set(TISO_PC_REQUIRES_PRIVATE "libcjson")
if(TENANTISO_WITH_GRAPH)
  string(APPEND TISO_PC_REQUIRES_PRIVATE " libcurl")
endif()
# A relocatable prefix: relative to the .pc file, so `cmake --install --prefix`
# anywhere gives a working pkg-config file.
if(IS_ABSOLUTE "${CMAKE_INSTALL_LIBDIR}")
  set(TISO_PC_PREFIX "${CMAKE_INSTALL_PREFIX}")
else()
  set(TISO_PC_PREFIX "\${pcfiledir}")
  string(REPLACE "/" ";" _parts "${CMAKE_INSTALL_LIBDIR}/pkgconfig")
  foreach(_p IN LISTS _parts)
    string(APPEND TISO_PC_PREFIX "/..")
  endforeach()
endif()
configure_file(cmake/tenantiso.pc.in ${CMAKE_CURRENT_BINARY_DIR}/tenantiso.pc @ONLY)
install(FILES ${CMAKE_CURRENT_BINARY_DIR}/tenantiso.pc DESTINATION ${CMAKE_INSTALL_LIBDIR}/pkgconfig)
