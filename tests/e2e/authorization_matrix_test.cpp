// Every route × every role × in scope / out of scope / no token / expired token / revoked token,
// from one table (docs/security.md). A route the server serves without an entry here fails.
#include <gtest/gtest.h>

#include <array>
#include <chrono>
#include <cstdio>
#include <functional>
#include <optional>
#include <pqxx/pqxx>
#include <random>
#include <set>
#include <sstream>

#include "support/case_http.hpp"
#include "support/demo_server.hpp"
#include "support/event_stream_client.hpp"
#include "support/openapi_document.hpp"
#include "support/test_database.hpp"

namespace gridcase::testing {
namespace {

/// Today in Beijing: a report of a day before the district's first case is 422 (issue 12), and
/// the end-to-end database holds this run's cases only.
std::string report_day() {
  const auto now = std::chrono::system_clock::now() + std::chrono::hours{8};
  const std::chrono::year_month_day today{std::chrono::floor<std::chrono::days>(now)};
  char text[16];
  std::snprintf(text, sizeof text, "%04d-%02u-%02u", static_cast<int>(today.year()),
                static_cast<unsigned>(today.month()), static_cast<unsigned>(today.day()));
  return text;
}

using nlohmann::json;

constexpr std::array<const char*, 8> kRoles{"operator", "shift_leader", "dispatcher",  "unit",
                                            "officer",  "supervisor",   "integration", "admin"};
using Statuses = std::array<unsigned, 8>;  // in kRoles order

constexpr Statuses all(unsigned status) {
  return {status, status, status, status, status, status, status, status};
}
constexpr Statuses admin_only(unsigned status) {
  return {403, 403, 403, 403, 403, 403, 403, status};
}
constexpr Statuses readers(unsigned status) {
  return {status, status, status, status, status, status, 403, status};
}

/// The places and cases the probes use: `here` lies in every scoped demo account's scope (the
/// supervisor's street, the unit's dispatched case, the officer's cell), `elsewhere` in none.
struct World {
  std::string here_case;       // dispatched to 150203004-enforcement, at kDemoPlace
  std::string elsewhere_case;  // dispatched to another street's enforcement squad
  std::string elsewhere_street;
  DemoPlace elsewhere;
  std::string calendar;  // the current work calendar, PUT back unchanged
  std::string officer;   // the demo officer account's officer code
};

struct Probe {
  std::string method;
  std::string target;
  std::string body;
};

struct Entry {
  std::string operation;  // as docs/openapi.yaml names it: "GET /api/v1/cases/{case_no}"
  bool is_public = false;
  std::function<Probe(const World&)> in_scope;
  Statuses in_status{};
  std::function<Probe(const World&)> out_of_scope;  // empty: the route has no scope to leave
  Statuses out_status{};
  bool stream = false;
  bool revokes_its_token = false;  // probed with a throwaway token per role
};

Probe get(std::string target) { return Probe{"GET", std::move(target), {}}; }

std::vector<Entry> table() {
  const std::string urge = "/actions/urge";
  return {
      {"GET /healthz", true, [](const World&) { return get("/healthz"); }, all(200)},
      {"GET /readyz", true, [](const World&) { return get("/readyz"); }, all(200)},
      {"GET /metrics", true, [](const World&) { return get("/metrics"); }, all(200)},
      {"GET /api/v1/openapi.yaml", true, [](const World&) { return get("/api/v1/openapi.yaml"); },
       all(200)},
      {"GET /api/v1/docs", true, [](const World&) { return get("/api/v1/docs"); }, all(200)},
      // The console's files are public; what it shows comes from the routes below.
      {"GET /", true, [](const World&) { return get("/"); }, all(200)},
      {"GET /console/{file}", true, [](const World&) { return get("/console/console.js"); },
       all(200)},
      {"GET /api/v1/docs/{file}", true, [](const World&) { return get("/api/v1/docs/docs.js"); },
       all(200)},
      // Open311 (docs/integrations.md): public; a filing's api_key is no bearer token.
      {"GET /open311/v2/discovery.{format}", true,
       [](const World&) { return get("/open311/v2/discovery.json"); }, all(200)},
      {"GET /open311/v2/services.{format}", true,
       [](const World&) { return get("/open311/v2/services.xml"); }, all(200)},
      {"GET /open311/v2/services/{service_code}.{format}", true,
       [](const World&) { return get("/open311/v2/services/event:0101.json"); }, all(200)},
      {"POST /open311/v2/requests.{format}", true,
       [](const World&) {
         return Probe{"POST", "/open311/v2/requests.json", R"({"service_code": "event:0101"})"};
       },
       all(415)},
      {"GET /open311/v2/requests.{format}", true,
       [](const World& w) {
         return get("/open311/v2/requests.json?service_request_id=" + w.here_case);
       },
       all(200)},
      {"GET /open311/v2/requests/{service_request_id}.{format}", true,
       [](const World& w) { return get("/open311/v2/requests/" + w.here_case + ".xml"); },
       all(200)},
      {"GET /open311/v2/media/{id}", true,
       [](const World&) { return get("/open311/v2/media/00000000-0000-4000-8000-000000000000"); },
       all(404)},
      {"GET /open311/v2/tokens/{token}.{format}", true,
       [](const World&) { return get("/open311/v2/tokens/00000000000000000000000000000000.json"); },
       all(404)},
      {"POST /api/v1/sessions", true,
       [](const World&) {
         return Probe{"POST", "/api/v1/sessions", R"({"username": "operator"})"};
       },
       all(400)},
      {"GET /api/v1/sessions/current", false,
       [](const World&) { return get("/api/v1/sessions/current"); }, all(200)},
      {"DELETE /api/v1/sessions/current",
       false,
       [](const World&) {
         return Probe{"DELETE", "/api/v1/sessions/current", {}};
       },
       all(204),
       {},
       {},
       false,
       true},
      {"GET /api/v1/users", false, [](const World&) { return get("/api/v1/users"); },
       admin_only(200)},
      {"POST /api/v1/users", false,
       [](const World&) {
         return Probe{"POST", "/api/v1/users",
                      R"({"username": "Not A Name", "display_name": "x", "roles": ["operator"],
                          "password": "correct horse battery"})"};
       },
       admin_only(422)},
      {"GET /api/v1/users/{username}", false,
       [](const World&) { return get("/api/v1/users/operator"); }, admin_only(200)},
      {"PATCH /api/v1/users/{username}", false,
       [](const World&) {
         return Probe{"PATCH", "/api/v1/users/integration",
                      R"({"display_name": "市民热线平台 Hotline platform"})"};
       },
       admin_only(200)},
      {"GET /api/v1/users/{username}/tokens", false,
       [](const World&) { return get("/api/v1/users/integration/tokens"); }, admin_only(200)},
      {"POST /api/v1/users/{username}/tokens", false,
       [](const World&) {
         return Probe{"POST", "/api/v1/users/integration/tokens", R"({"label": "matrix"})"};
       },
       admin_only(201)},
      {"DELETE /api/v1/users/{username}/tokens/{token_id}", false,
       [](const World&) {
         return Probe{"DELETE", "/api/v1/users/integration/tokens/999999999", {}};
       },
       admin_only(404)},
      {"GET /api/v1/admin/audit", false,
       [](const World&) { return get("/api/v1/admin/audit?limit=1"); }, admin_only(200)},
      // Webhooks (docs/integrations.md): a district-wide admin's; probes of a webhook that does
      // not exist, so nothing is registered, changed or retried.
      {"POST /api/v1/webhooks", false,
       [](const World&) {
         return Probe{"POST", "/api/v1/webhooks",
                      R"({"account": "integration", "url": "http://hooks.example.cn/",
                          "events": ["case.reply"]})"};
       },
       admin_only(422)},
      {"GET /api/v1/webhooks", false, [](const World&) { return get("/api/v1/webhooks"); },
       admin_only(200)},
      {"GET /api/v1/webhooks/{id}", false,
       [](const World&) { return get("/api/v1/webhooks/99999999"); }, admin_only(404)},
      {"PATCH /api/v1/webhooks/{id}", false,
       [](const World&) {
         return Probe{"PATCH", "/api/v1/webhooks/99999999", R"({"active": true})"};
       },
       admin_only(404)},
      {"DELETE /api/v1/webhooks/{id}", false,
       [](const World&) {
         return Probe{"DELETE", "/api/v1/webhooks/99999999", {}};
       },
       admin_only(404)},
      {"GET /api/v1/webhooks/{id}/deliveries", false,
       [](const World&) { return get("/api/v1/webhooks/99999999/deliveries"); }, admin_only(404)},
      {"POST /api/v1/webhooks/{id}/deliveries/{delivery}/retry", false,
       [](const World&) {
         return Probe{"POST", "/api/v1/webhooks/99999999/deliveries/1/retry", {}};
       },
       admin_only(404)},
      {"POST /api/v1/webhooks/{id}/retry", false,
       [](const World&) {
         return Probe{"POST", "/api/v1/webhooks/99999999/retry", {}};
       },
       admin_only(404)},
      {"GET /api/v1/grid/locate", false,
       [](const World&) { return get("/api/v1/grid/locate?lon=109.83&lat=40.65"); }, readers(200)},
      {"POST /api/v1/grid/import", false,
       [](const World&) {
         return Probe{"POST", "/api/v1/grid/import",
                      R"({"type": "FeatureCollection", "features": []})"};
       },
       admin_only(422)},
      {"GET /api/v1/grid/{code}", false, [](const World&) { return get("/api/v1/grid/150203004"); },
       readers(200)},
      {"GET /api/v1/grid/{code}/cells", false,
       [](const World&) { return get("/api/v1/grid/150203004007/cells"); }, readers(200)},
      // Counts of the cases each reader may read: another street is 404 to its supervisor.
      {"GET /api/v1/grid/{code}/map",
       false,
       [](const World&) { return get("/api/v1/grid/150203004/map"); },
       readers(200),
       [](const World& world) { return get("/api/v1/grid/" + world.elsewhere_street + "/map"); },
       {200, 200, 200, 200, 200, 404, 403, 200}},
      {"GET /api/v1/grid/{code}/counts",
       false,
       [](const World&) { return get("/api/v1/grid/150203004/counts"); },
       readers(200),
       [](const World& world) { return get("/api/v1/grid/" + world.elsewhere_street + "/counts"); },
       {200, 200, 200, 200, 200, 404, 403, 200}},
      {"GET /api/v1/officers",
       false,
       [](const World&) { return get("/api/v1/officers?grid=150203004007"); },
       readers(200),
       [](const World& world) { return get("/api/v1/officers?grid=" + world.elsewhere_street); },
       {200, 200, 200, 200, 200, 404, 403, 200}},
      {"GET /api/v1/units", false, [](const World&) { return get("/api/v1/units"); }, readers(200)},
      // District administration (docs/administration.md): writes probed with a refusal the
      // admin gets after the role check, so the matrix changes nothing.
      {"POST /api/v1/officers", false,
       [](const World&) {
         return Probe{"POST", "/api/v1/officers", R"({"code": "not a code", "name": "x"})"};
       },
       admin_only(422)},
      {"GET /api/v1/officers/{code}",
       false,
       [](const World& world) { return get("/api/v1/officers/" + world.officer); },
       {200, 200, 200, 404, 200, 404, 403, 200}},
      {"PATCH /api/v1/officers/{code}", false,
       [](const World&) {
         return Probe{"PATCH", "/api/v1/officers/no-such-officer", R"({"name": "x"})"};
       },
       admin_only(404)},
      {"POST /api/v1/duties", false,
       [](const World&) {
         return Probe{"POST", "/api/v1/duties",
                      R"({"officer": "no-such-officer", "duty": "grid_officer",
                          "cells": ["150203004007017"]})"};
       },
       admin_only(422)},
      {"POST /api/v1/duties/handover", false,
       [](const World&) {
         return Probe{"POST", "/api/v1/duties/handover",
                      R"({"to": "no-such-officer", "duty": "grid_officer",
                          "cells": ["150203004007017"]})"};
       },
       admin_only(422)},
      {"POST /api/v1/duties/{id}/end", false,
       [](const World&) {
         return Probe{"POST", "/api/v1/duties/999999999/end", "{}"};
       },
       admin_only(404)},
      {"GET /api/v1/grid/{code}/duties",
       false,
       [](const World&) { return get("/api/v1/grid/150203004007017/duties"); },
       {200, 200, 200, 404, 404, 200, 403, 200},
       [](const World& world) {
         return get("/api/v1/grid/" + std::string(world.elsewhere.cell) + "/duties");
       },
       {200, 200, 200, 404, 404, 404, 403, 200}},
      {"POST /api/v1/grid/replace", false,
       [](const World&) {
         // Refused as 422 even for the admin: a change that retires and adds nothing.
         return Probe{"POST", "/api/v1/grid/replace", R"({"type": "FeatureCollection",
                                                          "features": []})"};
       },
       admin_only(422)},
      {"POST /api/v1/grid/{code}/retire", false,
       [](const World&) {
         return Probe{"POST", "/api/v1/grid/150203004007017/retire", R"({"date": "someday"})"};
       },
       admin_only(422)},
      {"GET /api/v1/addresses", false,
       [](const World&) { return get("/api/v1/addresses?q=%E5%8F%8B%E8%B0%8A"); }, readers(200)},
      {"POST /api/v1/addresses/import", false,
       [](const World&) {
         return Probe{"POST", "/api/v1/addresses/import?mode=sideways", "{}"};
       },
       admin_only(422)},
      {"POST /api/v1/units", false,
       [](const World&) {
         return Probe{"POST", "/api/v1/units",
                      R"({"code": "not a code", "name": "x", "type": "sanitation",
                          "scope": "150203"})"};
       },
       admin_only(422)},
      {"PATCH /api/v1/units/{code}", false,
       [](const World&) {
         return Probe{"PATCH", "/api/v1/units/no-such-unit", R"({"name": "x"})"};
       },
       admin_only(404)},
      {"GET /api/v1/units/{code}/staff",
       false,
       [](const World&) { return get("/api/v1/units/150203004-enforcement/staff"); },
       {200, 200, 200, 200, 404, 200, 403, 200},
       [](const World& world) {
         return get("/api/v1/units/" + world.elsewhere_street + "-enforcement/staff");
       },
       {200, 200, 200, 404, 404, 200, 403, 200}},
      {"GET /api/v1/categories", false, [](const World&) { return get("/api/v1/categories"); },
       all(200)},
      {"PUT /api/v1/categories", false,
       [](const World&) {
         return Probe{"PUT", "/api/v1/categories",
                      R"({"categories": [{"key": "event:99", "name": "x", "conditions": []}]})"};
       },
       admin_only(422)},
      {"PUT /api/v1/categories/{key}/time-limits", false,
       [](const World&) {
         // Refused as 422 even for the admin: verification runs before a case has a category.
         return Probe{"PUT", "/api/v1/categories/event:0101/time-limits",
                      R"({"verification": {"value": 1, "unit": "work_hour"}})"};
       },
       admin_only(422)},
      {"POST /api/v1/cases",
       false,
       [](const World&) {
         return Probe{"POST", "/api/v1/cases", case_intake_body("web").dump()};
       },
       {201, 403, 403, 403, 201, 403, 201, 403},
       [](const World& world) {
         return Probe{"POST", "/api/v1/cases",
                      case_intake_body("web", world.elsewhere.lon, world.elsewhere.lat).dump()};
       },
       {201, 403, 403, 403, 422, 403, 201, 403}},
      // An integration lists the cases it submitted, and reads no other (domain.md §5).
      {"GET /api/v1/cases", false, [](const World&) { return get("/api/v1/cases"); }, all(200)},
      {"GET /api/v1/cases/{case_no}",
       false,
       [](const World& world) { return get("/api/v1/cases/" + world.here_case); },
       {200, 200, 200, 200, 200, 200, 404, 200},
       [](const World& world) { return get("/api/v1/cases/" + world.elsewhere_case); },
       {200, 200, 200, 404, 404, 404, 404, 200}},
      // Desks claim (operator first, in kRoles order: the later desks find its claim running);
      // the release entry then ends it (operator), and finds none for the others.
      {"POST /api/v1/cases/{case_no}/claim",
       false,
       [](const World& world) {
         return Probe{"POST", "/api/v1/cases/" + world.here_case + "/claim", "{}"};
       },
       {200, 409, 409, 403, 403, 403, 403, 409}},
      {"DELETE /api/v1/cases/{case_no}/claim",
       false,
       [](const World& world) {
         return Probe{"DELETE", "/api/v1/cases/" + world.here_case + "/claim", {}};
       },
       {204, 204, 204, 403, 403, 403, 403, 204}},
      {"GET /api/v1/cases/{case_no}/suggestions",
       false,
       [](const World& world) { return get("/api/v1/cases/" + world.here_case + "/suggestions"); },
       {403, 403, 200, 403, 403, 403, 403, 403},  // those who dispatch; 404 outside their scope
       [](const World& world) {
         return get("/api/v1/cases/" + world.elsewhere_case + "/suggestions");
       },
       {403, 403, 200, 404, 404, 404, 403, 403}},
      {"POST /api/v1/cases/{case_no}/actions/{action}",
       false,
       [urge](const World& world) {
         return Probe{"POST", "/api/v1/cases/" + world.here_case + urge, "{}"};
       },
       {403, 403, 200, 403, 403, 200, 404, 403},  // an integration's cases: those it submitted
       [urge](const World& world) {
         return Probe{"POST", "/api/v1/cases/" + world.elsewhere_case + urge, "{}"};
       },
       {403, 403, 200, 404, 404, 404, 404, 403}},
      // Photos (docs/attachments.md): the probe's JSON body is no image (415) once the role and
      // the case's scope and state let the caller upload.
      {"POST /api/v1/attachments",
       false,
       [](const World&) {
         return Probe{"POST", "/api/v1/attachments", "{}"};
       },
       {415, 403, 403, 403, 415, 403, 403, 403}},
      {"GET /api/v1/attachments/{id}/{size}", false,
       [](const World&) {
         return get("/api/v1/attachments/00000000-0000-4000-8000-000000000000/full");
       },
       all(404)},
      {"GET /api/v1/cases/{case_no}/attachments",
       false,
       [](const World& world) { return get("/api/v1/cases/" + world.here_case + "/attachments"); },
       {200, 200, 200, 200, 200, 200, 404, 200},
       [](const World& world) {
         return get("/api/v1/cases/" + world.elsewhere_case + "/attachments");
       },
       {200, 200, 200, 404, 404, 404, 404, 200}},
      {"POST /api/v1/cases/{case_no}/attachments",
       false,
       [](const World& world) {
         return Probe{"POST", "/api/v1/cases/" + world.here_case + "/attachments", "{}"};
       },
       {403, 403, 403, 409, 409, 403, 404, 403},  // a dispatched case takes no photo
       [](const World& world) {
         return Probe{"POST", "/api/v1/cases/" + world.elsewhere_case + "/attachments", "{}"};
       },
       {403, 403, 403, 404, 404, 404, 404, 403}},
      {"GET /api/v1/calendar", false, [](const World&) { return get("/api/v1/calendar"); },
       all(200)},
      {"PUT /api/v1/calendar", false,
       [](const World& world) {
         return Probe{"PUT", "/api/v1/calendar", world.calendar};
       },
       admin_only(200)},
      {"GET /api/v1/reports",
       false,
       [](const World&) {
         return get("/api/v1/reports?period=day&by=street&date=" + report_day());
       },
       readers(200),
       [](const World& world) {
         return get("/api/v1/reports?date=" + report_day() + "&grid=" + world.elsewhere_street);
       },
       {200, 200, 200, 200, 200, 404, 403, 200}},
      {"GET /api/v1/events/stream",
       false,
       [](const World&) { return get("/api/v1/events/stream"); },
       readers(200),
       [](const World& world) {
         return get("/api/v1/events/stream?grid=" + world.elsewhere_street);
       },
       {200, 200, 200, 200, 200, 404, 403, 200},
       true},
  };
}

