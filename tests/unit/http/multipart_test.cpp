#include "http/multipart.hpp"

#include <gtest/gtest.h>

#include "error_of.hpp"
#include "gridcase/domain/error.hpp"

namespace gridcase::http {
namespace {

using domain::ErrorCode;
using testing::error_of;

const std::string kBody =
    "--XyZ\r\n"
    "Content-Disposition: form-data; name=\"note\"\r\n\r\n"
    "at the gate\r\n"
    "--XyZ\r\n"
    "Content-Disposition: form-data; name=\"photo\"; filename=\"IMG_0001.jpg\"\r\n"
    "Content-Type: image/jpeg\r\n\r\n"
    "\xFF\xD8 bytes\r\n with CRLF \xFF\xD9\r\n"
    "--XyZ--\r\n";

TEST(MultipartTest, TheBoundaryComesFromAFormDataTypeOnly) {
  EXPECT_EQ(form_data_boundary("multipart/form-data; boundary=XyZ"), "XyZ");
  EXPECT_EQ(form_data_boundary("Multipart/Form-Data; charset=utf-8; boundary=\"a b\""), "a b");
  EXPECT_EQ(form_data_boundary("image/jpeg"), std::nullopt);
  EXPECT_EQ(error_of([] { form_data_boundary("multipart/form-data"); }).code(),
            ErrorCode::kMalformed);
  EXPECT_EQ(error_of([] { form_data_boundary("multipart/form-data; boundary="); }).code(),
            ErrorCode::kMalformed);
}

TEST(MultipartTest, TheFileIsThePartWithAFilenameByteForByte) {
  EXPECT_EQ(form_data_file(kBody, "XyZ"), "\xFF\xD8 bytes\r\n with CRLF \xFF\xD9");
}

TEST(MultipartTest, NoFileTwoFilesOrBrokenFramingAreMalformed) {
  const std::string no_file =
      "--XyZ\r\nContent-Disposition: form-data; name=\"note\"\r\n\r\nhi\r\n--XyZ--\r\n";
  const std::string two_files =
      "--XyZ\r\nContent-Disposition: form-data; name=\"a\"; "
      "filename=\"a.jpg\"\r\n\r\nA\r\n--XyZ\r\nContent-Disposition: "
      "form-data; name=\"b\"; filename=\"b.jpg\"\r\n\r\nB\r\n--XyZ--";
  for (const std::string& body :
       {no_file, two_files, std::string("no boundary here"), kBody.substr(0, 120),
        std::string("--XyZ\r\nContent-Disposition: form-data; filename=\"x\"\r\n")}) {
    const domain::Error error = error_of([&] { form_data_file(body, "XyZ"); });
    EXPECT_EQ(error.code(), ErrorCode::kMalformed) << body;
  }
}

}  // namespace
}  // namespace gridcase::http
