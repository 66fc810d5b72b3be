# entropic_add_catalog(TARGET SOURCES claim.cpp ... [BUILTIN] [PAST_FAILURES FILE] [CASES N] [NO_TESTS])
#
# Builds TARGET, a program with the subcommands and output of `entropic` (list, verify, falsify,
# replay, simulate, expand; text, json, markdown) over the claims of SOURCES (each file states
# claims with ENTROPIC_CLAIM(ID) { ... }), and registers one ctest test per claim, named TARGET.ID
# with the label `claim`: `TARGET verify ID` passes when the claim behaves as stated (verified, or
# falsified for a negative control) and every mutant is falsified.
#
#   BUILTIN        the built-in catalog (T1 ... S3) is part of the program too, with its tests
#   PAST_FAILURES  a file of replay strings (one a line, '#' comments) that the tests replay first,
#                  with `--past-failures FILE`: a regression is recorded without rebuilding
#   CASES          generated instances per part in the tests (default: verify's, 100)
#   NO_TESTS       register no tests
#
# The claim ids are read from SOURCES at configure time (lines that begin ENTROPIC_CLAIM(ID)).
function(entropic_add_catalog target)
  cmake_parse_arguments(C "BUILTIN;NO_TESTS" "PAST_FAILURES;CASES" "SOURCES" ${ARGN})
  if(NOT C_SOURCES)
    message(FATAL_ERROR "entropic_add_catalog(${target}): no SOURCES given")
  endif()
  add_executable(${target} ${C_SOURCES})
  target_link_libraries(${target} PRIVATE entropic::main entropic::entropic)
  if(C_BUILTIN)
    # Whole: every claim registers itself from a static initializer, which a plain link would drop.
    target_link_libraries(${target} PRIVATE "$<LINK_LIBRARY:WHOLE_ARCHIVE,entropic::catalog>")
  endif()
  if(C_NO_TESTS)
    return()
  endif()

  set(ids "")
  foreach(src ${C_SOURCES})
    get_filename_component(path ${src} ABSOLUTE)
    set_property(DIRECTORY APPEND PROPERTY CMAKE_CONFIGURE_DEPENDS ${path})
    file(STRINGS ${path} lines REGEX "^[ \t]*ENTROPIC_CLAIM\\(")
    foreach(line ${lines})
      string(REGEX REPLACE "^[ \t]*ENTROPIC_CLAIM\\(([A-Za-z0-9_-]+)\\).*" "\\1" id "${line}")
      list(APPEND ids ${id})
    endforeach()
  endforeach()
  if(C_BUILTIN)
    list(APPEND ids ${ENTROPIC_BUILTIN_CLAIMS})
  endif()
  set(extra "")
  if(C_PAST_FAILURES)
    get_filename_component(pf ${C_PAST_FAILURES} ABSOLUTE)
    list(APPEND extra --past-failures ${pf})
  endif()
  if(C_CASES)
    list(APPEND extra --cases ${C_CASES})
  endif()
  foreach(id ${ids})
    add_test(NAME ${target}.${id} COMMAND ${target} verify ${id} ${extra})
    set_tests_properties(${target}.${id} PROPERTIES LABELS claim)
  endforeach()
endfunction()
