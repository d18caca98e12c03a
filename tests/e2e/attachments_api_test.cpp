// Evidence photos end to end (docs/attachments.md): an upload for each stage (report, verify,
// complete, check), the downloads, and each refusal of hostile input, with nothing stored.
#include <gtest/gtest.h>
#include <unistd.h>
#include <vips/vips.h>

#include <atomic>
#include <cstdint>
#include <cstdio>
#include <fstream>
#include <string>
#include <thread>
#include <vector>

#include "case_http.hpp"
#include "demo_server.hpp"
#include "server_process.hpp"
#include "test_database.hpp"
#include "test_images.hpp"

namespace gridcase::testing {
namespace {

using nlohmann::json;

/// A marker in the test photo's EXIF: it must appear in no stored size.
constexpr std::string_view kGpsMarker = "GRIDCASE-GPS-SECRET";

std::string big_endian(unsigned value, int bytes) {
  std::string out;
  for (int shift = (bytes - 1) * 8; shift >= 0; shift -= 8) {
    out.push_back(static_cast<char>((value >> static_cast<unsigned>(shift)) & 0xFFU));
  }
  return out;
}

/// A TIFF/EXIF block (big-endian): IFD0 with ImageDescription (the marker) and a GPS IFD with
/// latitude N 40°39'0" — what a phone writes where it stood.
std::string exif_with_gps() {
  std::string tiff = "MM";
  tiff += big_endian(42, 2) + big_endian(8, 4);
  // IFD0 at 8: two entries (2 + 2*12 + 4 = 30 bytes) → the GPS IFD at 38.
  const std::string description = std::string(kGpsMarker) + '\0';
  const unsigned gps_ifd = 38;
  const unsigned gps_data = gps_ifd + 2 + 2 * 12 + 4;  // the latitude's rationals
  const unsigned description_at = gps_data + 24;
  tiff += big_endian(2, 2);
  tiff += big_endian(0x010E, 2) + big_endian(2, 2) +
          big_endian(static_cast<unsigned>(description.size()), 4) + big_endian(description_at, 4);
  tiff += big_endian(0x8825, 2) + big_endian(4, 2) + big_endian(1, 4) + big_endian(gps_ifd, 4);
  tiff += big_endian(0, 4);
  tiff += big_endian(2, 2);
  tiff += big_endian(0x0001, 2) + big_endian(2, 2) + big_endian(2, 4) + std::string("N\0\0\0", 4);
  tiff += big_endian(0x0002, 2) + big_endian(5, 2) + big_endian(3, 4) + big_endian(gps_data, 4);
  tiff += big_endian(0, 4);
  tiff += big_endian(40, 4) + big_endian(1, 4) + big_endian(39, 4) + big_endian(1, 4) +
          big_endian(0, 4) + big_endian(1, 4);
  tiff += description;
  return std::string("Exif\0\0", 6) + tiff;
}

/// `payload` as a JPEG APP1 segment.
std::string app1(const std::string& payload) {
  return "\xFF\xE1" + big_endian(static_cast<unsigned>(payload.size() + 2), 2) + payload;
}

/// `segments` put right after the JPEG's SOI marker.
std::string with_segments(const std::string& jpeg, const std::string& segments) {
  return jpeg.substr(0, 2) + segments + jpeg.substr(2);
}

std::string phone_photo() {
  return with_segments(encoded_image(1600, 1200, ".jpg"), app1(exif_with_gps()));
}

/// True when libvips finds EXIF in `bytes`.
bool has_exif(const std::string& bytes) {
  VipsImage* image = vips_image_new_from_buffer(bytes.data(), bytes.size(), "", nullptr);
  if (image == nullptr) {
    ADD_FAILURE() << "stored bytes libvips cannot read";
    return true;
  }
  const bool exif = vips_image_get_typeof(image, VIPS_META_EXIF_NAME) != 0;
  g_object_unref(image);
  return exif;
}

HttpHeaders image_headers(std::string_view role, std::string_view type = "image/jpeg") {
  HttpHeaders headers = auth_headers(role);
  headers.emplace_back("Content-Type", type);
  return headers;
}

class AttachmentsApiTest : public DemoServerTest {
 protected:
  static HttpResponse upload(const std::string& bytes, std::string_view role = "officer",
                             std::string_view type = "image/jpeg") {
    return http_request(port(), "POST", "/api/v1/attachments", bytes, image_headers(role, type));
  }
  static HttpResponse upload_to(const std::string& case_no, const std::string& bytes,
                                std::string_view role) {
    return http_request(port(), "POST", "/api/v1/cases/" + case_no + "/attachments", bytes,
                        image_headers(role));
  }
  static std::string uploaded_id(const HttpResponse& response) {
    EXPECT_EQ(response.status, 201U) << response.body;
    return json_of(response).value("id", "");
  }
  static HttpResponse download(const std::string& id, std::string_view size,
                               std::string_view role = "shift_leader",
                               const HttpHeaders& extra = {}) {
    HttpHeaders headers = auth_headers(role);
    headers.insert(headers.end(), extra.begin(), extra.end());
    return http_request(port(), "GET", "/api/v1/attachments/" + id + "/" + std::string(size), {},
                        headers);
  }
  /// A registered case dispatched to the demo unit and acknowledged: handling.
  static std::string handling_case() {
    const std::string case_no = create_registered_case(port());
    EXPECT_EQ(
        post_action(port(), case_no, "dispatch", {{"unit", "150203004-enforcement"}}, "dispatcher")
            .status,
        200U);
    EXPECT_EQ(post_action(port(), case_no, "acknowledge", json::object(), "unit").status, 200U);
    return case_no;
  }
  static std::string verifying_case(const DemoPlace& place = kDemoPlace) {
    const std::string case_no = create_case(port(), case_intake_body("web", place.lon, place.lat));
    EXPECT_EQ(
        post_action(port(), case_no, "request_verification", json::object(), "operator").status,
        200U);
    return case_no;
  }
  static long long images() { return e2e_rows("attachment_images"); }
  static long long attachments() { return e2e_rows("attachments"); }
};

TEST_F(AttachmentsApiTest, StaffSendingALinkInsteadOfAnUploadIs422NamingItAndWritesNothing) {
  const long long cases_before = e2e_rows("cases");
  json body = case_intake_body("patrol");
  body["photos"] = json::array({"https://photos.example.cn/patrol/1.jpg"});
  const HttpResponse filed = post_case(port(), body, "officer");
  ASSERT_TRUE(is_problem(filed, 422)) << filed.body;
  EXPECT_EQ(error_fields(filed), std::vector<std::string>{"photos[0]"});
  EXPECT_EQ(e2e_rows("cases"), cases_before);

  const std::string case_no = handling_case();
  const std::string path = "/api/v1/cases/" + case_no;
  const long long events_before = e2e_rows("case_events");
  const HttpResponse completed =
      post_action(port(), case_no, "complete",
                  {{"note", "已处理"},
                   {"attachments", {kPhotoToUpload, "https://photos.example.cn/after.jpg"}}},
                  "unit");
  ASSERT_TRUE(is_problem(completed, 422)) << completed.body;
  EXPECT_EQ(error_fields(completed), std::vector<std::string>{"attachments[1]"});
  EXPECT_EQ(e2e_rows("case_events"), events_before);
  EXPECT_EQ(json_of(get_as(port(), path)).at("status"), "handling");
}

TEST_F(AttachmentsApiTest, APatrolReportNamesItsUploadAndNoStoredSizeKeepsTheGpsExif) {
  const std::string photo = phone_photo();
  ASSERT_TRUE(has_exif(photo)) << "the test photo carries EXIF";
  const HttpResponse uploaded = upload(photo);
  const std::string id = uploaded_id(uploaded);
  const json record = json_of(uploaded);
  EXPECT_EQ(record.at("content_type"), "image/jpeg");
  EXPECT_EQ(record.at("width"), 1600);
  EXPECT_EQ(record.at("attached"), false);
  EXPECT_TRUE(record.at("case_no").is_null());

  json body = case_intake_body("patrol");
  body["photos"] = json::array({id});
  const HttpResponse filed = post_case(port(), body, "officer");
  ASSERT_EQ(filed.status, 201U) << filed.body;
  const std::string case_no = json_of(filed).at("case_no");
  EXPECT_EQ(json_of(filed).at("photos"), json::array({id}));

  const json listed = json_of(get_as(port(), "/api/v1/cases/" + case_no + "/attachments"));
  ASSERT_EQ(listed.at("items").size(), 1U) << listed.dump();
  EXPECT_EQ(listed.at("items")[0].at("stage"), "report");
  EXPECT_EQ(listed.at("items")[0].at("attached"), true);
  EXPECT_EQ(listed.at("items")[0].at("uploaded_by"), "officer");

  for (const char* size : {"full", "screen", "thumbnail"}) {
    const HttpResponse got = download(id, size);
    ASSERT_EQ(got.status, 200U) << size << got.body;
    EXPECT_EQ(got.header("Content-Type"), "image/jpeg") << size;
    EXPECT_TRUE(got.header("ETag").has_value()) << size;
    EXPECT_EQ(got.header("Cache-Control"), "private, max-age=31536000, immutable") << size;
    EXPECT_FALSE(has_exif(got.body)) << size;
    EXPECT_EQ(got.body.find(kGpsMarker), std::string::npos) << size;
    EXPECT_EQ(got.body.find("Exif"), std::string::npos) << size;
  }
  const HttpResponse thumbnail = download(id, "thumbnail");
  VipsImage* small =
      vips_image_new_from_buffer(thumbnail.body.data(), thumbnail.body.size(), "", nullptr);
  ASSERT_NE(small, nullptr);
  EXPECT_EQ(vips_image_get_width(small), 256);
  g_object_unref(small);
}

TEST_F(AttachmentsApiTest, AnIphoneHeicPhotoIsTakenAndKeptAsJpegInEverySize) {
  // HEIC as a phone writes it (HEVC in HEIF), encoded by Debian's libheif through libvips.
  const std::string heic = encoded_image(900 + static_cast<int>(::getpid() % 97), 600, ".heic");
  ASSERT_EQ(heic.substr(4, 8), std::string("ftypheic")) << "not an HEIC file";

  const HttpResponse uploaded = upload(heic, "officer", "image/heic");
  const std::string id = uploaded_id(uploaded);
  const json record = json_of(uploaded);
  EXPECT_EQ(record.at("content_type"), "image/jpeg");
  EXPECT_EQ(record.at("width"), 900 + static_cast<int>(::getpid() % 97));

  for (const char* size : {"full", "screen", "thumbnail"}) {
    const HttpResponse got = download(id, size, "officer");  // its uploader, before a case
    ASSERT_EQ(got.status, 200U) << size << got.body;
    EXPECT_EQ(got.header("Content-Type"), "image/jpeg") << size;
    EXPECT_EQ(got.body.substr(0, 3), std::string("\xFF\xD8\xFF")) << size << ": not a JPEG";
  }
}

TEST_F(AttachmentsApiTest, TheFullSizeAnswersRangesAndConditionalRequests) {
  const std::string id =
      uploaded_id(upload(encoded_image(640, 480, ".png"), "operator", "image/png"));
  const HttpResponse full = download(id, "full", "operator");
  ASSERT_EQ(full.status, 200U) << full.body;
  EXPECT_EQ(full.header("Content-Type"), "image/png");
  EXPECT_EQ(full.header("Accept-Ranges"), "bytes");
  const std::string etag = full.header("ETag").value_or("");

  const HttpResponse part = download(id, "full", "operator", {{"Range", "bytes=0-9"}});
  EXPECT_EQ(part.status, 206U);
  EXPECT_EQ(part.body, full.body.substr(0, 10));
  EXPECT_EQ(part.header("Content-Range"), "bytes 0-9/" + std::to_string(full.body.size()));
  const HttpResponse tail = download(id, "full", "operator", {{"Range", "bytes=-4"}});
  EXPECT_EQ(tail.status, 206U);
  EXPECT_EQ(tail.body, full.body.substr(full.body.size() - 4));
  const HttpResponse past = download(id, "full", "operator", {{"Range", "bytes=99999999-"}});
  EXPECT_TRUE(is_problem(past, 416));
  EXPECT_EQ(past.header("Content-Range"), "bytes */" + std::to_string(full.body.size()));
  const HttpResponse cached = download(id, "full", "operator", {{"If-None-Match", etag}});
  EXPECT_EQ(cached.status, 304U);
  EXPECT_TRUE(cached.body.empty());
  // Ranges are for the full size only; the others are small.
  EXPECT_EQ(download(id, "screen", "operator", {{"Range", "bytes=0-9"}}).status, 200U);
  // An upload no case holds yet is its uploader's alone.
  EXPECT_TRUE(is_problem(download(id, "full", "shift_leader"), 404));
  EXPECT_TRUE(is_problem(download(id, "huge", "operator"), 404));
  EXPECT_TRUE(is_problem(download("not-an-id", "full", "operator"), 404));
}

TEST_F(AttachmentsApiTest, VerifyCompleteAndCheckTakeTheirUploadsAtTheirStages) {
  // verify: the officer of the cell, while the case is verifying.
  const std::string verifying = verifying_case();
  const HttpResponse seen = upload_to(verifying, phone_photo(), "officer");
  const std::string seen_id = uploaded_id(seen);
  EXPECT_EQ(json_of(seen).at("stage"), "verify");
  EXPECT_EQ(json_of(seen).at("case_no"), verifying);
  EXPECT_EQ(post_action(port(), verifying, "verify",
                        {{"result", "confirmed"}, {"attachments", {seen_id}}}, "officer")
                .status,
            200U);

  // complete: the unit, while handling; a photo is required.
  const std::string handling = handling_case();
  EXPECT_TRUE(
      is_problem(post_action(port(), handling, "complete", {{"note", "已处理"}}, "unit"), 400));
  const HttpResponse done = upload_to(handling, encoded_image(800, 600, ".webp"), "unit");
  const std::string done_id = uploaded_id(done);
  EXPECT_EQ(json_of(done).at("stage"), "complete");
  EXPECT_EQ(json_of(done).at("content_type"), "image/webp");
  const HttpResponse completed = post_action(
      port(), handling, "complete", {{"note", "已处理"}, {"attachments", {done_id}}}, "unit");
  ASSERT_EQ(completed.status, 200U) << completed.body;

  // check: the officer, once handled.
  const HttpResponse checked_photo =
      upload_to(handling, encoded_image(300, 200, ".jpg"), "officer");
  const std::string check_id = uploaded_id(checked_photo);
  EXPECT_EQ(json_of(checked_photo).at("stage"), "check");
  EXPECT_EQ(post_action(port(), handling, "check",
                        {{"result", "passed"}, {"attachments", {check_id}}}, "officer")
                .status,
            200U);
  const json listed = json_of(get_as(port(), "/api/v1/cases/" + handling + "/attachments"));
  ASSERT_EQ(listed.at("items").size(), 2U) << listed.dump();
  EXPECT_EQ(listed.at("items")[0].at("stage"), "complete");
  EXPECT_EQ(listed.at("items")[1].at("stage"), "check");
  // The case's events name them.
  const json shown = json_of(get_as(port(), "/api/v1/cases/" + handling));
  EXPECT_NE(shown.dump().find(check_id), std::string::npos);
}

TEST_F(AttachmentsApiTest, CaseUploadsFollowTheStateTheRoleAndTheScope) {
  const std::string handling = handling_case();
  const std::string photo = encoded_image(200, 200, ".jpg");
  const long long before = attachments();
  // The officer does not complete; a registered case takes no photo; another street's case is
  // not found.
  EXPECT_TRUE(is_problem(upload_to(handling, photo, "officer"), 403));
  EXPECT_TRUE(is_problem(upload_to(create_registered_case(port()), photo, "officer"), 409));
  const std::string elsewhere = verifying_case(other_demo_place(port()));
  EXPECT_TRUE(is_problem(upload_to(elsewhere, photo, "officer"), 404));
  EXPECT_TRUE(
      is_problem(get_as(port(), "/api/v1/cases/" + elsewhere + "/attachments", "officer"), 404));
  EXPECT_TRUE(is_problem(upload_to("150203-20990101-9999", photo, "unit"), 404));
  // An integration files links, not uploads.
  EXPECT_TRUE(is_problem(upload(photo, "integration"), 403));
  EXPECT_EQ(attachments(), before);
}

TEST_F(AttachmentsApiTest, AnUploadIsNamedOnlyByItsUploaderAndOnlyForOneCase) {
  const std::string id = uploaded_id(upload(encoded_image(120, 90, ".jpg"), "operator"));
  json body = case_intake_body("patrol");
  body["photos"] = json::array({id});
  const HttpResponse foreign = post_case(port(), body, "officer");
  EXPECT_TRUE(is_problem(foreign, 422));
  EXPECT_EQ(error_fields(foreign), std::vector<std::string>{"photos[0]"});

  const std::string mine = uploaded_id(upload(encoded_image(121, 90, ".jpg"), "officer"));
  body["photos"] = json::array({mine});
  ASSERT_EQ(post_case(port(), body, "officer").status, 201U);
  const HttpResponse again = post_case(port(), body, "officer");
  EXPECT_TRUE(is_problem(again, 422));
  body["photos"] = json::array({"not a photo"});
  EXPECT_TRUE(is_problem(post_case(port(), body, "officer"), 422));
}

TEST_F(AttachmentsApiTest, AFormUploadTakesItsOneFile) {
  const std::string photo = encoded_image(400, 300, ".jpg");
  const std::string body =
      "--b0undary\r\nContent-Disposition: form-data; name=\"note\"\r\n\r\n门口\r\n"
      "--b0undary\r\nContent-Disposition: form-data; name=\"photo\"; filename=\"a.jpg\"\r\n"
      "Content-Type: image/jpeg\r\n\r\n" +
      photo + "\r\n--b0undary--\r\n";
  const HttpResponse uploaded = upload(body, "officer", "multipart/form-data; boundary=b0undary");
  uploaded_id(uploaded);
  EXPECT_EQ(json_of(uploaded).at("width"), 400);
  const long long rows = attachments();
  EXPECT_TRUE(is_problem(
      upload("--b0undary--\r\n", "officer", "multipart/form-data; boundary=b0undary"), 400));
  EXPECT_TRUE(is_problem(upload(body, "officer", "multipart/form-data"), 400));
  EXPECT_EQ(attachments(), rows);
}

TEST_F(AttachmentsApiTest, TheSameBytesAreStoredOnce) {
  const std::string photo = encoded_image(333, 222, ".jpg");
  const HttpResponse first = upload(photo);
  const long long stored = images();
  const HttpResponse second = upload(photo);
  ASSERT_EQ(second.status, 201U) << second.body;
  EXPECT_NE(json_of(first).at("id"), json_of(second).at("id"));
  EXPECT_EQ(json_of(first).at("sha256"), json_of(second).at("sha256"));
  EXPECT_EQ(images(), stored);
}

TEST_F(AttachmentsApiTest, HostileUploadsAreRefusedAndStoreNothing) {
  const long long rows = attachments();
  const long long stored = images();
  const std::string jpeg = encoded_image(64, 64, ".jpg");
  // A type that is no image; a renamed text file; nothing at all.
  EXPECT_TRUE(is_problem(upload(jpeg, "officer", "application/json"), 415));
  EXPECT_TRUE(is_problem(upload("this is a letter, not a photo", "officer"), 415));
  EXPECT_TRUE(is_problem(upload("GIF89a\x01\x00\x01\x00", "officer", "image/gif"), 415));
  EXPECT_TRUE(is_problem(upload("", "officer"), 400));
  // Truncated: the header reads, the pixels do not.
  const std::string big = encoded_image(800, 800, ".jpg");
  EXPECT_TRUE(is_problem(upload(big.substr(0, big.size() / 2)), 422));
  // A decompression bomb: a small file whose header claims 65000 × 65000 pixels.
  std::string bomb = jpeg;
  const std::size_t frame = bomb.find("\xFF\xC0");
  ASSERT_NE(frame, std::string::npos);
  bomb.replace(frame + 5, 4, big_endian(65000, 2) + big_endian(65000, 2));
  EXPECT_TRUE(is_problem(upload(bomb), 413));
  // A 100 kB metadata block (EXIF and XMP segments).
  const std::string exif = std::string("Exif\0\0", 6) + "MM" + big_endian(42, 2) +
                           big_endian(8, 4) + big_endian(0, 2) + big_endian(0, 4) +
                           std::string(60000, 'x');
  const std::string xmp =
      std::string("http://ns.adobe.com/xap/1.0/\0", 29) + std::string(50000, 'y');
  EXPECT_TRUE(is_problem(upload(with_segments(jpeg, app1(exif) + app1(xmp))), 422));
  // Over the body limit (16 MiB): refused from its Content-Length, before a byte of it is read.
  HttpConnection connection{port()};
  connection.send_raw(
      "POST /api/v1/attachments HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " +
      demo_token("officer") + "\r\nContent-Type: image/jpeg\r\nContent-Length: 17825792\r\n\r\n");
  EXPECT_TRUE(is_problem(connection.read_response(), 413));
  // Without a token: 401 before the body is read.
  EXPECT_TRUE(is_problem(
      http_request(port(), "POST", "/api/v1/attachments", jpeg, {{"Content-Type", "image/jpeg"}}),
      401));
  EXPECT_EQ(attachments(), rows);
  EXPECT_EQ(images(), stored);
}

// A server of its own with one processing place: of four large photos sent at once, the ones
// that find it taken are refused at once with 503 and Retry-After, the others stored.
TEST(AttachmentsQueueTest, UploadsBeyondTheProcessingQueueAre503WithRetryAfter) {
  const std::string config = ::testing::TempDir() + "attachments_queue.json";
  std::ofstream{config} << R"({"attachments": {"processing_threads": 1,
                                               "processing_queue_limit": 1}})";
  const ServerProcess server{e2e_database_url(), {}, std::chrono::seconds{60}, config};
  std::remove(config.c_str());
  const std::string photo = encoded_image(3000, 2000, ".jpg");
  std::vector<HttpResponse> answers(4);
  std::vector<std::thread> clients;
  for (std::size_t i = 0; i < answers.size(); ++i) {
    clients.emplace_back([&, i] {
      answers[i] = http_request(server.port(), "POST", "/api/v1/attachments",
                                photo + "queue-" + unique_token("q") + std::to_string(i),
                                image_headers("officer"));
    });
  }
  for (std::thread& client : clients) client.join();
  int stored = 0;
  int refused = 0;
  for (const HttpResponse& answer : answers) {
    if (answer.status == 201) ++stored;
    if (is_problem(answer, 503)) {
      ++refused;
      EXPECT_EQ(answer.header("Retry-After"), "1");
    }
  }
  EXPECT_GE(stored, 1);
  EXPECT_GE(refused, 1);
  EXPECT_EQ(stored + refused, 4);
}

