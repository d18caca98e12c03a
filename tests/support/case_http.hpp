#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "http_client.hpp"

namespace gridcase::testing {

/// Places of the seeded demo district (Kundulun, 150203).
struct DemoPlace {
  double lon = 0;
  double lat = 0;
  const char* cell = "";
  const char* street = "";
};

/// The README point: cell 150203004007017 of street 150203004.
inline constexpr DemoPlace kDemoPlace{109.83, 40.65, "150203004007017", "150203004"};
/// A point of another street of the demo district.
DemoPlace other_demo_place(unsigned short port);
/// Just west of the demo extent: inside no cell of any district.
inline constexpr double kOutsideLon = 109.70;
inline constexpr double kOutsideLat = 40.60;

/// A bearer token of the seeded demo account named `username` (seed-demo creates one per role,
/// named after it: operator, shift_leader, …), minted once per test process straight into the
/// end-to-end database (the login itself is tested in auth_api_test).
std::string demo_token(std::string_view username);
/// An account of the test's own with one `role` and `scope` ("grid:150203005"), written straight
/// into the end-to-end database like demo_token's tokens (or reset to that role and scope), for
/// tests that need more accounts than seed-demo makes: street dispatchers, another street's unit.
/// Returns `username`, for demo_token and the header helpers.
std::string scoped_account(std::string_view username, std::string_view role,
                           std::string_view scope);
/// `Authorization: Bearer <demo_token(role)>`.
HttpHeaders auth_headers(std::string_view role);
/// auth_headers(role) and `Content-Type: application/json`, then `extra`.
HttpHeaders case_headers(std::string_view role, const HttpHeaders& extra = {});

/// Stands for a photo in a body given to post_case (`photos`) or post_action (`attachments`):
/// replaced, before the request, by the id of a fresh upload made with the same account's token
/// (POST /api/v1/attachments; for an account that files no cases, a unit, to the case), since
/// staff photos are uploads (issue 15); for an account that may upload neither way (an
/// integration), by a link, as integrations send.
inline constexpr const char* kPhotoToUpload = "photo-to-upload";

/// A valid intake body of `channel` at (lon, lat) with what the channel requires and a named
/// reporter (张三, 13812345678) unless the channel is patrol or video; a patrol report's photo is
/// kPhotoToUpload.
nlohmann::json case_intake_body(std::string_view channel, double lon = kDemoPlace.lon,
                                double lat = kDemoPlace.lat);

/// POST /api/v1/cases.
HttpResponse post_case(unsigned short port, const nlohmann::json& body,
                       std::string_view role = "operator", const HttpHeaders& extra = {});
/// POST /api/v1/cases/{case_no}/actions/{action}.
HttpResponse post_action(unsigned short port, std::string_view case_no, std::string_view action,
                         const nlohmann::json& body, std::string_view role,
                         const HttpHeaders& extra = {});
/// GET `target` as `role`.
HttpResponse get_as(unsigned short port, std::string_view target,
                    std::string_view role = "shift_leader");

/// Creates a case and returns its number; fails the test unless the answer is 201.
std::string create_case(unsigned short port, const nlohmann::json& body);
/// Creates a case at `place` and registers it (event:0101/stop); returns its number.
std::string create_registered_case(unsigned short port, const DemoPlace& place = kDemoPlace);

/// SELECT count(*) FROM `table` in the e2e database.
long long e2e_rows(const std::string& table);

/// One action of a case's lifecycle over HTTP: its name, its body and the demo account doing it.
struct LifecycleStep {
  const char* action;
  nlohmann::json body;
  const char* role;
};
/// From `received` to `replied` as the demo district's staff do it: register (event:0101),
/// dispatch to 150203004-enforcement (with `dispatch_note` when not empty), acknowledge,
/// complete, check (passed), reply with `reply_note`.
std::vector<LifecycleStep> steps_to_reply(const std::string& reply_note,
                                          const std::string& dispatch_note = {});

/// A text no other test run uses: `prefix` with this process id and a counter.
std::string unique_token(std::string_view prefix);

}  // namespace gridcase::testing
