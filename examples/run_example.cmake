# Runs an embedding example and checks its output: cmake -DPROGRAM=… -DPOLICY=… -DRECORD=… -DEXPECT=CODE -P run_example.cmake
# The examples exit 1 when the record fails the policy (as `zhiping check` does), so 0 and 1 are both
# a run; anything else, or output without the expected code, fails the test.
execute_process(COMMAND "${PROGRAM}" "${POLICY}" "${RECORD}"
                OUTPUT_VARIABLE out ERROR_VARIABLE err RESULT_VARIABLE rc)
message("${out}")
if(NOT rc EQUAL 0 AND NOT rc EQUAL 1)
  message(FATAL_ERROR "${PROGRAM} exited with ${rc}:\n${err}")
endif()
string(FIND "${out}" "${EXPECT}" pos)
if(pos EQUAL -1)
  message(FATAL_ERROR "the output of ${PROGRAM} does not contain ${EXPECT}\n${err}")
endif()