// A server of its own with a read timeout of one second: an upload whose body, or a request
// whose header, has not all arrived a second after its first byte is answered 408 and the
// connection closed; nothing is stored (issue 15, "a slow upload").
TEST(AttachmentsSlowUploadTest, AnUploadThatDoesNotArriveInTimeIs408AndStoresNothing) {
  const std::string config = ::testing::TempDir() + "attachments_slow.json";
  std::ofstream{config} << R"({"http": {"read_timeout_seconds": 1}})";
  const ServerProcess server{e2e_database_url(), {}, std::chrono::seconds{60}, config};
  std::remove(config.c_str());
  const long long rows = e2e_rows("attachments");
  const std::string photo = encoded_image(640, 480, ".jpg");

  HttpConnection slow_body{server.port()};
  slow_body.send_raw(
      "POST /api/v1/attachments HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " +
      demo_token("officer") + "\r\nContent-Type: image/jpeg\r\nContent-Length: " +
      std::to_string(photo.size()) + "\r\n\r\n" + photo.substr(0, 1000));
  std::this_thread::sleep_for(std::chrono::milliseconds{1500});  // the rest never comes in time
  const HttpResponse body_answer = slow_body.read_response();
  EXPECT_TRUE(is_problem(body_answer, 408)) << body_answer.body;
  EXPECT_TRUE(slow_body.closed_by_peer());

  HttpConnection slow_header{server.port()};
  slow_header.send_raw("POST /api/v1/attachments HTTP/1.1\r\nHost: 127.0.0.1\r\n");
  std::this_thread::sleep_for(std::chrono::milliseconds{1500});
  const HttpResponse header_answer = slow_header.read_response();
  EXPECT_TRUE(is_problem(header_answer, 408)) << header_answer.body;
  EXPECT_TRUE(slow_header.closed_by_peer());

  EXPECT_EQ(e2e_rows("attachments"), rows);
  const HttpResponse in_time =
      http_request(server.port(), "POST", "/api/v1/attachments", photo + unique_token("in-time"),
                   image_headers("officer"));
  EXPECT_EQ(in_time.status, 201U) << "a whole upload within the second is stored: " << in_time.body;
}

}  // namespace
}  // namespace gridcase::testing
