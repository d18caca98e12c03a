// Open311's media_url (issue 16, docs/integrations.md "Reading requests"): a citizen report's
// uploaded photo (a web or app case) is served publicly at an unguessable link, in its screen
// size and without metadata; a patrol officer's or a hotline case's photo never is, nor an
// upload no intake named.
#include <gtest/gtest.h>
#include <unistd.h>

#include <nlohmann/json.hpp>
#include <string>

#include "support/case_http.hpp"
#include "support/demo_server.hpp"
#include "support/test_images.hpp"

namespace gridcase::testing {
namespace {

using nlohmann::json;

/// A small JPEG of its own for this process, so runs never share an image.
std::string jpeg() { return encoded_image(320 + static_cast<int>(::getpid() % 200), 240, ".jpg"); }

class Open311MediaTest : public DemoServerTest {
 protected:
  static std::string uploaded(std::string_view role) {
    HttpHeaders headers = auth_headers(role);
    headers.emplace_back("Content-Type", "image/jpeg");
    const HttpResponse answer =
        http_request(port(), "POST", "/api/v1/attachments", jpeg(), headers);
    EXPECT_EQ(answer.status, 201U) << answer.body;
    return json_of(answer).value("id", "");
  }
  static std::string filed(json body, const std::string& photo, std::string_view role) {
    body["photos"] = json::array({photo});
    const HttpResponse answer = post_case(port(), body, role);
    EXPECT_EQ(answer.status, 201U) << answer.body;
    return json_of(answer).value("case_no", "");
  }
  static json public_request(const std::string& case_no) {
    const HttpResponse read = http_get(port(), "/open311/v2/requests/" + case_no + ".json");
    EXPECT_EQ(read.status, 200U) << read.body;
    return json_of(read).at(0);
  }
};

TEST_F(Open311MediaTest, AWebReportsPhotoIsServedPubliclyAtItsMediaUrl) {
  const std::string photo = uploaded("operator");
  const std::string case_no = filed(case_intake_body("web"), photo, "operator");

  const json request = public_request(case_no);
  const std::string media = "/open311/v2/media/" + photo;
  EXPECT_EQ(request.at("media_url"), media);
  const HttpResponse xml = http_get(port(), "/open311/v2/requests/" + case_no + ".xml");
  EXPECT_NE(xml.body.find("<media_url>" + media + "</media_url>"), std::string::npos) << xml.body;

  const HttpResponse served = http_get(port(), media);  // no token
  ASSERT_EQ(served.status, 200U) << served.body;
  EXPECT_EQ(served.header("Content-Type"), "image/jpeg");
  EXPECT_EQ(served.header("Cache-Control"), "public, max-age=3600");
  ASSERT_TRUE(served.header("ETag").has_value());
  EXPECT_TRUE(served.body.starts_with("\xFF\xD8")) << "a JPEG";
  const HttpResponse again = http_request(port(), "GET", media, {},
                                          HttpHeaders{{"If-None-Match", *served.header("ETag")}});
  EXPECT_EQ(again.status, 304U);
}

TEST_F(Open311MediaTest, APatrolOrHotlinePhotoAndAnUnnamedUploadAreNeverPublic) {
  const std::string patrol_photo = uploaded("officer");
  const std::string patrol_case = filed(case_intake_body("patrol"), patrol_photo, "officer");
  const std::string hotline_photo = uploaded("operator");
  const std::string hotline_case =
      filed(case_intake_body("hotline_12319"), hotline_photo, "operator");
  const std::string unnamed = uploaded("operator");

  EXPECT_TRUE(public_request(patrol_case).at("media_url").is_null());
  EXPECT_TRUE(public_request(hotline_case).at("media_url").is_null());
  for (const std::string& id : {patrol_photo, hotline_photo, unnamed, std::string{"not-an-id"},
                                std::string{"00000000-0000-4000-8000-000000000000"}}) {
    const HttpResponse refused = http_get(port(), "/open311/v2/media/" + id);
    EXPECT_EQ(refused.status, 404U) << id;
    EXPECT_EQ(json_of(refused).at(0).at("code"), 404) << "Open311's error list: " << refused.body;
  }
}

}  // namespace
}  // namespace gridcase::testing
