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

TEST(MultipartTest, EveryPartComesWithItsNameAndWhetherItIsAFile) {
  const std::string body =
      "--XyZ\r\nContent-Disposition: form-data; name=\"service_code\"\r\n\r\nevent:0101\r\n"
      "--XyZ\r\ncontent-disposition: FORM-DATA; filename=\"a;b\\\".jpg\"; name=\"media\"\r\n"
      "Content-Type: image/jpeg\r\n\r\nJPEG\r\n"
      "--XyZ\r\nContent-Disposition: attachment; name=\"x\"; filename=\"y\"\r\n\r\nX\r\n"
      "--XyZ\r\nContent-Type: text/plain\r\n\r\nno disposition\r\n"
      "--XyZ--\r\n";
  const std::vector<FormPart> parts = form_data_parts(body, "XyZ");
  ASSERT_EQ(parts.size(), 4U);
  EXPECT_EQ(parts[0].name, "service_code");
  EXPECT_FALSE(parts[0].file);
  EXPECT_EQ(parts[0].content, "event:0101");
  EXPECT_EQ(parts[1].name, "media");  // after a quoted filename holding ; and \"
  EXPECT_TRUE(parts[1].file);
  EXPECT_EQ(parts[1].content, "JPEG");
  EXPECT_EQ(parts[2].name, "");  // not form-data: neither named nor a file
  EXPECT_FALSE(parts[2].file);
  EXPECT_EQ(parts[3].name, "");
  EXPECT_EQ(parts[3].content, "no disposition");
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
