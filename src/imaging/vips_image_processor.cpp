#include "gridcase/imaging/vips_image_processor.hpp"

#include <vips/vips.h>

#include <array>
#include <memory>
#include <stdexcept>
#include <string>
#include <string_view>

#include "gridcase/domain/error.hpp"

namespace gridcase::imaging {
namespace {

using domain::Error;
using domain::ErrorCode;

struct Unref {
  void operator()(VipsImage* image) const { g_object_unref(image); }
};
using Image = std::unique_ptr<VipsImage, Unref>;

/// What a processing thread leaves behind: libvips' error text and its per-thread buffers.
struct ThreadCleanup {
  ThreadCleanup() = default;
  ThreadCleanup(const ThreadCleanup&) = delete;
  ThreadCleanup& operator=(const ThreadCleanup&) = delete;
  ~ThreadCleanup() {
    vips_error_clear();
    vips_thread_shutdown();
  }
};

enum class Format { kJpeg, kPng, kWebp };

/// The loaders an upload may use (libvips picks one by the bytes' signature and names its class)
/// and what each is saved as: HEIC becomes JPEG, the rest keep their format.
std::optional<Format> format_of_loader(std::string_view loader) {
  if (loader == "VipsForeignLoadJpegBuffer" || loader == "VipsForeignLoadHeifBuffer") {
    return Format::kJpeg;
  }
  if (loader == "VipsForeignLoadPngBuffer") return Format::kPng;
  if (loader == "VipsForeignLoadWebpBuffer") return Format::kWebp;
  return std::nullopt;
}

std::string_view content_type_of(Format format) {
  switch (format) {
    case Format::kJpeg:
      return "image/jpeg";
    case Format::kPng:
      return "image/png";
    case Format::kWebp:
      return "image/webp";
  }
  return "image/jpeg";
}

[[noreturn]] void refuse_encoding() {
  throw std::runtime_error(std::string("libvips could not make the picture: ") +
                           vips_error_buffer());
}

[[noreturn]] void refuse_corrupt() {
  throw Error(ErrorCode::kInvalidValue, "the image is truncated or corrupt");
}

std::size_t metadata_bytes(VipsImage* image) {
  std::size_t total = 0;
  for (const char* field : {VIPS_META_EXIF_NAME, VIPS_META_XMP_NAME, VIPS_META_IPTC_NAME,
                            VIPS_META_ICC_NAME, VIPS_META_PHOTOSHOP_NAME}) {
    if (vips_image_get_typeof(image, field) == 0) continue;
    const void* data = nullptr;
    std::size_t length = 0;
    if (vips_image_get_blob(image, field, &data, &length) == 0) total += length;
  }
  return total;
}

std::string save(VipsImage* image, Format format) {
  void* buffer = nullptr;
  std::size_t length = 0;
  int failed = 0;
  // strip: no EXIF (GPS, device serials), XMP, IPTC or ICC profile survives the re-encoding.
  switch (format) {
    case Format::kJpeg:
      failed = vips_jpegsave_buffer(image, &buffer, &length, "Q", 85, "strip", TRUE,
                                    "optimize_coding", TRUE, nullptr);
      break;
    case Format::kPng:
      failed =
          vips_pngsave_buffer(image, &buffer, &length, "strip", TRUE, "compression", 6, nullptr);
      break;
    case Format::kWebp:
      failed = vips_webpsave_buffer(image, &buffer, &length, "Q", 80, "strip", TRUE, nullptr);
      break;
  }
  if (failed != 0) refuse_corrupt();
  std::string bytes(static_cast<const char*>(buffer), length);
  g_free(buffer);
  return bytes;
}

Image shrunk(VipsImage* image, int longest_side) {
  VipsImage* out = nullptr;
  if (vips_thumbnail_image(image, &out, longest_side, "height", longest_side, "size",
                           VIPS_SIZE_DOWN, "no_rotate", TRUE, nullptr) != 0) {
    refuse_corrupt();
  }
  return Image{out};
}

}  // namespace

VipsImageProcessor::VipsImageProcessor() {
  static const bool ready = [] {
    if (VIPS_INIT("gridcase") != 0) return false;
    // One image, one thread: the caller's pool bounds the CPU; no cache keeps pixels alive.
    vips_concurrency_set(1);
    vips_cache_set_max(0);
    vips_cache_set_max_mem(0);
    vips_block_untrusted_set(TRUE);
    return true;
  }();
  if (!ready) throw std::runtime_error("libvips could not be initialised");
}

service::ProcessedImage VipsImageProcessor::process(std::string_view bytes,
                                                    const service::ImageLimits& limits) const {
  const ThreadCleanup cleanup;
  const char* loader = vips_foreign_find_load_buffer(bytes.data(), bytes.size());
  const std::optional<Format> format = loader != nullptr ? format_of_loader(loader) : std::nullopt;
  if (!format) {
    throw Error(ErrorCode::kUnsupportedMediaType, "the body is no JPEG, PNG, WebP or HEIC image");
  }
  // Lazily: the header only, so that the bounds are checked before any pixel is decoded.
  Image loaded{vips_image_new_from_buffer(bytes.data(), bytes.size(), "", "access",
                                          VIPS_ACCESS_RANDOM, "fail_on", VIPS_FAIL_ON_TRUNCATED,
                                          nullptr)};
  if (!loaded) refuse_corrupt();
  const auto pixels = static_cast<std::size_t>(vips_image_get_width(loaded.get())) *
                      static_cast<std::size_t>(vips_image_get_height(loaded.get()));
  if (pixels > limits.max_pixels) {
    throw Error(ErrorCode::kTooLarge,
                "the image has more than " + std::to_string(limits.max_pixels) + " pixels");
  }
  if (metadata_bytes(loaded.get()) > limits.max_metadata_bytes) {
    throw Error(ErrorCode::kInvalidValue, "the image carries more than " +
                                              std::to_string(limits.max_metadata_bytes) +
                                              " bytes of metadata");
  }
  VipsImage* step = nullptr;
  if (vips_autorot(loaded.get(), &step, nullptr) != 0) refuse_corrupt();
  Image upright{step};
  const VipsInterpretation interpretation = vips_image_guess_interpretation(upright.get());
  if (interpretation != VIPS_INTERPRETATION_sRGB && interpretation != VIPS_INTERPRETATION_B_W &&
      vips_colourspace_issupported(upright.get()) != 0) {
    if (vips_colourspace(upright.get(), &step, VIPS_INTERPRETATION_sRGB, nullptr) != 0) {
      refuse_corrupt();
    }
    upright = Image{step};
  }
  // Decoded once, here: a truncated or corrupt image fails now, and the three sizes share it.
  Image decoded{vips_image_copy_memory(upright.get())};
  if (!decoded) refuse_corrupt();

  service::ProcessedImage image;
  image.content_type = content_type_of(*format);
  image.width = vips_image_get_width(decoded.get());
  image.height = vips_image_get_height(decoded.get());
  image.full = save(decoded.get(), *format);
  image.screen = save(shrunk(decoded.get(), limits.screen_pixels).get(), *format);
  image.thumbnail = save(shrunk(decoded.get(), limits.thumbnail_pixels).get(), *format);
  return image;
}

std::string VipsImageProcessor::gradient(int width, int height, std::string_view suffix) const {
  const ThreadCleanup cleanup;
  VipsImage* step = nullptr;
  if (vips_xyz(&step, width, height, nullptr) != 0) refuse_encoding();  // two bands: x and y
  Image xy{step};
  if (vips_cast_uchar(xy.get(), &step, nullptr) != 0) refuse_encoding();
  Image bytes_per_band{step};
  if (vips_bandjoin_const1(bytes_per_band.get(), &step, 128, nullptr) != 0) refuse_encoding();
  Image rgb{step};
  void* buffer = nullptr;
  std::size_t length = 0;
  const std::string format(suffix);
  if (vips_image_write_to_buffer(rgb.get(), format.c_str(), &buffer, &length, nullptr) != 0) {
    refuse_encoding();
  }
  std::string encoded(static_cast<const char*>(buffer), length);
  g_free(buffer);
  return encoded;
}

}  // namespace gridcase::imaging
