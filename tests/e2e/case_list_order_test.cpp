// GET /api/v1/cases?sort=: each documented order (docs/api.md), paged with its own cursor
// exactly as one page holds it, and the refusals of an unknown order or another order's cursor.
#include <gtest/gtest.h>

#include <algorithm>
#include <set>

#include "support/case_http.hpp"
#include "support/demo_server.hpp"
#include "support/test_database.hpp"

namespace gridcase::testing {
namespace {

using nlohmann::json;

class CaseListOrderTest : public DemoServerTest {
 protected:
  void SetUp() override {
    DemoServerTest::SetUp();
    token_ = unique_token("e2e-order");
  }

  /// A received case whose description carries the token.
  std::string create() {
    json body = case_intake_body("web");
    body["description"] = "order test " + token_;
    return create_case(port(), body);
  }

  /// A case registered under `category`/`condition` and dispatched now.
  std::string dispatched(const char* category, const char* condition) {
    const std::string case_no = create();
    EXPECT_EQ(post_action(port(), case_no, "register",
                          json{{"category", category}, {"condition", condition}}, "shift_leader")
                  .status,
              200U);
    EXPECT_EQ(post_action(port(), case_no, "dispatch", json{{"unit", unit()}}, "dispatcher").status,
              200U);
    return case_no;
  }

  static std::string unit() {
    static const std::string code =
        query_scalar(e2e_database_url(),
                     "SELECT code FROM units WHERE scope_code = '150203' AND active "
                     "ORDER BY code LIMIT 1");
    return code;
  }

  HttpResponse list(const std::string& query) {
    return get_as(port(), "/api/v1/cases?q=" + token_ + "&" + query);
  }

  /// Every item of `sort`, `limit` at a time, following next_cursor to the end.
  std::vector<json> walk(const std::string& sort, int limit) {
    std::vector<json> items;
    std::string cursor;
    for (int page = 0; page < 50; ++page) {
      const HttpResponse response = list("sort=" + sort + "&limit=" + std::to_string(limit) +
                                         (cursor.empty() ? "" : "&cursor=" + cursor));
      EXPECT_EQ(response.status, 200U) << response.body;
      const json body = json_of(response);
      if (!body.is_object()) return items;
      for (const json& item : body.at("items")) items.push_back(item);
      if (body.at("next_cursor").is_null()) return items;
      cursor = body.at("next_cursor").get<std::string>();
    }
    ADD_FAILURE() << "more than 50 pages";
    return items;
  }

  static std::vector<std::string> numbers(const std::vector<json>& items) {
    std::vector<std::string> found;
    for (const json& item : items) found.push_back(item.at("case_no").get<std::string>());
    return found;
  }

  /// Each order walked two at a time gives what one page of 200 gives.
  void expect_paged_like_one_page(const std::string& sort) {
    const std::vector<std::string> one_page = numbers(walk(sort, 200));
    EXPECT_EQ(numbers(walk(sort, 2)), one_page) << sort;
    EXPECT_EQ(numbers(walk(sort, 1)), one_page) << sort;
    EXPECT_EQ(std::set<std::string>(one_page.begin(), one_page.end()).size(), one_page.size());
  }

  std::string token_;
};

TEST_F(CaseListOrderTest, NewestIsTheDefaultAndOldestItsReverse) {
  std::vector<std::string> created;
  for (int i = 0; i < 5; ++i) created.push_back(create());

  const std::vector<std::string> oldest = numbers(walk("oldest", 2));
  const std::vector<std::string> newest = numbers(walk("newest", 2));

  EXPECT_EQ(oldest, created);
  EXPECT_EQ(newest, std::vector<std::string>(created.rbegin(), created.rend()));
  EXPECT_EQ(numbers(json_of(list("limit=200")).at("items")), newest);
  expect_paged_like_one_page("oldest");
  expect_paged_like_one_page("newest");
}

TEST_F(CaseListOrderTest, DeadlineListsTheSoonestHandlingDeadlineFirstAndCasesWithoutOneLast) {
  const std::string four_hours = dispatched("component:0110", "pole_damaged");  // now + 4 h
  const std::string two_hours = dispatched("component:0101", "missing");        // now + 2 h
  const std::string none = create();
  const std::string two_hours_later = dispatched("component:0101", "missing");
  const std::string none_later = create();
  const std::string four_hours_later = dispatched("component:0110", "pole_damaged");

  const std::vector<json> items = walk("deadline", 2);

  EXPECT_EQ(numbers(items), (std::vector<std::string>{two_hours, two_hours_later, four_hours,
                                                      four_hours_later, none, none_later}));
  for (std::size_t i = 0; i + 1 < items.size(); ++i) {
    const json& a = items[i].at("handling_deadline");
    const json& b = items[i + 1].at("handling_deadline");
    if (!a.is_null() && !b.is_null()) {
      EXPECT_LE(a.get<std::string>(), b.get<std::string>());
    }
    EXPECT_FALSE(a.is_null() && !b.is_null()) << "a case without a deadline before one with";
  }
  expect_paged_like_one_page("deadline");
}

TEST_F(CaseListOrderTest, UpdatedListsTheLatestChangeFirst) {
  const std::string first = create();
  const std::string second = create();
  const std::string third = create();
  ASSERT_EQ(post_action(port(), first, "reject", json{{"reason", "重复"}}, "operator").status,
            200U);

  const std::vector<json> items = walk("updated", 2);

  ASSERT_EQ(numbers(items), (std::vector<std::string>{first, third, second}));
  for (std::size_t i = 0; i + 1 < items.size(); ++i) {
    EXPECT_GE(items[i].at("updated_at").get<std::string>(),
              items[i + 1].at("updated_at").get<std::string>());
  }
  expect_paged_like_one_page("updated");
}

TEST_F(CaseListOrderTest, AnUnknownOrderIsRefusedNamingSort) {
  const HttpResponse response = list("sort=priority");

  EXPECT_TRUE(is_problem(response, 422)) << response.body;
  EXPECT_EQ(error_fields(response), std::vector<std::string>{"sort"});
}

TEST_F(CaseListOrderTest, ACursorOfAnotherOrderIsRefusedNamingCursor) {
  for (int i = 0; i < 3; ++i) create();
  const std::string deadline_cursor =
      json_of(list("sort=deadline&limit=1")).at("next_cursor").get<std::string>();
  const std::string newest_cursor = json_of(list("limit=1")).at("next_cursor").get<std::string>();

  for (const std::string& query :
       {"sort=updated&cursor=" + deadline_cursor, "sort=newest&cursor=" + deadline_cursor,
        "sort=deadline&cursor=" + newest_cursor, "sort=oldest&cursor=" + newest_cursor,
        std::string("sort=deadline&cursor=deadline.x.1"),
        std::string("sort=updated&cursor=updated.5")}) {
    const HttpResponse response = list(query);
    EXPECT_TRUE(is_problem(response, 422)) << query << ": " << response.body;
    EXPECT_EQ(error_fields(response), std::vector<std::string>{"cursor"}) << query;
  }
}

}  // namespace
}  // namespace gridcase::testing
