# cmake -DBUILD_DIR=... -DEXAMPLE=... -DWORK=... -DGENERATOR=... -P install_and_build.cmake
# Installs BUILD_DIR to WORK/prefix, builds EXAMPLE in WORK/build with only that prefix (and the
# system's packages) to find entropic, and runs its ctest. Prints each phase's time.
file(REMOVE_RECURSE ${WORK})
function(run phase)
  string(TIMESTAMP start "%s")
  execute_process(COMMAND ${ARGN} RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
  string(TIMESTAMP stop "%s")
  math(EXPR seconds "${stop} - ${start}")
  message("${phase}: ${seconds} s")
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "${phase} failed (exit ${rc}):\n${out}\n${err}")
  endif()
  set(last_output "${out}" PARENT_SCOPE)
endfunction()

run("install" ${CMAKE_COMMAND} --install ${BUILD_DIR} --prefix ${WORK}/prefix)
# No file of the package may name the build or source tree.
file(GLOB_RECURSE cmake_files ${WORK}/prefix/lib/cmake/entropic/*.cmake)
get_filename_component(source_root ${EXAMPLE}/../.. ABSOLUTE)
foreach(f ${cmake_files})
  file(READ ${f} text)
  foreach(tree ${BUILD_DIR} ${source_root})
    string(FIND "${text}" "${tree}" at)
    if(NOT at EQUAL -1)
      message(FATAL_ERROR "${f} names the machine's tree ${tree}")
    endif()
  endforeach()
endforeach()
run("configure" ${CMAKE_COMMAND} -S ${EXAMPLE} -B ${WORK}/build -G ${GENERATOR} -DCMAKE_BUILD_TYPE=Release
    -DCMAKE_PREFIX_PATH=${WORK}/prefix)
run("build" ${CMAKE_COMMAND} --build ${WORK}/build -j 2)
run("ctest" ${CMAKE_COMMAND} -E chdir ${WORK}/build ctest --output-on-failure)
message("${last_output}")
