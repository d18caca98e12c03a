# gridcase_add_test_suites(<target> LABEL <label> [RESOURCE_LOCK <lock>])
#
# One CTest test per GoogleTest suite of <target>, run as `<target> --gtest_filter=<Suite>.*`,
# instead of gtest_discover_tests' one process per test. A suite is what GoogleTest itself runs
# in one process (its fixtures share a server or a database set-up per suite, by design), and a
# process per test cost more than the tests: 1,171 processes, each starting an ASan binary and,
# for an end-to-end test, a server, spent most of ctest's time starting up (docs/development.md).
#
# Like gtest_discover_tests, the suites are listed after each build (POST_BUILD runs the
# executable with --gtest_list_tests) into a file that ctest includes; until the target is built,
# ctest reports a <target>_NOT_BUILT test that fails. A skipped test fails its suite.
set(_gridcase_test_suites_script ${CMAKE_CURRENT_LIST_DIR}/TestSuitesScript.cmake)

function(gridcase_add_test_suites target)
  cmake_parse_arguments(PARSE_ARGV 1 arg "" "LABEL;RESOURCE_LOCK" "")
  set(listed "${CMAKE_CURRENT_BINARY_DIR}/${target}_suites.cmake")
  set(include_file "${CMAKE_CURRENT_BINARY_DIR}/${target}_include.cmake")
  add_custom_command(TARGET ${target} POST_BUILD
    COMMAND ${CMAKE_COMMAND} -D "EXECUTABLE=$<TARGET_FILE:${target}>" -D "OUTPUT=${listed}"
      -D "LABEL=${arg_LABEL}" -D "RESOURCE_LOCK=${arg_RESOURCE_LOCK}"
      -D "WORKING_DIRECTORY=${CMAKE_CURRENT_BINARY_DIR}" -P ${_gridcase_test_suites_script}
    BYPRODUCTS ${listed} VERBATIM)
  file(WRITE ${include_file}
    "if(EXISTS \"${listed}\")\n"
    "  include(\"${listed}\")\n"
    "else()\n"
    "  add_test(${target}_NOT_BUILT ${target}_NOT_BUILT)\n"
    "endif()\n")
  set_property(DIRECTORY APPEND PROPERTY TEST_INCLUDE_FILES ${include_file})
endfunction()
