add_library(gridcase_options INTERFACE)
target_compile_features(gridcase_options INTERFACE cxx_std_20)
# Asio and Beast are compiled once, in src/http/asio_impl.cpp, instead of in every TU.
target_compile_definitions(gridcase_options INTERFACE
  BOOST_ASIO_SEPARATE_COMPILATION
  BOOST_BEAST_SEPARATE_COMPILATION
  BOOST_ASIO_NO_DEPRECATED)

if(GRIDCASE_SANITIZERS)
  if("thread" IN_LIST GRIDCASE_SANITIZERS AND "address" IN_LIST GRIDCASE_SANITIZERS)
    message(FATAL_ERROR "GRIDCASE_SANITIZERS: thread cannot be combined with address")
  endif()
  list(JOIN GRIDCASE_SANITIZERS "," _gridcase_sanitizers)
  target_compile_options(gridcase_options INTERFACE
    -fsanitize=${_gridcase_sanitizers} -fno-omit-frame-pointer -fno-sanitize-recover=undefined)
  target_link_options(gridcase_options INTERFACE -fsanitize=${_gridcase_sanitizers})
endif()
