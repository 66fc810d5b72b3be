# Read by ctest after the discovered GoogleTest tests of this directory (tests/io/CMakeLists.txt):
# every test of test_io (label unit) gets the label `sanitize` as well. (ctest cannot read a test's
# properties here, so the label unit is restated: keep it in step with entropic_add_gtest(test_io).)
foreach(test IN LISTS test_io_TESTS)
  set_tests_properties("${test}" PROPERTIES LABELS "unit;sanitize")
endforeach()
