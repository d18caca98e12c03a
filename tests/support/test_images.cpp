#include "test_images.hpp"

#include <gtest/gtest.h>
#include <vips/vips.h>

namespace gridcase::testing {

std::string encoded_image(int width, int height, const char* suffix) {
  if (VIPS_INIT("gridcase_tests") != 0) ADD_FAILURE() << "libvips: " << vips_error_buffer();
  VipsImage* gradient = nullptr;
  VipsImage* bytes_per_band = nullptr;
  VipsImage* image = nullptr;
  vips_xyz(&gradient, width, height, nullptr);  // two bands: x and y
  vips_cast_uchar(gradient, &bytes_per_band, nullptr);
  vips_bandjoin_const1(bytes_per_band, &image, 128, nullptr);  // RGB
  g_object_unref(gradient);
  g_object_unref(bytes_per_band);
  void* buffer = nullptr;
  std::size_t length = 0;
  if (vips_image_write_to_buffer(image, suffix, &buffer, &length, nullptr) != 0) {
    ADD_FAILURE() << vips_error_buffer();
  }
  g_object_unref(image);
  std::string bytes(static_cast<const char*>(buffer), length);
  g_free(buffer);
  return bytes;
}

}  // namespace gridcase::testing
