# Included by ctest (TEST_INCLUDE_FILES) once the listed GoogleTest suites are defined, so it can
# name them; set_tests_properties fails the run if a name here no longer exists.

# scripts/pg.sh crash stops the cluster both kinds share: nothing else may use it meanwhile.
set_tests_properties(DatabaseCrashTest PROPERTIES RESOURCE_LOCK "integration_database;e2e_database")

# Without timings from an earlier run ctest starts tests in the order they are defined, which
# puts these (15-35 s each, end-to-end, one at a time) last and leaves a core idle at the end.
set_tests_properties(SessionKillTest TextFieldsMemoryTest CrashRecoveryTest DatabaseCrashTest
  ConsoleBrowserTest
  PROPERTIES COST 1000)
