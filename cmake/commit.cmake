# Writes OUTPUT (entropic/commit.hpp): the commit of SOURCE_DIR when it is a git checkout, with
# "-dirty" when tracked files differ from it; empty otherwise. Run at every build (cli/CMakeLists.txt);
# the header changes, and its one includer recompiles, only when the commit does.
set(commit "")
find_package(Git QUIET)
if(GIT_FOUND)
  execute_process(COMMAND ${GIT_EXECUTABLE} -C ${SOURCE_DIR} rev-parse --short=12 HEAD
                  OUTPUT_VARIABLE commit RESULT_VARIABLE rc ERROR_QUIET OUTPUT_STRIP_TRAILING_WHITESPACE)
  if(NOT rc EQUAL 0)
    set(commit "")
  else()
    execute_process(COMMAND ${GIT_EXECUTABLE} -C ${SOURCE_DIR} status --porcelain --untracked-files=no
                    OUTPUT_VARIABLE changes ERROR_QUIET OUTPUT_STRIP_TRAILING_WHITESPACE)
    if(changes)
      set(commit "${commit}-dirty")
    endif()
  endif()
endif()
file(WRITE ${OUTPUT}.new "// Generated at build time by cmake/commit.cmake; do not edit.\n#pragma once\n#define ENTROPIC_COMMIT \"${commit}\"\n")
execute_process(COMMAND ${CMAKE_COMMAND} -E copy_if_different ${OUTPUT}.new ${OUTPUT})
file(REMOVE ${OUTPUT}.new)
