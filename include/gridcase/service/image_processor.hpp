#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace gridcase::service {

/// What an upload may be (config `attachments`): every bound is checked before the pixels are
/// decoded, so an image that breaks one costs a header's parse.
struct ImageLimits {
  std::size_t max_pixels = 40'000'000;         // width × height of the decoded picture
  std::size_t max_metadata_bytes = 64 * 1024;  // EXIF, XMP, IPTC and ICC together
  int screen_pixels = 1280;                    // the screen version's longest side
  int thumbnail_pixels = 256;                  // the thumbnail's longest side
};

/// A photo as stored: the picture re-encoded with its orientation applied and no metadata, in
/// three sizes of one format.
struct ProcessedImage {
  std::string content_type;  // image/jpeg, image/png or image/webp
  int width = 0;             // of the full size, after orientation
  int height = 0;
  std::string full;
  std::string screen;
  std::string thumbnail;
};

/// Port: decodes, bounds and re-encodes an uploaded image. Synchronous and CPU-bound: the caller
/// runs it off the I/O threads (AttachmentService's pool). Thread-safe.
class ImageProcessor {
 public:
  virtual ~ImageProcessor() = default;
  /// The type comes from the bytes, never from a name. Throws domain::Error:
  /// kUnsupportedMediaType for bytes that are no JPEG, PNG, WebP or HEIC image; kTooLarge for
  /// more pixels than `limits.max_pixels`; kInvalidValue for a truncated or corrupt image or
  /// metadata larger than `limits.max_metadata_bytes`.
  virtual ProcessedImage process(std::string_view bytes, const ImageLimits& limits) const = 0;
};

}  // namespace gridcase::service