/// The operations of docs/openapi.yaml as the server serves it.
std::set<std::string> documented_operations(unsigned short port) {
  const HttpResponse response = http_request(port, "GET", "/api/v1/openapi.yaml");
  std::set<std::string> operations;
  const nlohmann::json document = openapi_from_yaml(response.body);
  for (const auto& [path, item] : document.at("paths").items()) {
    for (const auto& [key, operation] : item.items()) {
      if (key != "get" && key != "post" && key != "put" && key != "patch" && key != "delete")
        continue;
      std::string verb = key;
      for (char& ch : verb) ch = static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
      operations.insert(verb + " " + path);
    }
  }
  return operations;
}

/// A token of `username` straight into the database: live, already expired, or revoked.
std::string minted_token(const std::string& username, const std::string& expires, bool revoked) {
  std::random_device random;
  std::string fresh = "gct_";
  for (int i = 0; i < 64; ++i) fresh += "0123456789abcdef"[random() % 16];
  pqxx::connection connection{e2e_database_url()};
  pqxx::work tx{connection};
  tx.exec_params0(
      "INSERT INTO auth_tokens (user_id, kind, label, digest, expires_at, revoked_at) "
      "SELECT id, 'session', 'matrix', sha256(convert_to($1, 'UTF8')), now() + $3::interval, "
      "CASE WHEN $4 THEN now() END FROM users WHERE username = $2",
      fresh, username, expires, revoked);
  tx.commit();
  return fresh;
}

