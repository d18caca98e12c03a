#include "gridcase/http/report_format.hpp"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <string>

namespace gridcase::http {
namespace {

service::Report report_named(const std::string& name) {
  domain::ReportCounts counts;
  counts.received = 1;
  const domain::ReportPeriod day = domain::ReportPeriod::kDay;
  return service::Report{
      domain::period_containing(day, std::chrono::year{2026} / 11 / 23, std::chrono::minutes{480}),
      {domain::ReportRow{domain::ReportDimension::kStreet, {"150203001", name}, counts}}};
}

std::string csv_of(const std::string& name) {
  const service::Report report = report_named(name);
  return render_report(ReportView{report, domain::ReportDimension::kStreet, {}, {}, {}, {}},
                       ReportFormat::kCsv);
}

TEST(ReportCsvTest, CellsASpreadsheetWouldTakeForAFormulaAreKeptAsText) {
  EXPECT_NE(csv_of("=HYPERLINK(\"http://x\")").find(",\"'=HYPERLINK(\"\"http://x\"\")\","),
            std::string::npos);
  EXPECT_NE(csv_of("+1+2").find(",'+1+2,"), std::string::npos);
  EXPECT_NE(csv_of("-2+3").find(",'-2+3,"), std::string::npos);
  EXPECT_NE(csv_of("@SUM(A1)").find(",'@SUM(A1),"), std::string::npos);
  EXPECT_NE(csv_of("\t=1").find(",'\t=1,"), std::string::npos);
}

TEST(ReportCsvTest, OrdinaryCellsAreUnchanged) {
  const std::string csv = csv_of("昆都仑街道 a-b=c");
  EXPECT_NE(csv.find(",昆都仑街道 a-b=c,"), std::string::npos);
  EXPECT_EQ(csv.find('\''), std::string::npos);
}

TEST(ReportJsonTest, RowsAreRankedWithEveryCountAndRate) {
  const domain::ReportPeriod day = domain::ReportPeriod::kDay;
  domain::ReportCounts good;
  good.due = 4;
  good.closed = 4;
  good.closed_on_time = 3;
  good.backlog_by_age[0] = 2;  // the backlog's total is by age
  good.backlog_by_light[static_cast<std::size_t>(domain::Light::kRed)] = 2;
  domain::ReportCounts nothing_due;
  nothing_due.received = 1;
  const service::Report report{
      domain::period_containing(day, std::chrono::year{2026} / 11 / 23, std::chrono::minutes{480}),
      {domain::ReportRow{domain::ReportDimension::kStreet, {"150203002", "B \"街\""}, nothing_due},
       domain::ReportRow{domain::ReportDimension::kStreet, {"150203001", "A"}, good},
       domain::ReportRow{domain::ReportDimension::kChannel, {"hotline_12319", "12319"}, good}}};

  const nlohmann::json parsed = nlohmann::json::parse(render_report(
      ReportView{report, domain::ReportDimension::kStreet, {}, {}, {}, {}}, ReportFormat::kJson));

  EXPECT_EQ(parsed.at("period"), "day");
  EXPECT_EQ(parsed.at("first_day"), "2026-11-23");
  EXPECT_EQ(parsed.at("last_day"), "2026-11-23");
  EXPECT_EQ(parsed.at("by"), "street");
  EXPECT_TRUE(parsed.at("grid").is_null());
  EXPECT_EQ(parsed.at("totals").at("closed"), 4);  // the channel rows
  const nlohmann::json& rows = parsed.at("rows");
  ASSERT_EQ(rows.size(), 2U);
  EXPECT_EQ(rows[0].at("key"), "150203001");
  EXPECT_EQ(rows[0].at("rank"), 1);
  EXPECT_EQ(rows[0].at("completion_rate"), 1.0);
  EXPECT_EQ(rows[0].at("on_time_completion_rate"), 0.75);
  EXPECT_EQ(rows[0].at("backlog").at("total"), 2);
  EXPECT_EQ(rows[0].at("backlog").at("by_light").at("red"), 2);
  EXPECT_EQ(rows[0].at("timers").at("handling").at("late"), 0);
  EXPECT_TRUE(rows[0].at("on_time_rates").at("handling").is_null());
  EXPECT_EQ(rows[0].at("score"), 90.0);
  EXPECT_EQ(rows[0].at("grade"), "A");
  EXPECT_EQ(rows[1].at("name"), "B \"街\"");
  EXPECT_TRUE(rows[1].at("rank").is_null());  // nothing due: no score, no rank
  EXPECT_TRUE(rows[1].at("score").is_null());
  EXPECT_TRUE(rows[1].at("grade").is_null());
  EXPECT_TRUE(rows[1].at("completion_rate").is_null());
}

TEST(ReportHtmlTest, ThePolicyAllowsNothingButTheBulletinsOwnStyleSheet) {
  const std::string& policy = bulletin_content_security_policy();

  EXPECT_EQ(policy.rfind("default-src 'none'; style-src 'sha256-", 0), 0U);
  EXPECT_EQ(policy.find("unsafe"), std::string::npos);
  EXPECT_NE(policy.find("frame-ancestors 'none'"), std::string::npos);
  const service::Report report = report_named("<b>x</b>");
  const std::string html = render_report(
      ReportView{report, domain::ReportDimension::kStreet, {}, {}, {}, {}}, ReportFormat::kHtml);
  EXPECT_EQ(html.find(" style="), std::string::npos);  // inline style attributes would be blocked
  EXPECT_EQ(html.find("<script"), std::string::npos);
}

/// A street row with `due` cases due and `closed` of them closed on time.
domain::ReportRow street(const std::string& code, int due, int closed) {
  domain::ReportCounts counts;
  counts.due = due;
  counts.closed = closed;
  counts.closed_on_time = closed;
  return domain::ReportRow{domain::ReportDimension::kStreet, {code, "街道" + code}, counts};
}

TEST(ReportRankingTest, TiedScoresShareARankAndEverySubjectIsListedWithNothingDueAsNull) {
  const service::Report report{
      domain::period_containing(domain::ReportPeriod::kDay, std::chrono::year{2026} / 11 / 23,
                                std::chrono::minutes{480}),
      {street("150203001", 2, 1), street("150203002", 4, 2), street("150203003", 1, 1),
       street("150203004", 0, 0),
       // A subject with nothing in the period, as ReportService::get lists it.
       domain::ReportRow{domain::ReportDimension::kStreet, {"150203005", "昆北街道"}, {}}}};
  const ReportView view{report, domain::ReportDimension::kStreet, {}, {}, {}, {}};

  const nlohmann::json rows =
      nlohmann::json::parse(render_report(view, ReportFormat::kJson))["rows"];

  ASSERT_EQ(rows.size(), 5U);
  EXPECT_EQ(rows[0]["key"], "150203003");
  EXPECT_EQ(rows[0]["rank"], 1);
  // 001 and 002 both closed half of what was due: one score, one rank, and the next skips it.
  EXPECT_EQ(rows[1]["key"], "150203001");
  EXPECT_EQ(rows[1]["rank"], 2);
  EXPECT_EQ(rows[2]["key"], "150203002");
  EXPECT_EQ(rows[2]["rank"], 2);
  // Nothing due: listed, unranked, score null ("—"); a subject with no row at all likewise.
  EXPECT_EQ(rows[3]["key"], "150203004");
  EXPECT_TRUE(rows[3]["rank"].is_null());
  EXPECT_TRUE(rows[3]["score"].is_null());
  EXPECT_EQ(rows[4]["key"], "150203005");
  EXPECT_EQ(rows[4]["name"], "昆北街道");
  EXPECT_TRUE(rows[4]["rank"].is_null());
  EXPECT_TRUE(rows[4]["completion_rate"].is_null());
  EXPECT_EQ(rows[4]["received"], 0);

  const std::string csv = render_report(view, ReportFormat::kCsv);
  EXPECT_NE(csv.find("\r\n2,150203001,"), std::string::npos);
  EXPECT_NE(csv.find("\r\n2,150203002,"), std::string::npos);
  EXPECT_NE(csv.find("\r\n—,150203005,昆北街道,"), std::string::npos);
}

/// Pages of `limit` rows from the top, each resuming after the cursor of the one before.
std::vector<nlohmann::json> pages_of(const service::Report& report, std::size_t limit) {
  std::vector<nlohmann::json> pages;
  ReportPage page{limit, std::nullopt};
  for (;;) {
    const ReportView view{report, domain::ReportDimension::kStreet, {}, {}, {}, page};
    pages.push_back(nlohmann::json::parse(render_report(view, ReportFormat::kJson)));
    if (pages.back()["next_cursor"].is_null() || pages.size() > 10) return pages;
    page.after = parse_ranking_cursor(pages.back()["next_cursor"].get<std::string>());
    EXPECT_TRUE(page.after.has_value()) << pages.back()["next_cursor"];
  }
}

TEST(ReportPagingTest, PagesResumeAfterTheLastRowAndTogetherListTheWholeRankingOnce) {
  const service::Report report{
      domain::period_containing(domain::ReportPeriod::kDay, std::chrono::year{2026} / 11 / 23,
                                std::chrono::minutes{480}),
      {street("150203001", 2, 1), street("150203002", 4, 2), street("150203003", 1, 1),
       street("150203004", 0, 0), street("150203005", 3, 3), street("150203006", 3, 0)}};
  const nlohmann::json whole = nlohmann::json::parse(render_report(
      ReportView{report, domain::ReportDimension::kStreet, {}, {}, {}, {}}, ReportFormat::kJson));
  ASSERT_EQ(whole["rows"].size(), 6U);
  EXPECT_EQ(whole["row_count"], 6);
  EXPECT_TRUE(whole["next_cursor"].is_null());

  const std::vector<nlohmann::json> pages = pages_of(report, 4);
  ASSERT_EQ(pages.size(), 2U);
  EXPECT_EQ(pages[0]["rows"].size(), 4U);
  EXPECT_EQ(pages[1]["rows"].size(), 2U);
  EXPECT_TRUE(pages[1]["next_cursor"].is_null());
  std::vector<nlohmann::json> rows;
  for (const nlohmann::json& page : pages) {
    EXPECT_EQ(page["row_count"], 6);
    EXPECT_EQ(page["totals"], whole["totals"]);  // the scope's, whatever the page
    for (const nlohmann::json& row : page["rows"]) rows.push_back(row);
  }
  EXPECT_EQ(nlohmann::json(rows), whole["rows"]);  // in order, ranks as on one page
  // Tied ranks stay tied across a page boundary: 003 and 005 score 100 (ranks 1, 1), 001 and
  // 002 score 60 (3, 3), the second on the next page of three.
  const std::vector<nlohmann::json> by_three = pages_of(report, 3);
  ASSERT_EQ(by_three.size(), 2U);
  EXPECT_EQ(by_three[0]["rows"][2]["key"], "150203001");
  EXPECT_EQ(by_three[0]["rows"][2]["rank"], 3);
  EXPECT_EQ(by_three[1]["rows"][0]["key"], "150203002");
  EXPECT_EQ(by_three[1]["rows"][0]["rank"], 3);
  // A page exactly at the end has no next cursor; a cursor past the last row gives no rows.
  EXPECT_TRUE(pages_of(report, 6).front()["next_cursor"].is_null());
  const ReportPage past{5, parse_ranking_cursor("-~-~999999999")};
  const nlohmann::json after_all = nlohmann::json::parse(render_report(
      ReportView{report, domain::ReportDimension::kStreet, {}, {}, {}, past}, ReportFormat::kJson));
  EXPECT_TRUE(after_all["rows"].empty());
  EXPECT_TRUE(after_all["next_cursor"].is_null());
}

TEST(ReportPagingTest, ACursorIsAScoreACompletionAndAKeyAndNothingElseParses) {
  const domain::RankingPosition position{93.72, 0.9371999999999999, "150203001001"};
  const std::string cursor = format_ranking_cursor(position);
  EXPECT_EQ(parse_ranking_cursor(cursor), position);
  const domain::RankingPosition none{std::nullopt, std::nullopt, "a~b"};
  EXPECT_EQ(format_ranking_cursor(none), "-~-~a~b");
  EXPECT_EQ(parse_ranking_cursor("-~-~a~b"), none);
  for (const char* bad : {"", "~", "~~", "1~1~", "x~1~k", "1~2~k", "101~0.5~k", "-1~0.5~k",
                          "nan~0.5~k", "inf~-~k", "1 ~0.5~k", "93.72", "93.72~0.5"}) {
    EXPECT_FALSE(parse_ranking_cursor(bad).has_value()) << bad;
  }
}

}  // namespace
}  // namespace gridcase::http
