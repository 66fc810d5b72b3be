# `your_catalog falsify U2` must find a certified counterexample, print it exactly and give a replay
# string that `your_catalog replay` accepts and reproduces (cmake -DCATALOG=... -P this file).
execute_process(COMMAND ${CATALOG} falsify U2 --no-past-failures --cases 500
                OUTPUT_VARIABLE out ERROR_VARIABLE err RESULT_VARIABLE rc)
message("${out}")
if(NOT rc EQUAL 0 OR NOT out MATCHES "FALSIFIED")
  message(FATAL_ERROR "U2 was not falsified (exit ${rc}):\n${out}${err}")
endif()
if(NOT out MATCHES "replay: (U2\\.[^\n]*)")
  message(FATAL_ERROR "no replay string in:\n${out}")
endif()
set(key "${CMAKE_MATCH_1}")
execute_process(COMMAND ${CATALOG} replay ${key} OUTPUT_VARIABLE again RESULT_VARIABLE rc)
message("${again}")
if(NOT rc EQUAL 0 OR NOT again MATCHES "violated")
  message(FATAL_ERROR "replay of ${key} did not reproduce the violation (exit ${rc}):\n${again}")
endif()
