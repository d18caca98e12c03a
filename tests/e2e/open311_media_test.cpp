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
#include "support/test_database.hpp"
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

/// A GeoReport v2 filing with its photo: multipart/form-data whose text parts are the form's
/// fields and whose file part `media` is the photo, the api_key in the query string
/// (docs/integrations.md, "Filing with a photo").
class Open311FilingPhotoTest : public DemoServerTest {
 protected:
  using Fields = std::vector<std::pair<std::string, std::string>>;
  struct Part {
    std::string name;
    std::string content;
    bool file = false;
  };

  static Fields fields() {
    return {{"jurisdiction_id", "150203"},
            {"service_code", "event:0102"},
            {"lat", "40.65"},
            {"long", "109.83"},
            {"description", "路口暴露垃圾"}};
  }
  static std::vector<Part> parts(const Fields& text, const std::string& photo) {
    std::vector<Part> all;
    for (const auto& [name, value] : text) all.push_back({name, value});
    if (!photo.empty()) all.push_back({"media", photo, true});
    return all;
  }
  static HttpResponse file(const std::vector<Part>& body_parts, const std::string& boundary,
                           const std::string& query, const HttpHeaders& extra = {},
                           const std::string& resource = "requests.json") {
    std::string body;
    for (const Part& part : body_parts) {
      body += "--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + part.name + "\"";
      body += part.file ? "; filename=\"IMG_0001.jpg\"\r\nContent-Type: image/jpeg\r\n\r\n"
                        : "\r\n\r\n";
      body += part.content + "\r\n";
    }
    body += "--" + boundary + "--\r\n";
    HttpHeaders headers{{"Content-Type", "multipart/form-data; boundary=" + boundary}};
    headers.insert(headers.end(), extra.begin(), extra.end());
    return http_request(port(), "POST", "/open311/v2/" + resource + query, body, headers);
  }
  static std::string key_query() { return "?api_key=" + demo_token("integration"); }
  static long long stored() { return e2e_rows("attachments") + e2e_rows("attachment_images"); }
};

TEST_F(Open311FilingPhotoTest, AFilingCarriesItsPhotoAndTheRequestShowsItAtItsMediaUrl) {
  const std::string photo = encoded_image(400 + static_cast<int>(::getpid() % 300), 300, ".jpg");

  const HttpResponse filed = file(parts(fields(), photo), "gc-b0undary", key_query());

  ASSERT_EQ(filed.status, 201U) << filed.body;
  const std::string case_no = json_of(filed).at(0).at("service_request_id");
  const std::string id = query_scalar(
      e2e_database_url(),
      "SELECT a.id::text FROM attachments a JOIN cases c ON c.id = a.case_id WHERE c.case_no = '" +
          case_no + "' AND a.stage = 'report' AND a.uploaded_by = 'integration'");
  ASSERT_FALSE(id.empty());
  const HttpResponse read = http_get(port(), "/open311/v2/requests/" + case_no + ".json");
  ASSERT_EQ(read.status, 200U) << read.body;
  EXPECT_EQ(json_of(read).at(0).at("media_url"), "/open311/v2/media/" + id);
  const HttpResponse served = http_get(port(), "/open311/v2/media/" + id);
  ASSERT_EQ(served.status, 200U);
  EXPECT_EQ(served.header("Content-Type"), "image/jpeg");

  // The same Idempotency-Key with the same fields and photo under another boundary is the same
  // filing: its case again, and the second upload is not kept.
  const std::string key = unique_token("o311-photo");
  const HttpResponse first =
      file(parts(fields(), photo + "x"), "first", key_query(), {{"Idempotency-Key", key}});
  ASSERT_EQ(first.status, 201U) << first.body;
  const long long before = stored();
  const HttpResponse again =
      file(parts(fields(), photo + "x"), "second", key_query(), {{"Idempotency-Key", key}});
  ASSERT_EQ(again.status, 201U) << again.body;  // a replay answers as the first time
  EXPECT_EQ(json_of(again).at(0).at("service_request_id"),
            json_of(first).at(0).at("service_request_id"));
  EXPECT_EQ(stored(), before);
}

TEST_F(Open311FilingPhotoTest, EveryRefusalIsInOpen311FormatAndStoresNoPhoto) {
  const std::string photo = encoded_image(200 + static_cast<int>(::getpid() % 300), 150, ".jpg");
  Fields outside = fields();
  outside[3].second = "109.70";  // long: west of every cell
  Fields with_link = fields();
  with_link.emplace_back("media_url", "https://photos.example.cn/web/1.jpg");
  Fields with_key = fields();
  with_key.emplace_back("api_key", demo_token("integration"));
  std::vector<Part> two_photos = parts(fields(), photo);
  two_photos.push_back({"media", photo, true});
  std::vector<Part> other_file = parts(fields(), "");
  other_file.push_back({"photo", photo, true});
  struct Refused {
    const char* what;
    std::vector<Part> body;
    std::string query;
    unsigned status;
  };
  const std::vector<Refused> refusals{
      {"the api_key in the body only", parts(with_key, photo), "", 403},
      {"an api_key that is no token", parts(fields(), photo), "?api_key=gct_0", 403},
      {"an operator's token", parts(fields(), photo), "?api_key=" + demo_token("operator"), 403},
      {"a point outside the district", parts(outside, photo), key_query(), 400},
      {"the photo and a link to it", parts(with_link, photo), key_query(), 400},
      {"two photos", two_photos, key_query(), 400},
      {"a file that is not `media`", other_file, key_query(), 400},
      {"text renamed .jpg", parts(fields(), "just some text, not a picture"), key_query(), 415},
      {"a truncated JPEG", parts(fields(), photo.substr(0, photo.size() / 3)), key_query(), 400},
  };
  const long long cases = e2e_rows("cases");
  const long long before = stored();
  for (const Refused& refused : refusals) {
    const HttpResponse answer = file(refused.body, "Xy-Z", refused.query);
    EXPECT_EQ(answer.status, refused.status) << refused.what << ": " << answer.body;
    const json errors = json::parse(answer.body, nullptr, false);
    EXPECT_TRUE(errors.is_array() && !errors.empty() &&
                errors[0].value("code", 0U) == refused.status)
        << refused.what << ": " << answer.body;
  }
  const HttpResponse xml = file(parts(outside, photo), "Xy-Z", key_query(), {}, "requests.xml");
  EXPECT_EQ(xml.status, 400U);
  EXPECT_NE(xml.body.find("<errors><error><code>400</code>"), std::string::npos) << xml.body;
  EXPECT_EQ(e2e_rows("cases"), cases);
  EXPECT_EQ(stored(), before);
}

}  // namespace
}  // namespace gridcase::testing
