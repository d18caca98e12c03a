// The versioned catalogue and stage time limits through the real binary (issue 14,
// docs/administration.md "The catalogue and time limits"): retiring and reinstating by
// PUT /api/v1/categories, GET with and without retired entries, registering under retired
// ones refused naming the field, per-category time limits that apply from `register` on, every
// refusal in the contract's order with nothing changed, and anonymous hotline callers.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <optional>
#include <set>

#include "support/case_http.hpp"
#include "support/demo_server.hpp"

namespace gridcase::testing {
namespace {

using nlohmann::json;

constexpr const char* kOwnCategory = "event:9801";  // this test's own, left retired
constexpr const char* kLimitsOf = "/api/v1/categories/event:0101/time-limits";

json own_category(bool with_second_condition) {
  json conditions = json::array({{{"id", "first"},
                                  {"text", "测试条件一"},
                                  {"limit", {{"value", 3}, {"unit", "work_day"}}},
                                  {"unit_type", "enforcement"},
                                  {"close_when", "done"}}});
  if (with_second_condition) {
    conditions.push_back({{"id", "second"},
                          {"text", "测试条件二"},
                          {"limit", json::array({2, "urgent_hour"})},
                          {"unit_type", "enforcement"}});
  }
  return {{"key", kOwnCategory}, {"name", "测试类别 e2e category"}, {"conditions", conditions}};
}

class CatalogueApiTest : public DemoServerTest {
 protected:
  void TearDown() override {
    // Other suites rely on the demo's limits: event:0101 goes back to the deployment's.
    put_limits(json::object(), "admin");
    DemoServerTest::TearDown();
  }

  static HttpResponse put_limits(const json& body, std::string_view role) {
    return http_request(port(), "PUT", kLimitsOf, body.dump(), case_headers(role));
  }

  /// The demo's current catalogue, with this test's category when `own` is set.
  static HttpResponse put_catalogue(std::optional<json> own) {
    json current = json_of(get("/api/v1/categories")).at("items");
    json items = json::array();
    for (const json& item : current) {
      if (item.at("key") != kOwnCategory) items.push_back(item);
    }
    if (own) items.push_back(*own);
    return http_request(port(), "PUT", "/api/v1/categories", json{{"categories", items}}.dump(),
                        case_headers("admin"));
  }

  static std::optional<json> find_key(const json& list, const std::string& key) {
    for (const json& item : list.at("items")) {
      if (item.at("key") == key) return item;  // a copy: lists are often temporaries
    }
    return std::nullopt;
  }

  static HttpResponse register_case(const std::string& case_no, const std::string& category,
                                    const std::string& condition) {
    return post_action(port(), case_no, "register",
                       json{{"category", category}, {"condition", condition}}, "shift_leader");
  }

  /// Dispatches, acknowledges and completes a registered demo case.
  static void complete(const std::string& case_no) {
    EXPECT_EQ(
        post_action(port(), case_no, "dispatch", {{"unit", "150203004-enforcement"}}, "dispatcher")
            .status,
        200U);
    EXPECT_EQ(post_action(port(), case_no, "acknowledge", json::object(), "unit").status, 200U);
    EXPECT_EQ(post_action(port(), case_no, "complete",
                          {{"note", "已处理"}, {"attachments", {kPhotoToUpload}}}, "unit")
                  .status,
              200U);
  }

