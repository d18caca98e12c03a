// Unicode and control characters in every text field (issue 6, hostile HTTP): intake, case
// actions, accounts and tokens, query strings and path segments, headers, grid and catalogue
// imports. Valid Unicode (CJK, emoji, combining marks) round-trips byte for byte; control
// characters where a field forbids them, U+0000 anywhere and text that is not UTF-8 are a 4xx
// problem naming the field, and nothing changes. Oversized bodies, deep JSON and smuggling are
// in http_limits_test.cpp; the other refusals of each route in *_bad_input_test.cpp.
#include <gtest/gtest.h>

#include <fstream>
#include <map>
#include <sstream>

#include "support/case_http.hpp"
#include "support/demo_server.hpp"
#include "support/server_process.hpp"
#include "support/test_database.hpp"

namespace gridcase::testing {
namespace {

using nlohmann::json;

/// CJK, an emoji, a combining acute accent (e + U+0301), a CJK extension B character and a
/// ZWJ emoji sequence: every width of UTF-8 and code points that only mean something together.
const std::string kUnicode =
    "路口 \xF0\x9F\x9A\xA7 cafe\xCC\x81 \xF0\xA0\x80\x8B "
    "\xF0\x9F\x91\xA9\xE2\x80\x8D\xF0\x9F\x9A\x92";

/// Control characters no text field accepts: NUL, BEL, ESC, DEL and two C1 controls (NEL, CSI).
const std::vector<std::string> kControls = {std::string("a\0b", 3),
                                            "a\x07"
                                            "b",
                                            "a\x1b[31mb",
                                            "a\x7f"
                                            "b",
                                            "a\xC2\x85"
                                            "b",
                                            "a\xC2\x9B"
                                            "b"};
/// Line breaks and tabs: free text (a description, a note) takes them, a name or label does not.
const std::vector<std::string> kLineBreaks = {"a\nb", "a\r\nb", "a\tb"};

/// Percent-encoded query values that are not UTF-8 text: a lone byte, a broken sequence, an
/// overlong '/', a UTF-16 surrogate, and U+0000.
const std::vector<std::string> kBadQueryValues = {"%FF", "%C3%28", "%C0%AF", "%ED%A0%80", "abc%00"};

std::string percent_encode(std::string_view text) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (const char ch : text) {
    const auto byte = static_cast<unsigned char>(ch);
    if (std::isalnum(byte) != 0 || ch == '-' || ch == '_' || ch == '.') {
      out.push_back(ch);
    } else {
      out += {'%', kHex[byte >> 4], kHex[byte & 15]};
    }
  }
  return out;
}

/// Sets `path` ("letter.subject") in `body`.
void set_path(json& body, const std::string& path, const std::string& value) {
  const std::size_t dot = path.find('.');
  if (dot == std::string::npos) {
    body[path] = value;
  } else {
    body[path.substr(0, dot)][path.substr(dot + 1)] = value;
  }
}

/// A problem of `status` whose errors name `field`.
::testing::AssertionResult refused_naming(const HttpResponse& response, unsigned status,
                                          const std::string& field) {
  ::testing::AssertionResult problem = is_problem(response, status);
  if (!problem) return problem << " (field " << field << ")";
  const std::vector<std::string> fields = error_fields(response);
  if (std::find(fields.begin(), fields.end(), field) == fields.end()) {
    return ::testing::AssertionFailure()
           << "the problem does not name " << field << ": " << response.body;
  }
  return ::testing::AssertionSuccess();
}

struct TextField {
  const char* channel;
  std::string path;
};

/// Every text field of an intake, with a channel that reads it.
const std::vector<TextField> kIntakeFields = {
    {"web", "description"},
    {"web", "address"},
    {"web", "reporter.name"},
    {"hotline_12345", "call.operator"},
    {"patrol", "officer"},
    {"mayor_mailbox", "letter.subject"},
    {"mayor_mailbox", "letter.body"},
};

json intake_of(const char* channel) {
  json body = case_intake_body(channel);
  if (std::string_view(channel) == "mayor_mailbox")
    body["letter"] = {{"subject", "s"}, {"body", "b"}};
  if (std::string_view(channel) == "patrol") body["officer"] = "KDL0133";
  return body;
}

/// `path` in a case document: the intake's fields sit under `intake`.
json at_path(const json& document, const std::string& path) {
  if (path == "call.operator") return document.at("intake").at("call").at("operator");
  if (path == "officer") return document.at("intake").at("officer");
  if (path.starts_with("letter.")) return document.at("intake").at("letter").at(path.substr(7));
  if (path == "reporter.name") return document.at("reporter").at("name");
  return document.at(path);
}

class TextFieldsTest : public DemoServerTest {
 protected:
  static long long cases() { return e2e_rows("cases"); }
};

TEST_F(TextFieldsTest, UnicodeInEveryIntakeTextFieldRoundTripsExactly) {
  for (const TextField& field : kIntakeFields) {
    json body = intake_of(field.channel);
    set_path(body, field.path, kUnicode + " " + field.path);

    const HttpResponse created = post_case(port(), body);

    if (field.path == "officer") {  // a reference to an officer, not free text
      EXPECT_TRUE(refused_naming(created, 422, "officer")) << "no officer has this code";
      continue;
    }
    ASSERT_EQ(created.status, 201U) << field.path << ": " << created.body;
    EXPECT_EQ(at_path(json_of(created), field.path), kUnicode + " " + field.path);
    const json stored = json_of(get_as(
        port(), "/api/v1/cases/" + json_of(created).at("case_no").get<std::string>(), "operator"));
    EXPECT_EQ(at_path(stored, field.path), kUnicode + " " + field.path) << "as stored";
  }
}

TEST_F(TextFieldsTest, ControlCharactersInEveryIntakeTextFieldAre422NamingItAndWriteNothing) {
  const long long before = cases();

  for (const TextField& field : kIntakeFields) {
    for (const std::string& control : kControls) {
      json body = intake_of(field.channel);
      set_path(body, field.path, control);

      EXPECT_TRUE(refused_naming(post_case(port(), body), 422, field.path)) << json(control).dump();
    }
  }

  EXPECT_EQ(cases(), before);
}

TEST_F(TextFieldsTest, FreeTextTakesLineBreaksAndTabs) {
  json body = intake_of("mayor_mailbox");
  body["description"] = "第一行\n第二行\r\n\t缩进";
  body["letter"]["body"] = "尊敬的市长：\n\t你好。";

  const HttpResponse created = post_case(port(), body);

  ASSERT_EQ(created.status, 201U) << created.body;
  EXPECT_EQ(json_of(created).at("description"), "第一行\n第二行\r\n\t缩进");
}

TEST_F(TextFieldsTest, NulInAnIdentifierOrEnumerationIs422AndWritesNothing) {
  const long long before = cases();
  // Cut at the NUL, each of these would be a valid value.
  const std::vector<std::pair<std::string, std::string>> fields = {
      {"channel", "web"}, {"category", "event:0101"}, {"reporter.phone", "13812345678"}};

  for (const auto& [path, valid] : fields) {
    json body = intake_of("web");
    set_path(body, path, valid + std::string(1, '\0') + "x");
    EXPECT_TRUE(refused_naming(post_case(port(), body), 422, path));
  }
  json photos = intake_of("web");
  photos["photos"] = {std::string("https://example.org/a.jpg\0x", 27)};
  EXPECT_TRUE(refused_naming(post_case(port(), photos), 422, "photos[0]"));

  EXPECT_EQ(cases(), before);
}

TEST_F(TextFieldsTest, ActionTextRoundTripsUnicodeAndRefusesControlCharactersChangingNothing) {
  const std::string case_no = create_registered_case(port());
  const std::string path = "/api/v1/cases/" + case_no;
  const json registered = json_of(get_as(port(), path, "dispatcher"));

  // Every action parameter that is text, each in an action the role may take now.
  struct Attempt {
    const char* action;
    const char* role;
    json valid;
    std::string field;
  };
  const std::vector<Attempt> attempts = {
      {"dispatch", "dispatcher", {{"unit", "150203004-enforcement"}}, "assignee"},
      {"dispatch", "dispatcher", {{"unit", "150203004-enforcement"}}, "note"},
      {"reject", "shift_leader", json::object(), "reason"},
  };
  for (const Attempt& attempt : attempts) {
    for (const std::string& control : kControls) {
      json body = attempt.valid;
      body[attempt.field] = control;
      EXPECT_TRUE(refused_naming(post_action(port(), case_no, attempt.action, body, attempt.role),
                                 422, attempt.field))
          << attempt.action << " " << json(control).dump();
    }
  }
  // U+0000 in a parameter that names something: cut short it would name a real unit, condition
  // or case.
  const std::string nul_x = std::string(1, '\0') + "x";
  EXPECT_TRUE(refused_naming(post_action(port(), case_no, "dispatch",
                                         {{"unit", "150203004-enforcement" + nul_x}}, "dispatcher"),
                             422, "unit"));
  EXPECT_TRUE(refused_naming(
      post_action(port(), case_no, "register",
                  {{"category", "event:0101"}, {"condition", "stop" + nul_x}}, "shift_leader"),
      422, "condition"));
  EXPECT_TRUE(refused_naming(
      post_action(port(), case_no, "merge", {{"into", case_no + nul_x}}, "shift_leader"), 422,
      "into"));
  EXPECT_TRUE(
      refused_naming(post_action(port(), case_no, "reject",
                                 {{"reason", "x"}, {"attachments", {nul_x}}}, "shift_leader"),
                     422, "attachments[0]"));

  const json unchanged = json_of(get_as(port(), path, "dispatcher"));
  EXPECT_EQ(unchanged.at("version"), registered.at("version"));
  EXPECT_EQ(unchanged.at("status"), "registered");
  EXPECT_EQ(unchanged.at("events").size(), registered.at("events").size());

  const HttpResponse dispatched = post_action(port(), case_no, "dispatch",
                                              {{"unit", "150203004-enforcement"},
                                               {"assignee", "unit"},
                                               {"note", kUnicode + "\n" + kUnicode}},
                                              "dispatcher");
  ASSERT_EQ(dispatched.status, 200U) << dispatched.body;
  const json stored = json_of(get_as(port(), path, "dispatcher"));
  EXPECT_EQ(stored.at("assignee"), "unit");  // an assignee is a username of the unit's staff
  EXPECT_EQ(stored.at("events").back().at("note"), kUnicode + "\n" + kUnicode);
}

TEST_F(TextFieldsTest, DisplayNamesAndTokenLabelsRoundTripUnicodeAndRefuseControlCharacters) {
  const HttpHeaders admin = case_headers("admin");
  const std::string person = unique_token("e2e-text");
  const std::string integration = unique_token("e2e-text-int");

  std::vector<std::string> one_line_refusals = kControls;
  one_line_refusals.insert(one_line_refusals.end(), kLineBreaks.begin(), kLineBreaks.end());
  for (const std::string& control : one_line_refusals) {
    const HttpResponse refused = http_request(port(), "POST", "/api/v1/users",
                                              json{{"username", person},
                                                   {"display_name", control},
                                                   {"roles", {"dispatcher"}},
                                                   {"scope", "district"},
                                                   {"password", "长城 correct horse 42"}}
                                                  .dump(),
                                              admin);
    EXPECT_TRUE(refused_naming(refused, 422, "display_name")) << json(control).dump();
  }
  EXPECT_TRUE(is_problem(get("/api/v1/users/" + person), 404)) << "nothing was created";
  EXPECT_TRUE(refused_naming(http_request(port(), "POST", "/api/v1/users",
                                          json{{"username", "用户" + person},
                                               {"display_name", "x"},
                                               {"roles", {"dispatcher"}},
                                               {"scope", "district"},
                                               {"password", "长城 correct horse 42"}}
                                              .dump(),
                                          admin),
                             422, "username"));

  const HttpResponse created = http_request(port(), "POST", "/api/v1/users",
                                            json{{"username", integration},
                                                 {"display_name", kUnicode},
                                                 {"roles", {"integration"}},
                                                 {"channels", {"web"}}}
                                                .dump(),
                                            admin);
  ASSERT_EQ(created.status, 201U) << created.body;
  EXPECT_EQ(json_of(get("/api/v1/users/" + integration)).at("display_name"), kUnicode);
  const std::string tokens = "/api/v1/users/" + integration + "/tokens";
  for (const std::string& control : one_line_refusals) {
    EXPECT_TRUE(refused_naming(
        http_request(port(), "POST", tokens, json{{"label", control}}.dump(), admin), 422, "label"))
        << json(control).dump();
  }
  ASSERT_EQ(http_request(port(), "POST", tokens, json{{"label", kUnicode}}.dump(), admin).status,
            201U);
  const json listed = json_of(get(tokens));
  ASSERT_EQ(listed.at("items").size(), 1U) << "only the valid label made a token";
  EXPECT_EQ(listed.at("items").at(0).at("label"), kUnicode);
}

TEST_F(TextFieldsTest, SigningInWithANulInTheUsernameIsAProblemNotASession) {
  const HttpResponse response = http_request(
      port(), "POST", "/api/v1/sessions",
      json{{"username", std::string("admin\0", 6)}, {"password", "whatever it is"}}.dump(),
      {{"Content-Type", "application/json"}});

  EXPECT_TRUE(refused_naming(response, 422, "username"));
}

TEST_F(TextFieldsTest, UnicodeSearchFindsTheCaseAndTextThatIsNotUtf8Is400NamingTheParameter) {
  const std::string marker = unique_token("标记") + kUnicode;
  json body = intake_of("web");
  body["description"] = "描述 " + marker;
  const std::string case_no = create_case(port(), body);

  const json found = json_of(get_as(port(), "/api/v1/cases?q=" + percent_encode(marker)));

  ASSERT_EQ(found.at("items").size(), 1U) << found.dump();
  EXPECT_EQ(found.at("items").at(0).at("case_no"), case_no);
  for (const char* name :
       {"q", "grid", "status", "channel", "category", "unit", "officer", "from", "to", "cursor"}) {
    for (const std::string& value : kBadQueryValues) {
      EXPECT_TRUE(refused_naming(get_as(port(), std::string("/api/v1/cases?") + name + "=" + value),
                                 400, name))
          << name << "=" << value;
    }
  }
  const std::vector<std::string> other_routes = {
      "/api/v1/grid/locate?lon=109.83&lat=", "/api/v1/officers?grid=",
      "/api/v1/grid/150203004/cells?cursor=", "/api/v1/reports?date=2026-11-30&grid=",
      "/api/v1/units?x="};
  for (const std::string& target : other_routes) {
    EXPECT_TRUE(is_problem(get(target + "%FF"), 400)) << target;
    EXPECT_TRUE(is_problem(get(target + "%00"), 400)) << target;
  }
  EXPECT_TRUE(refused_naming(get("/api/v1/cases?%FF=1"), 400, "query"));
}

TEST_F(TextFieldsTest, PathSegmentsThatAreNotUtf8TextAre404) {
  for (const char* target : {"/api/v1/cases/%FF", "/api/v1/cases/%00", "/api/v1/users/%C3%28",
                             "/api/v1/users/admin%00", "/api/v1/users/admin%00/tokens",
                             "/api/v1/grid/150203%00", "/api/v1/grid/%ED%A0%80/cells"}) {
    EXPECT_TRUE(is_problem(get(target), 404)) << target;
  }
  EXPECT_TRUE(is_problem(
      post(std::string("/api/v1/cases/150203-20261130-000001%00/actions/urge"), "{}"), 404));
}

TEST_F(TextFieldsTest, HeadersWithUnicodeOrControlCharactersAreRefused) {
  const long long before = cases();
  const std::string body = intake_of("web").dump();

  const HttpResponse key =
      post_case(port(), intake_of("web"), "operator", {{"Idempotency-Key", "键-" + kUnicode}});
  const HttpResponse token =
      http_request(port(), "GET", "/api/v1/cases", {}, {{"Authorization", "Bearer 令牌"}});
  HttpConnection raw{port()};
  raw.send_raw(
      "POST /api/v1/cases HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
      "Authorization: Bearer " +
      demo_token("operator") +
      "\r\nIdempotency-Key: a\x01"
      "b\r\n"
      "Content-Length: " +
      std::to_string(body.size()) + "\r\n\r\n" + body);
  const HttpResponse control = raw.read_response();

  EXPECT_TRUE(refused_naming(key, 400, "Idempotency-Key"));
  EXPECT_TRUE(is_problem(token, 401));
  EXPECT_TRUE(is_problem(control, 400));
  EXPECT_TRUE(raw.closed_by_peer());
  EXPECT_EQ(cases(), before);
}

class TextFieldsImportTest : public TextFieldsTest {
 protected:
  static constexpr const char* kDistrict = "150286";  // used by no other test

