# Run by gridcase_add_test_suites (TestSuites.cmake) after a test executable is built: writes one
# add_test per GoogleTest suite it lists. -D EXECUTABLE, OUTPUT, LABEL, RESOURCE_LOCK,
# WORKING_DIRECTORY.
execute_process(COMMAND "${EXECUTABLE}" --gtest_list_tests
  WORKING_DIRECTORY "${WORKING_DIRECTORY}" TIMEOUT 60
  OUTPUT_VARIABLE listing ERROR_VARIABLE errors RESULT_VARIABLE status)
if(NOT status EQUAL 0)
  message(FATAL_ERROR "${EXECUTABLE} --gtest_list_tests failed (${status}):\n${errors}")
endif()

string(REPLACE "\n" ";" lines "${listing}")
set(script "")
set(suites 0)
foreach(line IN LISTS lines)
  # A suite line starts in column 0 and ends with '.', perhaps followed by "  # TypeParam = ...";
  # test lines are indented.
  if(line MATCHES "^([^ #][^ ]*)\\.( +#.*)?$")
    set(suite "${CMAKE_MATCH_1}")
    math(EXPR suites "${suites} + 1")
    string(APPEND script
      "add_test([==[${suite}]==] [==[${EXECUTABLE}]==] [==[--gtest_filter=${suite}.*]==])\n"
      "set_tests_properties([==[${suite}]==] PROPERTIES LABELS [==[${LABEL}]==]"
      " WORKING_DIRECTORY [==[${WORKING_DIRECTORY}]==]"
      " FAIL_REGULAR_EXPRESSION [==[\\[  SKIPPED \\]]==])\n")
    if(RESOURCE_LOCK)
      string(APPEND script
        "set_tests_properties([==[${suite}]==] PROPERTIES RESOURCE_LOCK [==[${RESOURCE_LOCK}]==])\n")
    endif()
  endif()
endforeach()
if(suites EQUAL 0)
  message(FATAL_ERROR "${EXECUTABLE} lists no test suite")
endif()
file(WRITE "${OUTPUT}" "${script}")
