#pragma once

#include <string>

namespace gridcase::testing {

/// A gradient of `width`×`height` encoded as `suffix` says (".jpg", ".png", ".webp", ".heic"),
/// with no metadata (imaging::VipsImageProcessor::gradient): different sizes give different
/// bytes, so tests sharing a database (whose attachments are deduplicated by content) make
/// images of their own by choosing a size. Fails the current test when libvips cannot encode it.
std::string encoded_image(int width, int height, const char* suffix);

}  // namespace gridcase::testing
