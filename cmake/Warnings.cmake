add_library(gridcase_warnings INTERFACE)
target_compile_options(gridcase_warnings INTERFACE
  -Wall
  -Wextra
  -Wpedantic
  -Wshadow                # a local hiding a member is how stale state gets read
  -Wconversion            # silent narrowing of sizes and coordinates
  -Wold-style-cast
  -Wnon-virtual-dtor      # ports are deleted through base pointers
  -Woverloaded-virtual
  -Wimplicit-fallthrough
  -Wsuggest-override
  -Wno-mismatched-new-delete  # g++ 12 false positive on Asio awaitable frames at -O2 (GCC PR 109224)
  -Wno-missing-field-initializers  # designated initializers leave the rest at their defaults on purpose
)
if(GRIDCASE_WARNINGS_AS_ERRORS)
  target_compile_options(gridcase_warnings INTERFACE -Werror)
endif()
