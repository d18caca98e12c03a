#include "case_http.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <atomic>
#include <map>
#include <mutex>
#include <optional>
#include <pqxx/pqxx>
#include <random>

#include "test_database.hpp"
#include "test_images.hpp"

namespace gridcase::testing {

using nlohmann::json;

DemoPlace other_demo_place(unsigned short port) {
  // A point a few streets away from the README point; its codes are read back from the server.
  static std::string cell;
  static std::string street;
  constexpr double kLon = 109.79;
  constexpr double kLat = 40.62;
  if (cell.empty()) {
    const HttpResponse response = get_as(
        port, "/api/v1/grid/locate?lon=" + std::to_string(kLon) + "&lat=" + std::to_string(kLat));
    const json found = json::parse(response.body, nullptr, false);
    if (response.status != 200 || found.is_discarded()) {
      ADD_FAILURE() << "cannot locate the second demo place: " << response.status << " "
                    << response.body;
      return kDemoPlace;
    }
    cell = found.at("cell").at("code").get<std::string>();
    street = found.at("street").at("code").get<std::string>();
  }
  return DemoPlace{kLon, kLat, cell.c_str(), street.c_str()};
}

std::string demo_token(std::string_view username) {
  static std::mutex mutex;
  static std::map<std::string, std::string, std::less<>> tokens;
  std::lock_guard lock{mutex};
  if (auto found = tokens.find(username); found != tokens.end()) return found->second;
  std::random_device random;
  std::string token = "gct_";
  static constexpr char kHex[] = "0123456789abcdef";
  for (int i = 0; i < 64; ++i) token += kHex[random() % 16];
  pqxx::connection connection{e2e_database_url()};
  pqxx::work tx{connection};
  const pqxx::result rows = tx.exec_params(
      "INSERT INTO auth_tokens (user_id, kind, label, digest, expires_at) "
      "SELECT id, 'session', 'e2e', sha256(convert_to($1, 'UTF8')), now() + interval '1 day' "
      "FROM users WHERE username = $2 RETURNING id",
      token, std::string(username));
  tx.commit();
  if (rows.empty()) {
    ADD_FAILURE() << "no demo account " << username << ": was the e2e database seeded (seed-demo)?";
  }
  tokens.emplace(std::string(username), token);
  return token;
}

std::string scoped_account(std::string_view username, std::string_view role,
                           std::string_view scope) {
  const std::size_t colon = scope.find(':');
  const std::string kind{scope.substr(0, colon)};
  const std::optional<std::string> code = colon == std::string_view::npos
                                              ? std::nullopt
                                              : std::optional<std::string>(scope.substr(colon + 1));
  pqxx::connection connection{e2e_database_url()};
  pqxx::work tx{connection};
  tx.exec_params0(
      "INSERT INTO users (username, display_name, roles, scope_kind, scope_code) "
      "VALUES ($1, $1, ARRAY[$2], $3, $4) ON CONFLICT (username) DO UPDATE SET "
      "roles = EXCLUDED.roles, scope_kind = EXCLUDED.scope_kind, "
      "scope_code = EXCLUDED.scope_code, active = true",
      std::string(username), std::string(role), kind, code ? code->c_str() : nullptr);
  tx.commit();
  return std::string(username);
}

HttpHeaders auth_headers(std::string_view role) {
  return HttpHeaders{{"Authorization", "Bearer " + demo_token(role)}};
}

HttpHeaders case_headers(std::string_view role, const HttpHeaders& extra) {
  HttpHeaders headers = auth_headers(role);
  headers.emplace_back("Content-Type", "application/json");
  headers.insert(headers.end(), extra.begin(), extra.end());
  return headers;
}

json case_intake_body(std::string_view channel, double lon, double lat) {
  json body{{"channel", std::string(channel)},
            {"description", "路边占道经营 a road-occupying stall (" + std::string(channel) + ")"},
            {"lon", lon},
            {"lat", lat},
            {"category", "event:0101"}};
  if (channel != "patrol" && channel != "video") {
    body["reporter"] = {{"name", "张三"}, {"phone", "13812345678"}};
  }
  if (channel == "hotline_12319" || channel == "hotline_12345" || channel == "mayor_hotline") {
    body["call"] = {{"started_at", "2026-01-05T01:00:00Z"},
                    {"ended_at", "2026-01-05T01:03:00Z"},
                    {"operator", "op-07"}};
  }
  if (channel == "patrol") {
    // No `officer`: an officer account's own report is theirs (a dispatcher would name one).
    body["photos"] = json::array({kPhotoToUpload});
  }
  if (channel == "mayor_mailbox")
    body["letter"] = {{"subject", "来信"}, {"body", "门口有人摆摊。"}};
  return body;
}

namespace {

/// `body` with each kPhotoToUpload of its `field` replaced as kPhotoToUpload says.
json with_uploads(unsigned short port, json body, const char* field, std::string_view role,
                  std::string_view case_no) {
  if (!body.is_object() || !body.contains(field) || !body.at(field).is_array()) return body;
  static const std::string photo = encoded_image(64, 48, ".jpg");
  HttpHeaders headers = auth_headers(role);
  headers.emplace_back("Content-Type", "image/jpeg");
  for (json& entry : body.at(field)) {
    if (entry != kPhotoToUpload) continue;
    HttpResponse uploaded = http_request(port, "POST", "/api/v1/attachments", photo, headers);
    if (uploaded.status == 403 && !case_no.empty()) {
      uploaded = http_request(
          port, "POST", "/api/v1/cases/" + std::string(case_no) + "/attachments", photo, headers);
    }
    const json answer = json::parse(uploaded.body, nullptr, false);
    if (uploaded.status == 201 && answer.is_object() && answer.contains("id")) {
      entry = answer.at("id");
    } else if (uploaded.status == 403) {
      entry = "https://photos.example.cn/e2e/1.jpg";
    } else {
      ADD_FAILURE() << "the photo's upload answered " << uploaded.status << ": " << uploaded.body;
    }
  }
  return body;
}

}  // namespace

HttpResponse post_case(unsigned short port, const json& body, std::string_view role,
                       const HttpHeaders& extra) {
  return http_request(port, "POST", "/api/v1/cases",
                      with_uploads(port, body, "photos", role, {}).dump(),
                      case_headers(role, extra));
}

HttpResponse post_action(unsigned short port, std::string_view case_no, std::string_view action,
                         const json& body, std::string_view role, const HttpHeaders& extra) {
  const std::string target =
      "/api/v1/cases/" + std::string(case_no) + "/actions/" + std::string(action);
  return http_request(port, "POST", target,
                      with_uploads(port, body, "attachments", role, case_no).dump(),
                      case_headers(role, extra));
}

HttpResponse get_as(unsigned short port, std::string_view target, std::string_view role) {
  return http_request(port, "GET", target, {}, auth_headers(role));
}

std::string create_case(unsigned short port, const json& body) {
  const HttpResponse response = post_case(port, body);
  const json created = json::parse(response.body, nullptr, false);
  if (response.status != 201 || created.is_discarded() || !created.contains("case_no")) {
    ADD_FAILURE() << "intake answered " << response.status << ": " << response.body;
    return "";
  }
  return created.at("case_no").get<std::string>();
}

std::string create_registered_case(unsigned short port, const DemoPlace& place) {
  const std::string case_no = create_case(port, case_intake_body("web", place.lon, place.lat));
  const HttpResponse registered =
      post_action(port, case_no, "register",
                  json{{"category", "event:0101"}, {"condition", "stop"}}, "shift_leader");
  EXPECT_EQ(registered.status, 200U) << registered.body;
  return case_no;
}

long long e2e_rows(const std::string& table) {
  return std::stoll(query_scalar(e2e_database_url(), "SELECT count(*) FROM " + table));
}

std::string unique_token(std::string_view prefix) {
  static std::atomic<int> counter{0};
  return std::string(prefix) + "-" + std::to_string(::getpid()) + "-" + std::to_string(++counter);
}

std::vector<LifecycleStep> steps_to_reply(const std::string& reply_note,
                                          const std::string& dispatch_note) {
  json dispatch{{"unit", "150203004-enforcement"}};
  if (!dispatch_note.empty()) dispatch["note"] = dispatch_note;
  return {{"register", {{"category", "event:0101"}, {"condition", "stop"}}, "shift_leader"},
          {"dispatch", std::move(dispatch), "dispatcher"},
          {"acknowledge", json::object(), "unit"},
          {"complete", {{"note", "摊位已清理"}, {"attachments", {kPhotoToUpload}}}, "unit"},
          {"check", {{"result", "passed"}}, "officer"},
          {"reply", {{"note", reply_note}}, "operator"}};
}

}  // namespace gridcase::testing