class AuthorizationMatrixTest : public DemoServerTest {
 protected:
  World world() {
    World made;
    made.elsewhere = other_demo_place(port());
    made.elsewhere_street = made.elsewhere.street;
    made.here_case = create_registered_case(port(), kDemoPlace);
    EXPECT_EQ(post_action(port(), made.here_case, "dispatch",
                          json{{"unit", "150203004-enforcement"}}, "dispatcher")
                  .status,
              200U);
    made.elsewhere_case = create_registered_case(port(), made.elsewhere);
    const HttpResponse dispatched =
        post_action(port(), made.elsewhere_case, "dispatch",
                    json{{"unit", made.elsewhere_street + "-enforcement"}}, "dispatcher");
    EXPECT_EQ(dispatched.status, 200U) << dispatched.body;
    made.calendar = get("/api/v1/calendar").body;
    made.officer =
        query_scalar(e2e_database_url(), "SELECT scope_code FROM users WHERE username = 'officer'");
    return made;
  }

  HttpResponse send(const Entry& entry, const Probe& probe, const HttpHeaders& auth) {
    HttpHeaders headers = auth;
    if (!probe.body.empty()) headers.emplace_back("Content-Type", "application/json");
    if (entry.stream) {
      EventStreamClient stream{port(), probe.target, headers};
      return stream.response();
    }
    return http_request(port(), probe.method, probe.target, probe.body, headers);
  }
};

