# The installed package: `cmake --install build --prefix P` gives P/include/entropic/...,
# P/lib/libentropic_*.a, P/bin/entropic and P/lib/cmake/entropic/ with entropicConfig.cmake, its
# version file, the exported targets (entropic::entropic, ::core, ::verify, ::catalog, ::cli,
# ::main) and entropic_add_catalog (EntropicCatalog.cmake).
include(CMakePackageConfigHelpers)
set(ENTROPIC_CMAKE_DIR ${CMAKE_INSTALL_LIBDIR}/cmake/entropic)

set_target_properties(entropic_warnings PROPERTIES EXPORT_NAME warnings)
install(TARGETS entropic_warnings EXPORT entropicTargets)
install(EXPORT entropicTargets NAMESPACE entropic:: DESTINATION ${ENTROPIC_CMAKE_DIR})

configure_package_config_file(${CMAKE_CURRENT_LIST_DIR}/entropicConfig.cmake.in
  ${PROJECT_BINARY_DIR}/entropicConfig.cmake INSTALL_DESTINATION ${ENTROPIC_CMAKE_DIR})
write_basic_package_version_file(${PROJECT_BINARY_DIR}/entropicConfigVersion.cmake
  COMPATIBILITY SameMinorVersion)
file(WRITE ${PROJECT_BINARY_DIR}/entropicBuiltinClaims.cmake
  "# The ids of the built-in catalog's claims (generated).\nset(ENTROPIC_BUILTIN_CLAIMS ${ENTROPIC_BUILTIN_CLAIMS})\n")
install(FILES
  ${PROJECT_BINARY_DIR}/entropicConfig.cmake
  ${PROJECT_BINARY_DIR}/entropicConfigVersion.cmake
  ${PROJECT_BINARY_DIR}/entropicBuiltinClaims.cmake
  ${CMAKE_CURRENT_LIST_DIR}/EntropicNumberLibraries.cmake
  ${CMAKE_CURRENT_LIST_DIR}/EntropicCatalog.cmake
  DESTINATION ${ENTROPIC_CMAKE_DIR})

# The same names in this tree, so that entropic_add_catalog works here as it does installed.
add_library(entropic::core ALIAS entropic_lib)
add_library(entropic::verify ALIAS entropic_verify)
add_library(entropic::catalog ALIAS entropic_catalog)
add_library(entropic::cli ALIAS entropic_cli)
add_library(entropic::main ALIAS entropic_main)
include(${CMAKE_CURRENT_LIST_DIR}/EntropicCatalog.cmake)
