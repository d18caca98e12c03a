#include "test_images.hpp"

#include <gtest/gtest.h>

#include <stdexcept>

#include "gridcase/imaging/vips_image_processor.hpp"

namespace gridcase::testing {

std::string encoded_image(int width, int height, const char* suffix) {
  try {
    static const imaging::VipsImageProcessor vips;
    return vips.gradient(width, height, suffix);
  } catch (const std::runtime_error& error) {
    ADD_FAILURE() << error.what();
    return {};
  }
}

}  // namespace gridcase::testing
