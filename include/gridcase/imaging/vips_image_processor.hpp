#pragma once

#include "gridcase/service/image_processor.hpp"

namespace gridcase::imaging {

/// service::ImageProcessor over libvips (Debian's libvips-dev): loaders limited to JPEG, PNG,
/// WebP and HEIC, picked from the bytes; libvips' own threads and operation cache off, so each
/// image is worked on by the one thread the caller gives it, and nothing outlives it.
class VipsImageProcessor final : public service::ImageProcessor {
 public:
  /// Initialises libvips once per process. Throws std::runtime_error when it cannot.
  VipsImageProcessor();
  service::ProcessedImage process(std::string_view bytes,
                                  const service::ImageLimits& limits) const override;
};

}  // namespace gridcase::imaging
