#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <optional>
#include <pqxx/pqxx>
#include <set>
#include <sstream>
#include <thread>

#include "gridcase/domain/report.hpp"
#include "support/case_http.hpp"
#include "support/demo_server.hpp"
#include "support/eventually.hpp"
#include "support/server_process.hpp"
#include "support/test_database.hpp"

namespace gridcase::testing {
namespace {

using nlohmann::json;

/// Today in Beijing, as the server's reports count it.
std::string beijing_today() {
  const auto now = std::chrono::system_clock::now() + std::chrono::hours{8};
  return domain::format_iso_date(
      std::chrono::year_month_day{std::chrono::floor<std::chrono::days>(now)});
}

class ReportApiTest : public DemoServerTest {
 protected:
  void SetUp() override {
    DemoServerTest::SetUp();
    if (!case_no_.empty()) return;
    case_no_ = create_registered_case(port());
  }

  static std::string target(const std::string& query) {
    return "/api/v1/reports?date=" + beijing_today() + query;
  }

  static HttpResponse get_report(const std::string& query, std::string_view role = "shift_leader",
                                 const HttpHeaders& extra = {}) {
    HttpHeaders headers = auth_headers(role);
    headers.insert(headers.end(), extra.begin(), extra.end());
    return http_request(port(), "GET", target(query), {}, headers);
  }

  static std::string street_name(const std::string& code) {
    const json node = json_of(get_as(port(), "/api/v1/grid/" + code));
    return node.is_object() ? node.value("name", "") : "";
  }

