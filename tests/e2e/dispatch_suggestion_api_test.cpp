#include <gtest/gtest.h>

#include <chrono>
#include <optional>

#include "gridcase/domain/time_text.hpp"
#include "support/case_http.hpp"
#include "support/demo_server.hpp"

namespace gridcase::testing {
namespace {

using nlohmann::json;

// GET /api/v1/cases/{case_no}/suggestions over HTTP, a dispatch that follows its first
// suggestion, and the report's "suggestion followed" figure (docs/case-lifecycle.md, "Dispatch
// suggestions"; docs/reports.md).

std::string beijing_today() {
  const auto now = std::chrono::system_clock::now() + std::chrono::hours{8};
  return domain::format_iso_date(
      std::chrono::year_month_day{std::chrono::floor<std::chrono::days>(now)});
}

class DispatchSuggestionApiTest : public DemoServerTest {
 protected:
  static HttpResponse suggestions(const std::string& case_no, std::string_view role = "dispatcher",
                                  const std::string& query = "") {
    return get_as(port(), "/api/v1/cases/" + case_no + "/suggestions" + query, role);
  }
};

TEST_F(DispatchSuggestionApiTest,
       ARegisteredCaseIsOfferedRankedUnitsWithReasonsAndTheFigureCounts) {
  const std::string case_no = create_registered_case(port());

  const HttpResponse response = suggestions(case_no);

  ASSERT_EQ(response.status, 200U) << response.body;
  const json answer = json_of(response);
  EXPECT_EQ(answer.at("case_no"), case_no);
  EXPECT_EQ(answer.at("action"), "dispatch");
  EXPECT_EQ(answer.at("unit_type"), "enforcement");
  ASSERT_FALSE(answer.at("suggestions").empty());
  const json& first = answer.at("suggestions").front();
  EXPECT_EQ(first.at("rank"), 1);
  EXPECT_EQ(first.at("type"), "enforcement");
  EXPECT_TRUE(first.at("type_matches").get<bool>());
  // The narrowest scope containing the cell: the cell's street (or below it).
  EXPECT_EQ(std::string(kDemoPlace.cell).rfind(first.at("scope").get<std::string>(), 0), 0U);
  EXPECT_GE(first.at("scope").get<std::string>().size(), 9U);
  EXPECT_NE(first.at("reason").get<std::string>().find("matches the filing condition"),
            std::string::npos);
  EXPECT_TRUE(first.at("open_handling").is_number_integer());
  int rank = 0;
  for (const json& each : answer.at("suggestions")) {
    EXPECT_EQ(each.at("rank"), ++rank);
    const std::string scope = each.at("scope");
    EXPECT_EQ(std::string(kDemoPlace.cell).rfind(scope, 0), 0U) << scope;
  }

  const HttpResponse dispatched =
      post_action(port(), case_no, "dispatch", json{{"unit", first.at("unit")}}, "dispatcher");
  ASSERT_EQ(dispatched.status, 200U) << dispatched.body;
  const json case_json = json_of(get_as(port(), "/api/v1/cases/" + case_no, "dispatcher"));
  std::string recorded;
  for (const json& event : case_json.at("events")) {
    if (event.at("action") == "dispatch") recorded = event.at("params").value("suggestion", "");
  }
  EXPECT_EQ(recorded, "followed");

  const json report =
      json_of(get_as(port(), "/api/v1/reports?by=unit&date=" + beijing_today(), "shift_leader"));
  const json& totals = report.at("totals");
  EXPECT_GE(totals.at("suggestions_followed").get<int>(), 1);
  EXPECT_GE(totals.at("dispatches_suggested").get<int>(),
            totals.at("suggestions_followed").get<int>());
  EXPECT_TRUE(totals.at("suggestion_followed_rate").is_number());
  EXPECT_TRUE(totals.contains("dispatch_accuracy"));
  bool unit_row = false;
  for (const json& row : report.at("rows")) {
    if (row.at("key") == first.at("unit")) {
      unit_row = true;
      EXPECT_GE(row.at("suggestions_followed").get<int>(), 1);
    }
  }
  EXPECT_TRUE(unit_row);

  // Dispatched, it is offered the other units for a reassign.
  const json reassign = json_of(suggestions(case_no));
  EXPECT_EQ(reassign.at("action"), "reassign");
  for (const json& each : reassign.at("suggestions")) EXPECT_NE(each.at("unit"), first.at("unit"));
}

TEST_F(DispatchSuggestionApiTest, RefusalsAreProblemsInTheContractsOrder) {
  const std::string registered = create_registered_case(port());
  const std::string received = create_case(port(), case_intake_body("hotline_12319"));

  EXPECT_TRUE(is_problem(suggestions("150203-20260101-999999"), 404));
  EXPECT_TRUE(is_problem(suggestions("nonsense"), 404));
  EXPECT_TRUE(is_problem(suggestions(registered, "operator"), 403));
  const HttpResponse not_yet = suggestions(received);
  EXPECT_TRUE(is_problem(not_yet, 409));
  EXPECT_TRUE(json_of(not_yet).contains("allowed_actions"));
  EXPECT_TRUE(is_problem(suggestions(registered, "dispatcher", "?limit=3"), 400));
  const HttpResponse anonymous =
      http_request(port(), "GET", "/api/v1/cases/" + registered + "/suggestions", {}, {});
  EXPECT_TRUE(is_problem(anonymous, 401));
}

TEST_F(DispatchSuggestionApiTest, ARankingListsEveryStreetWithTiesSharingARank) {
  const json report =
      json_of(get_as(port(), "/api/v1/reports?by=street&date=" + beijing_today(), "shift_leader"));
  const json streets = json_of(get_as(port(), "/api/v1/grid/150203", "shift_leader"));

  ASSERT_TRUE(streets.contains("children")) << streets.dump();
  EXPECT_EQ(report.at("rows").size(), streets.at("children").size());
  std::optional<double> previous_score;
  int previous_rank = 0;
  int place = 0;
  for (const json& row : report.at("rows")) {
    ++place;
    if (row.at("score").is_null()) {
      EXPECT_TRUE(row.at("rank").is_null());
      continue;
    }
    const double score = row.at("score").get<double>();
    const int rank = row.at("rank").get<int>();
    if (previous_score && *previous_score == score) {
      EXPECT_EQ(rank, previous_rank);
    } else {
      EXPECT_EQ(rank, place);
    }
    previous_score = score;
    previous_rank = rank;
  }
}

}  // namespace
}  // namespace gridcase::testing
