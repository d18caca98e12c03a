// The image path of an upload (docs/attachments.md): any bytes are either re-encoded into three
// sizes or refused with the 4xx of a domain::Error, within the limits; never a crash, a hang or
// another exception.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "gridcase/domain/error.hpp"
#include "gridcase/imaging/vips_image_processor.hpp"
#include "harness.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const gridcase::imaging::VipsImageProcessor processor;
  gridcase::service::ImageLimits limits;
  limits.max_pixels = 4'000'000;  // the fuzzer's memory is small; the bound is what is tested
  const std::string_view bytes{reinterpret_cast<const char*>(data), size};
  try {
    const gridcase::service::ProcessedImage image = processor.process(bytes, limits);
    gridcase::fuzz::require(
        !image.full.empty() && !image.screen.empty() && !image.thumbnail.empty(),
        "an accepted image has all three sizes");
    gridcase::fuzz::require(
        static_cast<std::size_t>(image.width) * static_cast<std::size_t>(image.height) <=
            limits.max_pixels,
        "an accepted image is within the pixel bound");
  } catch (const gridcase::domain::Error& error) {
    const auto code = error.code();
    gridcase::fuzz::require(code == gridcase::domain::ErrorCode::kUnsupportedMediaType ||
                                code == gridcase::domain::ErrorCode::kTooLarge ||
                                code == gridcase::domain::ErrorCode::kInvalidValue,
                            "a refused image is 415, 413 or 422");
  }
  return 0;
}