  static inline std::string case_no_;
};

TEST_F(ReportApiTest, JsonIsTheDefaultWithOneRankedRowPerStreet) {
  const HttpResponse response = get_report("&by=street");

  ASSERT_EQ(response.status, 200U) << response.body;
  EXPECT_EQ(response.header("Content-Type"), "application/json");
  const json report = json_of(response);
  EXPECT_EQ(report.at("period"), "day");
  EXPECT_EQ(report.at("first_day"), beijing_today());
  EXPECT_EQ(report.at("by"), "street");
  bool found = false;
  for (const json& row : report.at("rows")) {
    EXPECT_EQ(row.at("key").get<std::string>().size(), 9U);
    if (row.at("key") == kDemoPlace.street) {
      found = true;
      EXPECT_GE(row.at("received").get<int>(), 1);
      EXPECT_TRUE(row.at("completion_rate").is_null() || row.at("completion_rate").is_number());
    }
  }
  EXPECT_TRUE(found);
  EXPECT_GE(report.at("totals").at("registered").get<int>(), 1);
}

TEST_F(ReportApiTest, CsvByAcceptHeaderHasAByteOrderMarkAndChineseNamesIntact) {
  const HttpResponse response = get_report("&by=street", "shift_leader", {{"Accept", "text/csv"}});

  ASSERT_EQ(response.status, 200U) << response.body;
  EXPECT_EQ(response.header("Content-Type"), "text/csv; charset=utf-8");
  EXPECT_EQ(response.body.substr(0, 3), "\xEF\xBB\xBF");
  EXPECT_NE(response.body.find("结案率 completion"), std::string::npos);
  EXPECT_NE(response.body.find("\r\n"), std::string::npos);
  const std::string name = street_name(kDemoPlace.street);
  ASSERT_FALSE(name.empty());
  EXPECT_NE(response.body.find(name), std::string::npos);
}

TEST_F(ReportApiTest, HtmlBulletinHasChartsTablesAndNoExternalAssets) {
  const HttpResponse response = get_report("&by=community&format=html");

  ASSERT_EQ(response.status, 200U) << response.body;
  EXPECT_EQ(response.header("Content-Type"), "text/html; charset=utf-8");
  EXPECT_EQ(response.body.rfind("<!DOCTYPE html>", 0), 0U);
  const std::size_t bars = response.body.find("<svg");
  ASSERT_NE(bars, std::string::npos);
  EXPECT_NE(response.body.find("<svg", bars + 1), std::string::npos);  // the trend
  EXPECT_NE(response.body.find("近30日结案率"), std::string::npos);
  EXPECT_NE(response.body.find("<table>"), std::string::npos);
  for (const char* external : {"<script", "<link", "<img", "src=", "url("}) {
    EXPECT_EQ(response.body.find(external), std::string::npos) << external;
  }
}

TEST_F(ReportApiTest, SupervisorSeesOnlyTheirStreet) {
  const HttpResponse own = get_report("&by=street", "supervisor");
  const HttpResponse elsewhere =
      get_report("&grid=" + std::string(other_demo_place(port()).street), "supervisor");

  ASSERT_EQ(own.status, 200U) << own.body;
  const json report = json_of(own);
  for (const json& row : report.at("rows")) EXPECT_EQ(row.at("key"), kDemoPlace.street);
  EXPECT_TRUE(is_problem(elsewhere, 404));
}

TEST_F(ReportApiTest, IntegrationMayNotReadReports) {
  EXPECT_TRUE(is_problem(get_report("", "integration"), 403));
}

TEST_F(ReportApiTest, BadParametersAreClearClientErrors) {
  EXPECT_TRUE(is_problem(get_report("&period=year"), 422));
  EXPECT_TRUE(is_problem(get_report("&by=road"), 422));
  EXPECT_TRUE(is_problem(get_report("&format=pdf"), 422));
  EXPECT_TRUE(is_problem(get_report("&grid=12"), 422));
  EXPECT_TRUE(is_problem(get_report("&colour=red"), 400));
  EXPECT_TRUE(is_problem(get_as(port(), "/api/v1/reports?date=2026-02-30"), 422));
  EXPECT_TRUE(is_problem(get_as(port(), "/api/v1/reports?date=30.11.2026"), 400));
  EXPECT_TRUE(is_problem(get_as(port(), "/api/v1/reports"), 400));
}

/// A ranking of the demo's 4,556 cells comes in pages (200 rows unless `limit` says fewer), each
/// resuming after the previous page's cursor; together they are the whole ranking, once, in
/// order, and as many rows as the CSV, which is never paged.
TEST_F(ReportApiTest, ARankingComesInPagesThatTogetherListEveryRowOnceAndCsvIsWhole) {
  std::vector<std::string> keys;
  std::set<std::string> distinct;
  std::optional<long long> row_count;
  std::string cursor;
  int pages = 0;
  double last_score = 101;
  for (;;) {
    const HttpResponse page =
        get_report("&by=cell" + (cursor.empty() ? std::string() : "&cursor=" + cursor));
    ASSERT_EQ(page.status, 200U) << page.body;
    const json report = json_of(page);
    ++pages;
    ASSERT_LE(report.at("rows").size(), 200U);
    if (!row_count) row_count = report.at("row_count").get<long long>();
    EXPECT_EQ(report.at("row_count"), *row_count);
    for (const json& row : report.at("rows")) {
      const std::string key = row.at("key").get<std::string>();
      keys.push_back(key);
      distinct.insert(key);
      // Scored rows first, best first; the unscored after them.
      const double score = row.at("score").is_null() ? -1 : row.at("score").get<double>();
      EXPECT_LE(score, last_score) << key;
      last_score = score;
    }
    if (report.at("next_cursor").is_null()) break;
    ASSERT_EQ(report.at("rows").size(), 200U);
    cursor = report.at("next_cursor").get<std::string>();
    ASSERT_LT(pages, 100) << "the pages do not end";
  }
  ASSERT_TRUE(row_count.has_value());
  EXPECT_GE(*row_count, 4556);  // every cell of the demo district, with or without cases
  EXPECT_EQ(static_cast<long long>(keys.size()), *row_count);
  EXPECT_EQ(distinct.size(), keys.size());
  EXPECT_EQ(pages, static_cast<int>((*row_count + 199) / 200));

  const json first_ten = json_of(get_report("&by=cell&limit=10"));
  ASSERT_EQ(first_ten.at("rows").size(), 10U);
  for (std::size_t i = 0; i < 10; ++i) EXPECT_EQ(first_ten.at("rows")[i].at("key"), keys[i]);

  const HttpResponse csv = get_report("&by=cell&format=csv");
  ASSERT_EQ(csv.status, 200U) << csv.body;
  std::size_t lines = 0;
  for (std::size_t at = csv.body.find("\r\n"); at != std::string::npos;
       at = csv.body.find("\r\n", at + 2)) {
    ++lines;
  }
  EXPECT_EQ(static_cast<long long>(lines), *row_count + 1);  // and the header
}

TEST_F(ReportApiTest, APageThatCannotBeIsAProblemNamingItsParameter) {
  for (const char* query :
       {"&limit=0", "&limit=201", "&limit=-1", "&cursor=abc", "&cursor=101~0.5~x",
        "&format=csv&limit=10", "&format=html&cursor=-~-~x"}) {
    const HttpResponse response = get_report(std::string("&by=cell") + query);
    EXPECT_TRUE(is_problem(response, 422)) << query << ": " << response.body;
    const std::string named =
        std::string(query).find("limit") != std::string::npos ? "limit" : "cursor";
    EXPECT_NE(response.body.find("\"" + named + "\""), std::string::npos) << query << response.body;
  }
  EXPECT_TRUE(is_problem(get_report("&by=cell&limit=ten"), 400));
}

TEST_F(ReportApiTest, DatesOutOfReachAreClientErrorsForEveryAccount) {
  for (const char* role : {"admin", "shift_leader", "supervisor", "unit", "officer"}) {
    for (const char* date : {"0000-01-01", "1970-02-01", "9999-12-31"}) {
      const HttpResponse day = http_request(
          port(), "GET", std::string("/api/v1/reports?date=") + date, {}, auth_headers(role));
      const HttpResponse bulletin = http_request(
          port(), "GET", std::string("/api/v1/reports?period=month&format=html&date=") + date, {},
          auth_headers(role));
      EXPECT_TRUE(is_problem(day, 422)) << role << " " << date << ": " << day.body;
      EXPECT_TRUE(is_problem(bulletin, 422)) << role << " " << date << ": " << bulletin.body;
      EXPECT_NE(day.body.find("\"date\""), std::string::npos) << day.body;
    }
  }
}

TEST_F(ReportApiTest, TheBulletinCarriesAStrictContentSecurityPolicy) {
  const HttpResponse bulletin = get_report("&period=month&format=html", "supervisor");
  const HttpResponse csv = get_report("&format=csv", "supervisor");

  ASSERT_EQ(bulletin.status, 200U) << bulletin.body;
  const std::string policy = bulletin.header("Content-Security-Policy").value_or("");
  EXPECT_EQ(policy.rfind("default-src 'none'; style-src 'sha256-", 0), 0U) << policy;
  EXPECT_EQ(policy.find("unsafe"), std::string::npos) << policy;
  EXPECT_NE(policy.find("frame-ancestors 'none'"), std::string::npos) << policy;
  EXPECT_EQ(csv.status, 200U);
}

TEST_F(ReportApiTest, ARunningMonthIsReadAgainWithTheSameFiguresAndCountsANewCaseAtOnce) {
  // The cases of this run are all today's (the end-to-end database starts empty), so a running
  // month is today's day, for every scope; read twice it is the same, and a new case counts in
  // the next read (today's facts are read again once an event is committed).
  for (const char* role : {"shift_leader", "supervisor", "unit"}) {
    const HttpResponse first = get_report("&period=month&by=community", role);
    const HttpResponse again = get_report("&period=month&by=community", role);
    const HttpResponse day = get_report("&period=day&by=community", role);
    ASSERT_EQ(first.status, 200U) << role << ": " << first.body;
    ASSERT_EQ(again.status, 200U) << role << ": " << again.body;
    ASSERT_EQ(day.status, 200U) << role << ": " << day.body;
    EXPECT_EQ(json_of(first).at("totals"), json_of(again).at("totals")) << role;
    EXPECT_EQ(json_of(first).at("totals"), json_of(day).at("totals")) << role;
    EXPECT_EQ(json_of(first).at("period"), "month");
  }
  const json before = json_of(get_report("&period=month&by=community"));
  create_registered_case(port());
  const json after = json_of(get_report("&period=month&by=community"));
  EXPECT_EQ(after.at("totals").at("received").get<long long>(),
            before.at("totals").at("received").get<long long>() + 1)
      << before.at("totals") << " then " << after.at("totals");
  // A running period says when its figures were counted (a finished one: null, ReportTest).
  ASSERT_TRUE(after.at("as_of").is_string()) << after.dump();
  EXPECT_GT(after.at("as_of").get<std::string>(), before.at("as_of").get<std::string>());
}

/// A server answering a running period from today's facts read up to a minute ago
/// (reports.live_max_age_seconds 60, as config/gridcase.json ships).
TEST(ReportMaxAgeApiTest, ANewCaseCountsOnceTheReadItsNextRequestStartedHasEnded) {
  const std::string config = "/tmp/gridcase-max-age-" + std::to_string(::getpid()) + ".json";
  std::ofstream{config} << R"({"reports": {"live_max_age_seconds": 60}})";
  ServerProcess server{e2e_database_url(), {}, std::chrono::seconds{60}, config};
  std::remove(config.c_str());
  const auto month = [&server] {
    const HttpResponse response =
        get_as(server.port(), "/api/v1/reports?period=month&by=street&date=" + beijing_today(),
               "shift_leader");
    EXPECT_EQ(response.status, 200U) << response.body;
    return json_of(response);
  };
  const json before = month();
  const long long counted = before.at("totals").at("received").get<long long>();
  create_registered_case(server.port());

  // The next request is answered at once, from the read before the case or (if its own read was
  // quick) after it, and starts a newer read: the case counts within a moment.
  const json next = month();
  const long long next_counted = next.at("totals").at("received").get<long long>();
  EXPECT_TRUE(next_counted == counted || next_counted == counted + 1) << next.at("totals");
  json latest;
  EXPECT_TRUE(eventually(
      [&] {
        latest = month();
        return latest.at("totals").at("received").get<long long>() == counted + 1;
      },
      std::chrono::seconds{20}, "the new case counts"));
  EXPECT_GT(latest.at("as_of").get<std::string>(), before.at("as_of").get<std::string>());

  // Stopped while the read a request started after a new case still runs in the background (it
  // waits for the timers' table, locked here for a second): the server waits for it and exits
  // cleanly. It once stopped at once and freed the report service under that read.
  create_registered_case(server.port());
  pqxx::connection locker{e2e_database_url()};
  pqxx::work holding{locker};
  holding.exec0("LOCK TABLE case_timers IN ACCESS EXCLUSIVE MODE");
  month();  // answered from the facts before the case, which reads no timer
  std::thread releasing{[&holding] {
    std::this_thread::sleep_for(std::chrono::seconds{1});
    holding.abort();
  }};
  EXPECT_EQ(server.terminate(std::chrono::seconds{15}), 0);
  releasing.join();
}

/// `gridcase report ARGS` on the end-to-end database; its exit code.
int run_report_command(const std::string& args) {
  const std::string command = "GRIDCASE_DATABASE_URL='" + e2e_database_url() +
                              "' GRIDCASE_LOG_LEVEL=warn " GRIDCASE_BINARY " report " + args;
  const int status = std::system(command.c_str());
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

TEST(ReportCommandTest, WritesADaysCsvToAFile) {
  const std::filesystem::path out = std::filesystem::temp_directory_path() /
                                    ("gridcase-report-" + std::to_string(getpid()) + ".csv");

  // Today: a day before the district's first case is refused (issue 12), and the end-to-end
  // database holds the cases of this run only.
  const int exit_code = run_report_command("--date " + beijing_today() +
                                           " --by community --format csv --out " + out.string());

  std::ifstream file{out, std::ios::binary};
  std::stringstream text;
  text << file.rdbuf();
  std::filesystem::remove(out);
  EXPECT_EQ(exit_code, 0);
  EXPECT_EQ(text.str().substr(0, 3), "\xEF\xBB\xBF");
  EXPECT_NE(text.str().find("结案率 completion"), std::string::npos);
}

TEST(ReportCommandTest, RefusesAnUnknownPeriodOrAMissingDate) {
  EXPECT_EQ(run_report_command("--date 2026-11-23 --period year"), 64);
  EXPECT_EQ(run_report_command("--by street"), 64);
}

}  // namespace
}  // namespace gridcase::testing