TEST_F(AuthorizationMatrixTest, EveryServedRouteHasAnEntry) {
  std::set<std::string> listed;
  for (const Entry& entry : table()) listed.insert(entry.operation);

  EXPECT_EQ(listed, documented_operations(port()));
}

TEST_F(AuthorizationMatrixTest, EveryRouteAnswersEveryRoleInAndOutOfScopeAsTheTableSays) {
  const World here = world();
  for (const Entry& entry : table()) {
    for (std::size_t i = 0; i < kRoles.size(); ++i) {
      const std::string role = kRoles[i];
      const std::string token =
          entry.revokes_its_token ? minted_token(role, "1 hour", false) : demo_token(role);
      const HttpHeaders auth{{"Authorization", "Bearer " + token}};
      const HttpResponse in = send(entry, entry.in_scope(here), auth);
      EXPECT_EQ(in.status, entry.in_status[i])
          << entry.operation << " as " << role << ": " << in.body;
      if (entry.out_of_scope) {
        const HttpResponse out = send(entry, entry.out_of_scope(here), auth);
        EXPECT_EQ(out.status, entry.out_status[i])
            << entry.operation << " out of scope as " << role << ": " << out.body;
      }
    }
  }
}

TEST_F(AuthorizationMatrixTest, NoExpiredOrRevokedTokenIs401OnEveryProtectedRoute) {
  const World here = world();
  const std::string expired = minted_token("admin", "-1 minute", false);
  const std::string revoked = minted_token("admin", "1 hour", true);
  for (const Entry& entry : table()) {
    const Probe probe = entry.in_scope(here);
    for (const HttpHeaders& auth :
         {HttpHeaders{}, HttpHeaders{{"Authorization", "Bearer " + expired}},
          HttpHeaders{{"Authorization", "Bearer " + revoked}},
          HttpHeaders{{"Authorization", "Bearer not-a-token"}}}) {
      const HttpResponse response = send(entry, probe, auth);
      const std::string who = auth.empty() ? "no token" : auth.front().second;
      if (entry.is_public) {
        EXPECT_EQ(response.status, entry.in_status[0]) << entry.operation << " with " << who;
      } else {
        EXPECT_TRUE(is_problem(response, 401))
            << entry.operation << " with " << who << ": " << response.body;
        EXPECT_EQ(response.header("WWW-Authenticate"), "Bearer") << entry.operation;
      }
    }
  }
}