  void SetUp() override {
    TextFieldsTest::SetUp();
    delete_grid_subtree(e2e_database_url(), kDistrict);
  }
  void TearDown() override { delete_grid_subtree(e2e_database_url(), kDistrict); }

  /// A district with one street, community and cell, far from every other grid; `name` is the
  /// district's.
  static json grid(const std::string& name) {
    const json square = {
        {"type", "Polygon"},
        {"coordinates",
         {{{101.0, 31.0}, {101.01, 31.0}, {101.01, 31.01}, {101.0, 31.01}, {101.0, 31.0}}}}};
    auto feature = [&](const std::string& code, const char* level,
                       const std::string& feature_name) {
      json properties = {{"code", code}, {"name", feature_name}, {"level", level}};
      if (code.size() > 6) properties["parent_code"] = code.substr(0, code.size() - 3);
      return json{{"type", "Feature"}, {"properties", properties}, {"geometry", square}};
    };
    const std::string district = kDistrict;
    return {{"type", "FeatureCollection"},
            {"features",
             {feature(district, "district", name), feature(district + "001", "street", "街道"),
              feature(district + "001001", "community", "社区"),
              feature(district + "001001001", "cell", "单元格")}}};
  }
};

TEST_F(TextFieldsImportTest, GridNamesRoundTripUnicodeAndRefuseControlCharacters) {
  std::vector<std::string> refusals = kControls;
  refusals.insert(refusals.end(), kLineBreaks.begin(), kLineBreaks.end());
  for (const std::string& control : refusals) {
    EXPECT_TRUE(refused_naming(post("/api/v1/grid/import", grid(control).dump()), 422,
                               "features[0].properties.name"))
        << json(control).dump();
  }
  EXPECT_TRUE(is_problem(get(std::string("/api/v1/grid/") + kDistrict), 404))
      << "nothing was imported";

  ASSERT_EQ(post("/api/v1/grid/import", grid(kUnicode).dump()).status, 201U);

  EXPECT_EQ(json_of(get(std::string("/api/v1/grid/") + kDistrict)).at("name"), kUnicode);
}

TEST_F(TextFieldsImportTest, ACatalogueWithControlCharactersIsRefusedAndTheCatalogueStays) {
  std::ifstream file{std::string(GRIDCASE_SOURCE_DIR) + "/data/categories.json"};
  std::stringstream text;
  text << file.rdbuf();
  const json catalogue = json::parse(text.str());
  const std::string before = get("/api/v1/categories").body;
  struct Change {
    std::string field;
    std::string control;
  };
  const std::vector<Change> changes = {
      {"categories[0].name",
       "a\x07"
       "b"},
      {"categories[0].name", "a\nb"},
      {"categories[0].name",
       "a\xC2\x85"
       "b"},
      {"categories[0].conditions[0].text", "a\x1b[31mb"},
      {"categories[0].conditions[0].close_when",
       "a\x7f"
       "b"},
      {"categories[0].conditions[0].id", std::string("missing\0", 8)}};

  for (const Change& change : changes) {
    json changed = catalogue;
    if (change.field == "categories[0].name") changed["categories"][0]["name"] = change.control;
    if (change.field == "categories[0].conditions[0].text")
      changed["categories"][0]["conditions"][0]["text"] = change.control;
    if (change.field == "categories[0].conditions[0].close_when")
      changed["categories"][0]["conditions"][0]["close_when"] = change.control;
    if (change.field == "categories[0].conditions[0].id")
      changed["categories"][0]["conditions"][0]["id"] = change.control;
    const HttpResponse response =
        http_request(port(), "PUT", "/api/v1/categories", changed.dump(), case_headers("admin"));
    EXPECT_TRUE(refused_naming(response, 422, change.field)) << json(change.control).dump();
  }

  EXPECT_EQ(get("/api/v1/categories").body, before);
}

long resident_kib(pid_t pid) {
  std::ifstream status{"/proc/" + std::to_string(pid) + "/status"};
  std::string line;
  while (std::getline(status, line)) {
    if (line.starts_with("VmRSS:")) return std::stol(line.substr(6));
  }
  return -1;
}

TEST(TextFieldsMemoryTest, ThousandsOfRefusedRequestsLeaveTheServersMemoryFlat) {
  // AddressSanitizer holds freed memory in a quarantine (256 MB by default) before reusing it;
  // a small one lets the server reach its steady state during the warm-up.
  ServerProcess server{e2e_database_url(), {{"ASAN_OPTIONS", "quarantine_size_mb=4"}}};
  HttpConnection connection{server.port()};
  const HttpHeaders headers = case_headers("operator");
  json big = intake_of("web");
  big["description"] = std::string(60 * 1024, 'x') + std::string(1, '\0');
  json control = intake_of("web");
  control["description"] = kUnicode + "\x1b[2J";
  const std::string big_body = big.dump();
  const std::string control_body = control.dump();
  std::map<unsigned, int> statuses;
  auto hammer = [&](int requests) {
    for (int i = 0; i < requests; ++i) {
      HttpResponse response;
      switch (i % 4) {
        case 0:
          response = connection.request("POST", "/api/v1/cases", big_body, headers);
          break;
        case 1:
          response =
              connection.request("GET", "/api/v1/cases?q=%FF" + std::to_string(i), {}, headers);
          break;
        case 2:
          response = connection.request("POST", "/api/v1/cases", control_body, headers);
          break;
        default:
          response =
              connection.request("GET", "/api/v1/cases/%C3%28" + std::to_string(i), {}, headers);
          break;
      }
      ++statuses[response.status];
    }
  };

  hammer(1000);
  const long warm = resident_kib(server.pid());
  hammer(3000);
  const long after = resident_kib(server.pid());

  EXPECT_EQ(statuses, (std::map<unsigned, int>{{400, 1000}, {404, 1000}, {422, 2000}}));
  EXPECT_LT(after - warm, 16 * 1024) << "RSS " << warm << " kB after the warm-up, " << after
                                     << " kB after 3,000 more (≈ 45 MB of refused bodies)";
  std::printf("[ memory   ] RSS %ld kB after 1,000 refused requests, %ld kB after 3,000 more\n",
              warm, after);
}

}  // namespace
}  // namespace gridcase::testing