  static json running_timer(const std::string& case_no, const std::string& timer) {
    const json found = json_of(get_as(port(), "/api/v1/cases/" + case_no));
    for (const json& item : found.at("timers")) {
      if (item.at("timer") == timer && item.at("running") == true) return item;
    }
    ADD_FAILURE() << "no running " << timer << " timer: " << found.dump();
    return json();
  }
};

TEST_F(CatalogueApiTest, RetiringAndReinstatingOverHttpKeepsOldCasesAndRefusesNewOnes) {
  ASSERT_EQ(put_catalogue(own_category(true)).status, 200U);
  const std::string filed = create_case(port(), case_intake_body("web"));
  ASSERT_EQ(register_case(filed, kOwnCategory, "second").status, 200U);
  const long long replaced = e2e_rows("admin_audit WHERE action = 'categories.replace'");

  // The second condition left out: retired.
  const HttpResponse narrowed = put_catalogue(own_category(false));
  ASSERT_EQ(narrowed.status, 200U) << narrowed.body;
  const std::string late = create_case(port(), case_intake_body("web"));
  const HttpResponse under_retired_condition = register_case(late, kOwnCategory, "second");
  EXPECT_TRUE(is_problem(under_retired_condition, 422));
  EXPECT_EQ(error_fields(under_retired_condition), std::vector<std::string>{"condition"});

  // The whole category left out: retired, listed on request, and its old case keeps its name.
  ASSERT_EQ(put_catalogue(std::nullopt).status, 200U);
  EXPECT_FALSE(find_key(json_of(get("/api/v1/categories")), kOwnCategory));
  const json with_retired = json_of(get("/api/v1/categories?include_retired=true"));
  const std::optional<json> retired = find_key(with_retired, kOwnCategory);
  ASSERT_TRUE(retired);
  EXPECT_TRUE(retired->at("retired_at").is_string());
  EXPECT_EQ(retired->at("conditions").size(), 2U);
  EXPECT_EQ(json_of(get_as(port(), "/api/v1/cases/" + filed)).at("category_name"),
            "测试类别 e2e category");
  const HttpResponse under_retired_category = register_case(late, kOwnCategory, "first");
  EXPECT_TRUE(is_problem(under_retired_category, 422));
  EXPECT_EQ(error_fields(under_retired_category), std::vector<std::string>{"category"});
  json intake = case_intake_body("web");
  intake["category"] = kOwnCategory;
  const long long cases = e2e_rows("cases");
  const HttpResponse received = post_case(port(), intake);
  EXPECT_TRUE(is_problem(received, 422));
  EXPECT_EQ(error_fields(received), std::vector<std::string>{"category"});
  EXPECT_EQ(e2e_rows("cases"), cases);
  EXPECT_EQ(json_of(get_as(port(), "/api/v1/cases/" + late)).at("status"), "received");

  // Listed again: reinstated, and cases are filed under it once more.
  ASSERT_EQ(put_catalogue(own_category(false)).status, 200U);
  EXPECT_EQ(register_case(late, kOwnCategory, "first").status, 200U);
  EXPECT_EQ(e2e_rows("admin_audit WHERE action = 'categories.replace'"), replaced + 3);
  ASSERT_EQ(put_catalogue(std::nullopt).status, 200U);
}

TEST_F(CatalogueApiTest, ACategoryTimeLimitAppliesToCasesRegisteredAfterIt) {
  const std::string before = create_registered_case(port());

  const HttpResponse set = put_limits({{"check", {{"value", 3}, {"unit", "work_hour"}}},
                                       {"close", {{"value", 1}, {"unit", "work_day"}}}},
                                      "admin");
  const std::string after = create_registered_case(port());
  complete(before);
  complete(after);

  ASSERT_EQ(set.status, 200U) << set.body;
  EXPECT_EQ(json_of(set).at("key"), "event:0101");
  EXPECT_EQ(json_of(set).at("time_limits").at("check"),
            (json{{"value", 3}, {"unit", "work_hour"}}));
  EXPECT_EQ(find_key(json_of(get("/api/v1/categories")), "event:0101")->at("time_limits"),
            json_of(set).at("time_limits"));
  EXPECT_EQ(running_timer(before, "check").at("limit"),
            (json{{"value", 2}, {"unit", "work_hour"}}));
  EXPECT_EQ(running_timer(after, "check").at("limit"), (json{{"value", 3}, {"unit", "work_hour"}}));
  EXPECT_NE(running_timer(before, "check").at("deadline"),
            running_timer(after, "check").at("deadline"));
  EXPECT_EQ(post_action(port(), after, "check", {{"result", "passed"}}, "officer").status, 200U);
  EXPECT_EQ(running_timer(after, "close").at("limit"), (json{{"value", 1}, {"unit", "work_day"}}));
  EXPECT_GE(e2e_rows("admin_audit WHERE action = 'category.time_limits' AND target = 'event:0101'"),
            1);
}

TEST_F(CatalogueApiTest, BadTimeLimitRequestsAreRefusedInOrderAndChangeNothing) {
  ASSERT_EQ(put_catalogue(own_category(false)).status, 200U);
  ASSERT_EQ(put_catalogue(std::nullopt).status, 200U);  // this test's category retired
  ASSERT_EQ(put_limits({{"check", {{"value", 3}, {"unit", "work_hour"}}}}, "admin").status, 200U);
  const long long records = e2e_rows("admin_audit WHERE action = 'category.time_limits'");
  const json good{{"check", {{"value", 5}, {"unit", "work_hour"}}}};

  const HttpResponse unauthenticated = http_request(
      port(), "PUT", kLimitsOf, good.dump(), HttpHeaders{{"Content-Type", "application/json"}});
  const HttpResponse unreadable = put_limits({{"check", 5}}, "admin");
  const HttpResponse no_value = put_limits({{"check", {{"unit", "work_hour"}}}}, "admin");
  const HttpResponse unknown = http_request(
      port(), "PUT", "/api/v1/categories/event:0999/time-limits", "{}", case_headers("admin"));
  const HttpResponse not_admin = put_limits(good, "dispatcher");
  const HttpResponse retired = http_request(
      port(), "PUT", std::string("/api/v1/categories/") + kOwnCategory + "/time-limits",
      good.dump(), case_headers("admin"));
  const HttpResponse before_register =
      put_limits({{"verification", {{"value", 1}, {"unit", "work_hour"}}},
                  {"check", {{"value", 0}, {"unit", "fortnight"}}}},
                 "admin");

  EXPECT_TRUE(is_problem(unauthenticated, 401));
  EXPECT_TRUE(is_problem(unreadable, 400));
  EXPECT_EQ(error_fields(unreadable), std::vector<std::string>{"check"});
  EXPECT_TRUE(is_problem(no_value, 400));
  EXPECT_EQ(error_fields(no_value), std::vector<std::string>{"check.value"});
  EXPECT_TRUE(is_problem(unknown, 404));
  EXPECT_TRUE(is_problem(not_admin, 403));
  EXPECT_TRUE(is_problem(retired, 409));
  EXPECT_TRUE(is_problem(before_register, 422));
  const std::vector<std::string> named = error_fields(before_register);  // in the body's order
  EXPECT_EQ(std::set<std::string>(named.begin(), named.end()),
            (std::set<std::string>{"verification", "check.value", "check.unit"}));
  EXPECT_EQ(e2e_rows("admin_audit WHERE action = 'category.time_limits'"), records);
  EXPECT_EQ(find_key(json_of(get("/api/v1/categories")), "event:0101")->at("time_limits"),
            (json{{"check", {{"value", 3}, {"unit", "work_hour"}}}}));
  EXPECT_TRUE(is_problem(get("/api/v1/categories?include_retired=perhaps"), 400));
}

TEST_F(CatalogueApiTest, AnUnknownCategoryInRegisterIs422NamingCategory) {
  const std::string case_no = create_case(port(), case_intake_body("web"));

  const HttpResponse response = register_case(case_no, "event:0999", "stop");

  EXPECT_TRUE(is_problem(response, 422));
  EXPECT_EQ(error_fields(response), std::vector<std::string>{"category"});
  EXPECT_EQ(json_of(get_as(port(), "/api/v1/cases/" + case_no)).at("version"), 1);
}

TEST_F(CatalogueApiTest, AHotlineCallerMayStayAnonymousButNotWithoutAPhone) {
  for (const char* channel : {"hotline_12319", "hotline_12345", "mayor_hotline"}) {
    json anonymous = case_intake_body(channel);
    anonymous["reporter"].erase("name");
    json without_phone = case_intake_body(channel);
    without_phone["reporter"].erase("phone");

    const HttpResponse created = post_case(port(), anonymous);
    const HttpResponse refused = post_case(port(), without_phone);

    EXPECT_EQ(created.status, 201U) << channel << ": " << created.body;
    EXPECT_TRUE(json_of(created).at("reporter").value("name", json()).is_null()) << created.body;
    EXPECT_TRUE(is_problem(refused, 400)) << channel;
    EXPECT_EQ(error_fields(refused), std::vector<std::string>{"reporter.phone"}) << channel;
  }
}

}  // namespace
}  // namespace gridcase::testing