// ---- actions that name a second case or a unit, or move a case ----------------------------

/// The accounts of the table below: the demo's, and street 004's and 005's dispatchers and
/// street 004's operator (made by scoped_account), so that each wall is probed from both sides.
constexpr std::array<const char*, 9> kActionAccounts{"dispatcher",
                                                     "e2e-matrix-dispatcher-004",
                                                     "e2e-matrix-dispatcher-005",
                                                     "operator",
                                                     "e2e-matrix-operator-004",
                                                     "unit",
                                                     "officer",
                                                     "supervisor",
                                                     "integration"};
using ActionStatuses = std::array<unsigned, 9>;  // in kActionAccounts order

/// Where the probes act: a point of street 005 and open cases to merge into on either side.
struct Sides {
  DemoPlace street_005;
  std::string open_005_case;
  std::string open_004_case;
  std::string district_unit;
};

struct ActionEntry {
  std::string what;
  /// Makes the case the probe acts on (a fresh one: a probe that succeeds changes it).
  std::function<Probe(unsigned short port, const Sides& sides)> arrange;
  ActionStatuses statuses{};
};

Probe action_probe(const std::string& case_no, const std::string& action, const json& body) {
  return Probe{"POST", "/api/v1/cases/" + case_no + "/actions/" + action, body.dump()};
}

