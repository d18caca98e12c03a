#include <gtest/gtest.h>

#include <algorithm>

#include "case_http.hpp"
#include "demo_server.hpp"
#include "test_database.hpp"

namespace gridcase::testing {
namespace {

using nlohmann::json;

/// Every refused request answers a problem naming the field, and writes nothing.
class CaseBadInputApiTest : public DemoServerTest {
 protected:
  struct Rows {
    long long cases = 0;
    long long events = 0;
    friend bool operator==(const Rows&, const Rows&) = default;
  };

  static Rows rows() { return Rows{e2e_rows("cases"), e2e_rows("case_events")}; }

  static bool names(const HttpResponse& response, const std::string& field) {
    const std::vector<std::string> fields = error_fields(response);
    return std::find(fields.begin(), fields.end(), field) != fields.end();
  }
};

TEST_F(CaseBadInputApiTest, UnknownChannelIs422NamingItAndWritesNothing) {
  json body = case_intake_body("web");
  body["channel"] = "fax";
  const Rows before = rows();

  const HttpResponse response = post_case(port(), body);

  EXPECT_TRUE(is_problem(response, 422));
  EXPECT_TRUE(names(response, "channel")) << response.body;
  EXPECT_EQ(rows(), before);
}

TEST_F(CaseBadInputApiTest, UnknownCategoryIs422NamingItAndWritesNothing) {
  json body = case_intake_body("web");
  body["category"] = "event:0999";
  const Rows before = rows();

  const HttpResponse response = post_case(port(), body);

  EXPECT_TRUE(is_problem(response, 422));
  EXPECT_TRUE(names(response, "category")) << response.body;
  EXPECT_EQ(rows(), before);
}

TEST_F(CaseBadInputApiTest, MissingChannelIs400NamingItAndWritesNothing) {
  json body = case_intake_body("web");
  body.erase("channel");
  const Rows before = rows();

  const HttpResponse response = post_case(port(), body);

  EXPECT_TRUE(is_problem(response, 400));
  EXPECT_TRUE(names(response, "channel")) << response.body;
  EXPECT_EQ(rows(), before);
}

TEST_F(CaseBadInputApiTest, PointOutsideTheDistrictIs422NamingLonAndWritesNothing) {
  const Rows before = rows();

  const HttpResponse response =
      post_case(port(), case_intake_body("web", kOutsideLon, kOutsideLat));

  EXPECT_TRUE(is_problem(response, 422));
  EXPECT_TRUE(names(response, "lon")) << response.body;
  EXPECT_EQ(rows(), before);
}

TEST_F(CaseBadInputApiTest, PhotoThatIsNoWebUrlIs422NamingItAndWritesNothing) {
  json body = case_intake_body("patrol");
  body["photos"] = json::array({"file:///sdcard/DCIM/1.jpg"});
  const Rows before = rows();

  const HttpResponse response = post_case(port(), body, "officer");

  EXPECT_TRUE(is_problem(response, 422));
  EXPECT_TRUE(names(response, "photos[0]")) << response.body;
  EXPECT_EQ(rows(), before);
}

TEST_F(CaseBadInputApiTest, AnOfficerReportingAsAnotherOfficerIs422NamingOfficerAndWritesNothing) {
  const std::string url = e2e_database_url();
  const std::string own =
      query_scalar(url, "SELECT scope_code FROM users WHERE username = 'officer'");
  const std::string other =
      query_scalar(url, "SELECT min(code) FROM officers WHERE active AND code <> '" + own + "'");
  ASSERT_FALSE(own.empty());
  ASSERT_FALSE(other.empty());
  json body = case_intake_body("patrol");
  body["officer"] = other;
  const Rows before = rows();

  const HttpResponse response = post_case(port(), body, "officer");

  EXPECT_TRUE(is_problem(response, 422));
  EXPECT_TRUE(names(response, "officer")) << response.body;
  EXPECT_EQ(rows(), before);
  body["officer"] = own;
  const HttpResponse as_self = post_case(port(), body, "officer");
  ASSERT_EQ(as_self.status, 201U) << as_self.body;
  EXPECT_EQ(json::parse(as_self.body).at("intake").at("officer"), own);
}

TEST_F(CaseBadInputApiTest, DescriptionOverTwoThousandCharactersIs422NamingItAndWritesNothing) {
  json body = case_intake_body("web");
  body["description"] = std::string(2001, 'x');
  const Rows before = rows();

  const HttpResponse response = post_case(port(), body);

  EXPECT_TRUE(is_problem(response, 422));
  EXPECT_TRUE(names(response, "description")) << response.body;
  EXPECT_EQ(rows(), before);
}

TEST_F(CaseBadInputApiTest, ImpossibleLatitudeIs422NamingIt) {
  const HttpResponse response = post_case(port(), case_intake_body("web", 109.83, 95));

  EXPECT_TRUE(is_problem(response, 422));
  EXPECT_TRUE(names(response, "lat")) << response.body;
}

TEST_F(CaseBadInputApiTest, CoordinateSentAsTextIs400NamingIt) {
  json body = case_intake_body("web");
  body["lon"] = "109.83";

  const HttpResponse response = post_case(port(), body);

  EXPECT_TRUE(is_problem(response, 400));
  EXPECT_TRUE(names(response, "lon")) << response.body;
}

TEST_F(CaseBadInputApiTest, HotlineCaseWithoutCallerPhoneIs400NamingIt) {
  json body = case_intake_body("hotline_12319");
  body["reporter"].erase("phone");

  const HttpResponse response = post_case(port(), body);

  EXPECT_TRUE(is_problem(response, 400));
  EXPECT_TRUE(names(response, "reporter.phone")) << response.body;
}

TEST_F(CaseBadInputApiTest, MissingTokenIs401WithTheBearerChallengeAndWritesNothing) {
  const Rows before = rows();

  const HttpResponse response =
      http_request(port(), "POST", "/api/v1/cases", case_intake_body("web").dump(),
                   {{"Content-Type", "application/json"}});

  EXPECT_TRUE(is_problem(response, 401));
  EXPECT_EQ(response.header("WWW-Authenticate"), "Bearer");
  EXPECT_EQ(rows(), before);
}

TEST_F(CaseBadInputApiTest, RoleThatMayNotReceiveIs403AndWritesNothing) {
  const Rows before = rows();

  const HttpResponse response = post_case(port(), case_intake_body("web"), "unit");

  EXPECT_TRUE(is_problem(response, 403));
  EXPECT_EQ(rows(), before);
}

TEST_F(CaseBadInputApiTest, WrongContentTypeIs415AndWritesNothing) {
  const Rows before = rows();

  const HttpResponse response =
      http_request(port(), "POST", "/api/v1/cases", case_intake_body("web").dump(),
                   {auth_headers("operator").front(), {"Content-Type", "text/plain"}});

  EXPECT_TRUE(is_problem(response, 415));
  EXPECT_EQ(rows(), before);
}

TEST_F(CaseBadInputApiTest, MalformedJsonIs400) {
  const HttpResponse response = http_request(port(), "POST", "/api/v1/cases",
                                             R"({"channel": "web",)", case_headers("operator"));

  EXPECT_TRUE(is_problem(response, 400));
}

TEST_F(CaseBadInputApiTest, UnknownActionIs404AndWritesNothing) {
  const std::string case_no = create_case(port(), case_intake_body("web"));
  const Rows before = rows();

  const HttpResponse response =
      post_action(port(), case_no, "approve", json::object(), "shift_leader");

  EXPECT_TRUE(is_problem(response, 404));
  EXPECT_EQ(rows(), before);
}

TEST_F(CaseBadInputApiTest, ReceiveIsNoActionOfAnExistingCase) {
  const std::string case_no = create_case(port(), case_intake_body("web"));

  const HttpResponse response = post_action(port(), case_no, "receive", json::object(), "operator");

  EXPECT_TRUE(is_problem(response, 404));
}

TEST_F(CaseBadInputApiTest, UnknownCaseIs404AndWritesNothing) {
  const Rows before = rows();

  const HttpResponse action =
      post_action(port(), "150203-19990101-000001", "urge", json::object(), "dispatcher");
  const HttpResponse read = get_as(port(), "/api/v1/cases/150203-19990101-000001");

  EXPECT_TRUE(is_problem(action, 404));
  EXPECT_TRUE(is_problem(read, 404));
  EXPECT_EQ(rows(), before);
}

TEST_F(CaseBadInputApiTest, DispatchWithoutUnitIs400NamingItAndWritesNothing) {
  const std::string case_no = create_registered_case(port());
  const Rows before = rows();

  const HttpResponse response =
      post_action(port(), case_no, "dispatch", json::object(), "dispatcher");

  EXPECT_TRUE(is_problem(response, 400));
  EXPECT_TRUE(names(response, "unit")) << response.body;
  EXPECT_EQ(rows(), before);
}

TEST_F(CaseBadInputApiTest, DispatchToAnUnknownUnitIs422NamingItAndWritesNothing) {
  const std::string case_no = create_registered_case(port());
  const Rows before = rows();

  const HttpResponse response =
      post_action(port(), case_no, "dispatch", json{{"unit", "150203004-nobody"}}, "dispatcher");

  EXPECT_TRUE(is_problem(response, 422));
  EXPECT_TRUE(names(response, "unit")) << response.body;
  EXPECT_EQ(rows(), before);
}

TEST_F(CaseBadInputApiTest, StaleIfMatchIs412AndWritesNothing) {
  const std::string case_no = create_registered_case(port());  // version 2
  const Rows before = rows();

  const HttpResponse response =
      post_action(port(), case_no, "dispatch", json{{"unit", "150203004-enforcement"}},
                  "dispatcher", {{"If-Match", "\"1\""}});

  EXPECT_TRUE(is_problem(response, 412));
  EXPECT_EQ(rows(), before);
  EXPECT_EQ(json_of(get_as(port(), "/api/v1/cases/" + case_no)).at("status"), "registered");
}

TEST_F(CaseBadInputApiTest, IfMatchThatIsNoVersionIs400NamingIt) {
  const std::string case_no = create_registered_case(port());

  const HttpResponse response =
      post_action(port(), case_no, "dispatch", json{{"unit", "150203004-enforcement"}},
                  "dispatcher", {{"If-Match", "\"abc\""}});

  EXPECT_TRUE(is_problem(response, 400));
  EXPECT_TRUE(names(response, "If-Match")) << response.body;
}

TEST_F(CaseBadInputApiTest, ActionNotAllowedInTheStateIs409ListingWhatIsAllowed) {
  const std::string case_no = create_case(port(), case_intake_body("web"));

  const HttpResponse response = post_action(port(), case_no, "dispatch",
                                            json{{"unit", "150203004-enforcement"}}, "dispatcher");

  EXPECT_TRUE(is_problem(response, 409));
  EXPECT_EQ(json_of(response).at("allowed_actions"), json::array({"merge"}));
}

TEST_F(CaseBadInputApiTest, RoleThatMayNeverDoTheActionIs403) {
  const std::string case_no = create_case(port(), case_intake_body("web"));

  // The supervisor of the case's street sees it, but may not register.
  const HttpResponse response =
      post_action(port(), case_no, "register",
                  json{{"category", "event:0101"}, {"condition", "stop"}}, "supervisor");

  EXPECT_TRUE(is_problem(response, 403));
}

TEST_F(CaseBadInputApiTest, ACaseOutsideTheCallersScopeIs404BeforeTheRoleIsChecked) {
  const std::string case_no = create_case(port(), case_intake_body("web"));

  // Not dispatched to the unit: it does not exist for its staff.
  const HttpResponse response = post_action(
      port(), case_no, "register", json{{"category", "event:0101"}, {"condition", "stop"}}, "unit");

  EXPECT_TRUE(is_problem(response, 404));
}

TEST_F(CaseBadInputApiTest, UnknownActionParameterIs400NamingIt) {
  const std::string case_no = create_registered_case(port());

  const HttpResponse response =
      post_action(port(), case_no, "dispatch",
                  json{{"unit", "150203004-enforcement"}, {"urgent", true}}, "dispatcher");

  EXPECT_TRUE(is_problem(response, 400));
  EXPECT_TRUE(names(response, "urgent")) << response.body;
}

TEST_F(CaseBadInputApiTest, OtherMethodOnACaseIs405WithAllow) {
  const std::string case_no = create_case(port(), case_intake_body("web"));

  const HttpResponse response =
      http_request(port(), "DELETE", "/api/v1/cases/" + case_no, {}, auth_headers("admin"));

  EXPECT_TRUE(is_problem(response, 405));
  EXPECT_EQ(response.header("Allow"), "GET");
}

}  // namespace
}  // namespace gridcase::testing
