// Raw bytes of a connection → the server's request reading (limits, smuggling checks) → the
// router → the handlers' decoding and validation, up to the database. See docs/fuzzing.md.

#include <cstddef>
#include <cstdint>
#include <string_view>

#include "harness.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  gridcase::fuzz::Api::instance().serve_bytes({reinterpret_cast<const char*>(data), size});
  return 0;
}