std::string dispatched_case(unsigned short port) {
  const std::string case_no = create_registered_case(port);
  EXPECT_EQ(
      post_action(port, case_no, "dispatch", json{{"unit", "150203004-enforcement"}}, "dispatcher")
          .status,
      200U);
  return case_no;
}

std::vector<ActionEntry> action_table() {
  // dispatcher, d-004, d-005, operator, op-004, unit, officer, supervisor, integration
  return {
      {"merge a case of 004 into an open case of 005",
       [](unsigned short port, const Sides& sides) {
         return action_probe(create_case(port, case_intake_body("web")), "merge",
                             json{{"into", sides.open_005_case}});
       },
       {200, 422, 404, 403, 403, 404, 403, 403, 404}},
      {"merge a case of 004 into an open case of 004",
       [](unsigned short port, const Sides& sides) {
         return action_probe(create_case(port, case_intake_body("web")), "merge",
                             json{{"into", sides.open_004_case}});
       },
       {200, 200, 404, 403, 403, 404, 403, 403, 404}},
      {"dispatch a case of 004 to 004's unit",
       [](unsigned short port, const Sides&) {
         return action_probe(create_registered_case(port), "dispatch",
                             json{{"unit", "150203004-enforcement"}});
       },
       {200, 200, 404, 403, 403, 404, 403, 403, 404}},
      {"dispatch a case of 004 to 005's unit",
       [](unsigned short port, const Sides&) {
         return action_probe(create_registered_case(port), "dispatch",
                             json{{"unit", "150203005-enforcement"}});
       },
       {200, 422, 404, 403, 403, 404, 403, 403, 404}},
      {"dispatch a case of 004 to a district-wide unit",
       [](unsigned short port, const Sides& sides) {
         return action_probe(create_registered_case(port), "dispatch",
                             json{{"unit", sides.district_unit}});
       },
       {200, 200, 404, 403, 403, 404, 403, 403, 404}},
      {"reassign a case of 004 from 004's unit to 005's",
       [](unsigned short port, const Sides&) {
         return action_probe(dispatched_case(port), "reassign",
                             json{{"unit", "150203005-enforcement"}});
       },
       {200, 422, 404, 403, 403, 403, 403, 403, 404}},
      {"locate a case of 004 in street 005",
       [](unsigned short port, const Sides& sides) {
         return action_probe(create_case(port, case_intake_body("web")), "locate",
                             json{{"lon", sides.street_005.lon}, {"lat", sides.street_005.lat}});
       },
       {403, 403, 404, 200, 422, 404, 403, 403, 404}},
      {"locate a case of 004 within 004",
       [](unsigned short port, const Sides&) {
         return action_probe(create_case(port, case_intake_body("web")), "locate",
                             json{{"lon", kDemoPlace.lon}, {"lat", kDemoPlace.lat}});
       },
       {403, 403, 404, 200, 200, 404, 403, 403, 404}},
  };
}

