#pragma once

#include <string>
#include <string_view>

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

  /// A plain picture with no metadata: a gradient of `width`×`height` encoded as `suffix` says
  /// (".jpg", ".png", ".webp", ".heic"). What `gridcase simulate` uploads as its officers'
  /// photos and the tests upload; different sizes give different bytes. Throws
  /// std::runtime_error when libvips cannot make it.
  std::string gradient(int width, int height, std::string_view suffix) const;
};

}  // namespace gridcase::imaging
