add_library(gridcase_options INTERFACE)
target_compile_features(gridcase_options INTERFACE cxx_std_20)
# Asio and Beast are compiled once, in src/http/asio_impl.cpp, instead of in every TU.
target_compile_definitions(gridcase_options INTERFACE
  BOOST_ASIO_SEPARATE_COMPILATION
  BOOST_BEAST_SEPARATE_COMPILATION
  BOOST_ASIO_NO_DEPRECATED)

set(_gridcase_sanitizer_list ${GRIDCASE_SANITIZERS})
if(GRIDCASE_FUZZ)
  if(NOT CMAKE_CXX_COMPILER_ID STREQUAL "Clang")
    message(FATAL_ERROR "GRIDCASE_FUZZ needs clang (libFuzzer): use the fuzz preset")
  endif()
  # libFuzzer's coverage instrumentation in every library; the targets link libFuzzer itself.
  list(PREPEND _gridcase_sanitizer_list fuzzer-no-link)
endif()

if(_gridcase_sanitizer_list)
  if("thread" IN_LIST GRIDCASE_SANITIZERS AND "address" IN_LIST GRIDCASE_SANITIZERS)
    message(FATAL_ERROR "GRIDCASE_SANITIZERS: thread cannot be combined with address")
  endif()
  list(JOIN _gridcase_sanitizer_list "," _gridcase_sanitizers)
  target_compile_options(gridcase_options INTERFACE
    -fsanitize=${_gridcase_sanitizers} -fno-omit-frame-pointer -fno-sanitize-recover=undefined)
  target_link_options(gridcase_options INTERFACE -fsanitize=${_gridcase_sanitizers})
  if(GRIDCASE_FUZZ)
    # clang 14's UBSan `function` check cannot compile coroutines ("Cannot represent a difference
    # across sections", llvm/llvm-project#49689); the other UBSan checks stay. After -fsanitize.
    target_compile_options(gridcase_options INTERFACE -fno-sanitize=function)
  endif()
endif()