TEST_F(AuthorizationMatrixTest, ActionsNamingASecondCaseOrAUnitHoldEveryAccountsScope) {
  scoped_account(kActionAccounts[1], "dispatcher", "grid:150203004");
  scoped_account(kActionAccounts[2], "dispatcher", "grid:150203005");
  scoped_account(kActionAccounts[4], "operator", "grid:150203004");
  Sides sides;
  const json cells = json_of(get("/api/v1/grid/150203005/cells?limit=1"));
  ASSERT_FALSE(cells.at("items").empty());
  const json& point = cells.at("items")[0].at("point");
  sides.street_005 = DemoPlace{point[0].get<double>(), point[1].get<double>(), "", "150203005"};
  sides.open_005_case =
      create_case(port(), case_intake_body("web", sides.street_005.lon, sides.street_005.lat));
  sides.open_004_case = create_case(port(), case_intake_body("web"));
  sides.district_unit = query_scalar(
      e2e_database_url(),
      "SELECT code FROM units WHERE scope_code = '150203' AND active ORDER BY code LIMIT 1");

  for (const ActionEntry& entry : action_table()) {
    std::optional<Probe> probe;
    for (std::size_t i = 0; i < kActionAccounts.size(); ++i) {
      const std::string account = kActionAccounts[i];
      if (!probe) probe = entry.arrange(port(), sides);
      const HttpResponse answer =
          http_request(port(), probe->method, probe->target, probe->body, case_headers(account));
      EXPECT_EQ(answer.status, entry.statuses[i])
          << entry.what << " as " << account << ": " << answer.body;
      if (answer.status < 300) probe.reset();  // it changed the case: the next one gets a fresh one
    }
  }
}

