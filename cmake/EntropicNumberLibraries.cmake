# GMP, MPFR, MPFI and FLINT as imported targets (entropic::gmp, ::mpfr, ::mpfi, ::flint), found on
# the machine that uses them: the build tree and an installed package (entropicConfig.cmake) both
# include this file, so no path of the machine that built entropic is recorded anywhere.
# FLINT and MPFI ship no CMake or pkg-config files on Debian.
foreach(lib gmp mpfr mpfi flint)
  if(TARGET entropic::${lib})
    continue()
  endif()
  string(TOUPPER ${lib} LIB)
  if(lib STREQUAL "flint")
    set(header flint/fmpq.h)
  else()
    set(header ${lib}.h)
  endif()
  find_library(ENTROPIC_${LIB}_LIBRARY ${lib})
  find_path(ENTROPIC_${LIB}_INCLUDE_DIR ${header})
  if(NOT ENTROPIC_${LIB}_LIBRARY OR NOT ENTROPIC_${LIB}_INCLUDE_DIR)
    set(entropic_missing_library ${lib})
    if(CMAKE_FIND_PACKAGE_NAME)
      set(${CMAKE_FIND_PACKAGE_NAME}_NOT_FOUND_MESSAGE "entropic needs ${lib} (${header} and lib${lib}); on Debian: apt-get install lib${lib}-dev")
      set(${CMAKE_FIND_PACKAGE_NAME}_FOUND FALSE)
      return()
    endif()
    message(FATAL_ERROR "entropic needs ${lib} (${header} and lib${lib}); on Debian: apt-get install lib${lib}-dev")
  endif()
  add_library(entropic::${lib} UNKNOWN IMPORTED)
  set_target_properties(entropic::${lib} PROPERTIES IMPORTED_LOCATION "${ENTROPIC_${LIB}_LIBRARY}"
                        INTERFACE_INCLUDE_DIRECTORIES "${ENTROPIC_${LIB}_INCLUDE_DIR}")
endforeach()