/// `body` with the parts that differ between any two problem answers (the request id, the
/// instance, the case number asked for) blanked out.
std::string normalized_problem(const std::string& body, const std::string& case_no) {
  json problem = json::parse(body, nullptr, false);
  if (problem.is_discarded() || !problem.is_object()) return body;
  problem.erase("request_id");
  problem.erase("instance");
  std::string text = problem.dump();
  for (std::size_t at = text.find(case_no); at != std::string::npos; at = text.find(case_no, at)) {
    text.replace(at, case_no.size(), "CASE");
  }
  return text;
}

TEST_F(AuthorizationMatrixTest, NoCaseCountOrReporterCrossesTheGridBoundary) {
  const World here = world();
  // A case of another street whose description, reporter and phone appear nowhere else.
  const std::string marker = unique_token("boundary");
  const std::string phone = "1390" + std::to_string(1000000 + ::getpid() % 9000000);
  json body = case_intake_body("hotline_12345", here.elsewhere.lon, here.elsewhere.lat);
  body["description"] = marker;
  body["reporter"] = json{{"name", "边界外"}, {"phone", phone}};
  const std::string secret_case = create_case(port(), body);
  ASSERT_EQ(post_action(port(), secret_case, "register",
                        json{{"category", "event:0101"}, {"condition", "stop"}}, "shift_leader")
                .status,
            200U);
  ASSERT_EQ(post_action(port(), secret_case, "dispatch",
                        json{{"unit", here.elsewhere_street + "-enforcement"}}, "dispatcher")
                .status,
            200U);
  const std::string never_case = "150203-19990101-000001";  // well-formed, before any case
  const std::vector<std::string> secrets{marker, phone, "边界外", secret_case, here.elsewhere_case};

  const std::string other_unit = here.elsewhere_street + "-enforcement";
  const std::vector<std::string> reads{
      "/api/v1/cases",
      "/api/v1/cases?limit=200",
      "/api/v1/cases?q=" + marker,
      "/api/v1/cases?grid=" + here.elsewhere_street,
      "/api/v1/cases?unit=" + other_unit,
      "/api/v1/cases?status=dispatched&limit=200",
      "/api/v1/cases?channel=hotline_12345&limit=200",
      "/api/v1/reports?period=day&date=" + report_day() + "&by=street",
      "/api/v1/reports?period=day&date=" + report_day() + "&by=community",
      "/api/v1/reports?period=day&date=" + report_day() + "&by=unit",
      "/api/v1/reports?period=day&date=" + report_day() + "&by=officer",
      "/api/v1/reports?period=day&date=" + report_day() + "&by=channel",
      "/api/v1/reports?period=day&date=" + report_day() + "&by=category",
      "/api/v1/reports?period=day&date=" + report_day() + "&by=street&format=csv",
      "/api/v1/reports?period=day&date=" + report_day() + "&grid=" + here.elsewhere_street,
  };
  for (const std::string role : {"unit", "officer", "supervisor"}) {
    const HttpHeaders auth = auth_headers(role);
    for (const std::string& target : reads) {
      const HttpResponse response = http_request(port(), "GET", target, {}, auth);
      EXPECT_LT(response.status, 500U) << target << " as " << role;
      for (const std::string& secret : secrets) {
        EXPECT_EQ(response.body.find(secret), std::string::npos)
            << target << " as " << role << " shows " << secret << ": "
            << response.body.substr(0, 400);
      }
    }
    // A case outside the scope answers exactly as a case that never existed: no existence leak.
    for (const std::string& suffix :
         {std::string{}, std::string{"/actions/urge"}, std::string{"/actions/reply"}}) {
      const std::string method = suffix.empty() ? "GET" : "POST";
      const std::string payload = suffix.empty() ? "" : "{}";
      HttpHeaders headers = auth;
      if (!payload.empty()) headers.emplace_back("Content-Type", "application/json");
      const HttpResponse hidden =
          http_request(port(), method, "/api/v1/cases/" + secret_case + suffix, payload, headers);
      const HttpResponse missing =
          http_request(port(), method, "/api/v1/cases/" + never_case + suffix, payload, headers);
      EXPECT_EQ(hidden.status, missing.status) << suffix << " as " << role << ": " << hidden.body;
      EXPECT_EQ(normalized_problem(hidden.body, secret_case),
                normalized_problem(missing.body, never_case))
          << suffix << " as " << role;
      for (const std::string& secret : {marker, phone, std::string{"边界外"}}) {
        EXPECT_EQ(hidden.body.find(secret), std::string::npos) << suffix << " as " << role;
      }
    }
  }
}

}  // namespace
}  // namespace gridcase::testing
