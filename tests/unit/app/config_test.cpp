#include "gridcase/app/config.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <stdexcept>

namespace gridcase::app {
namespace {

using Environment = std::map<std::string, std::string>;

/// The message parse_config throws for `text`; fails the test when it accepts it.
std::string refusal_of(const std::string& text) {
  try {
    parse_config(text, "test.json");
  } catch (const std::runtime_error& error) {
    return error.what();
  }
  ADD_FAILURE() << "accepted: " << text;
  return {};
}

std::string refusal_of_environment(const Environment& environment) {
  try {
    load_config("", environment);
  } catch (const std::runtime_error& error) {
    return error.what();
  }
  ADD_FAILURE() << "environment accepted";
  return {};
}

bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

TEST(ParseConfigTest, EmptyObjectGivesTheDefaults) {
  const Config config = parse_config("{}", "test.json");

  EXPECT_EQ(config.http.port, 8080);
  EXPECT_EQ(config.http.json_body_limit_bytes, 64U * 1024);
  EXPECT_EQ(config.http.header_limit_bytes, 8U * 1024);
  EXPECT_EQ(config.database.pool_size, 8U);
  EXPECT_EQ(config.log.level, "info");
}

TEST(ParseConfigTest, EveryKeyIsReadIntoItsTypedOption) {
  const Config config = parse_config(R"({
    "http": {"address": "0.0.0.0", "port": 0, "threads": 4, "max_connections": 100,
             "header_limit_bytes": 4096, "json_body_limit_bytes": 2048,
             "import_body_limit_bytes": 1048576, "max_json_depth": 16, "read_timeout_seconds": 3,
             "idle_timeout_seconds": 7, "write_timeout_seconds": 9, "shutdown_grace_seconds": 0,
             "access_log": false},
    "database": {"url": "postgresql://db/x", "pool_size": 3, "statement_timeout_ms": 250,
                 "connect_timeout_seconds": 1, "reconnect_backoff_ms": 0},
    "log": {"level": "debug"}})",
                                     "test.json");

  EXPECT_EQ(config.http.address, "0.0.0.0");
  EXPECT_EQ(config.http.port, 0);
  EXPECT_EQ(config.http.threads, 4);
  EXPECT_EQ(config.http.max_connections, 100U);
  EXPECT_EQ(config.http.header_limit_bytes, 4096U);
  EXPECT_EQ(config.http.json_body_limit_bytes, 2048U);
  EXPECT_EQ(config.http.import_body_limit_bytes, 1048576U);
  EXPECT_EQ(config.http.max_json_depth, 16U);
  EXPECT_EQ(config.http.read_timeout, std::chrono::seconds{3});
  EXPECT_EQ(config.http.idle_timeout, std::chrono::seconds{7});
  EXPECT_EQ(config.http.write_timeout, std::chrono::seconds{9});
  EXPECT_EQ(config.http.shutdown_grace, std::chrono::seconds{0});
  EXPECT_FALSE(config.http.access_log);
  EXPECT_EQ(config.database.url, "postgresql://db/x");
  EXPECT_EQ(config.database.pool_size, 3U);
  EXPECT_EQ(config.database.statement_timeout, std::chrono::milliseconds{250});
  EXPECT_EQ(config.database.connect_timeout, std::chrono::seconds{1});
  EXPECT_EQ(config.database.reconnect_backoff, std::chrono::milliseconds{0});
  EXPECT_EQ(config.log.level, "debug");
}

TEST(ParseConfigTest, ShippedConfigFileParses) {
  const Config config = load_config(std::string(GRIDCASE_SOURCE_DIR) + "/config/gridcase.json", {});

  EXPECT_EQ(config.http.port, 8080);
}

TEST(ParseConfigTest, UnknownKeyInASectionIsRefusedAndNamed) {
  EXPECT_TRUE(contains(refusal_of(R"({"http": {"prot": 80}})"), "http.prot"));
}

TEST(ParseConfigTest, Open311ReadsPerMinuteIsReadWithinItsRange) {
  EXPECT_EQ(
      parse_config(R"({"open311": {"reads_per_minute": 7}})", "test.json").open311.reads_per_minute,
      7);
  EXPECT_EQ(parse_config("{}", "test.json").open311.reads_per_minute, 120);
  EXPECT_TRUE(
      contains(refusal_of(R"({"open311": {"reads_per_minute": 0}})"), "open311.reads_per_minute"));
}

TEST(ParseConfigTest, UnknownSectionIsRefusedAndNamed) {
  EXPECT_TRUE(contains(refusal_of(R"({"metrics": {}})"), "metrics"));
}

TEST(ParseConfigTest, RefusalNamesTheSource) {
  EXPECT_TRUE(contains(refusal_of(R"({"log": {"colour": true}})"), "test.json"));
}

TEST(ParseConfigTest, SectionThatIsNotAnObjectIsRefused) {
  EXPECT_TRUE(contains(refusal_of(R"({"http": 8080})"), "http"));
}

TEST(ParseConfigTest, DocumentThatIsNotAJsonObjectIsRefused) {
  refusal_of("[]");
  refusal_of("{\"http\": {");
  refusal_of("");
}

TEST(ParseConfigTest, AMetricsTokenIsLongAndPrintableOrEmpty) {
  EXPECT_TRUE(contains(refusal_of_environment({{"GRIDCASE_METRICS_TOKEN", "short"}}),
                       "GRIDCASE_METRICS_TOKEN"));
  EXPECT_TRUE(contains(refusal_of(R"({"http": {"metrics_token": "sixteen chars ok"}})"),
                       "http.metrics_token"));
  EXPECT_EQ(load_config("", {{"GRIDCASE_METRICS_TOKEN", "0123456789abcdef"}}).http.metrics_token,
            "0123456789abcdef");
  EXPECT_EQ(load_config("", {}).http.metrics_token, "");
}

TEST(ParseConfigTest, PortAbove65535IsRefused) {
  EXPECT_TRUE(contains(refusal_of(R"({"http": {"port": 65536}})"), "http.port"));
}

TEST(ParseConfigTest, NegativePortIsRefused) {
  EXPECT_TRUE(contains(refusal_of(R"({"http": {"port": -1}})"), "http.port"));
}

TEST(ParseConfigTest, PortAtTheEdgesOfItsRangeIsAccepted) {
  EXPECT_EQ(parse_config(R"({"http": {"port": 65535}})", "t").http.port, 65535);
  EXPECT_EQ(parse_config(R"({"http": {"port": 0}})", "t").http.port, 0);
}

TEST(ParseConfigTest, ZeroThreadsIsRefused) {
  EXPECT_TRUE(contains(refusal_of(R"({"http": {"threads": 0}})"), "http.threads"));
}

TEST(ParseConfigTest, ZeroPoolSizeIsRefused) {
  EXPECT_TRUE(contains(refusal_of(R"({"database": {"pool_size": 0}})"), "database.pool_size"));
}

TEST(ParseConfigTest, TinyHeaderLimitIsRefused) {
  EXPECT_TRUE(
      contains(refusal_of(R"({"http": {"header_limit_bytes": 100}})"), "http.header_limit_bytes"));
}

TEST(ParseConfigTest, NumberWrittenAsTextIsRefused) {
  EXPECT_TRUE(contains(refusal_of(R"({"http": {"port": "8080"}})"), "must be an integer"));
}

TEST(ParseConfigTest, FractionalNumberIsRefused) {
  EXPECT_TRUE(contains(refusal_of(R"({"database": {"pool_size": 2.5}})"), "database.pool_size"));
}

TEST(ParseConfigTest, TextOptionGivenAsANumberIsRefused) {
  EXPECT_TRUE(contains(refusal_of(R"({"database": {"url": 5}})"), "database.url"));
}

TEST(ParseConfigTest, BooleanOptionGivenAsTextIsRefused) {
  EXPECT_TRUE(contains(refusal_of(R"({"http": {"access_log": "yes"}})"), "http.access_log"));
}

TEST(ParseConfigTest, UnknownLogLevelIsRefused) {
  EXPECT_TRUE(contains(refusal_of(R"({"log": {"level": "verbose"}})"), "log.level"));
}

TEST(LoadConfigTest, NoFileAndNoEnvironmentGivesTheDefaults) {
  const Config config = load_config("", {});

  EXPECT_EQ(config.http.port, 8080);
  EXPECT_EQ(config.database.url, storage::DatabaseOptions{}.url);
}

TEST(LoadConfigTest, UnreadableFileIsRefused) {
  EXPECT_THROW(load_config("/nonexistent/gridcase.json", {}), std::runtime_error);
}

TEST(LoadConfigTest, EnvironmentOverridesTheFile) {
  const std::filesystem::path file =
      std::filesystem::temp_directory_path() /
      ("gridcase-config-test-" + std::to_string(::getpid()) + ".json");
  std::ofstream{file} << R"({"http": {"port": 9000}, "database": {"url": "postgresql://file/db"},
                              "log": {"level": "error"}})";

  const Config config =
      load_config(file.string(), {{"GRIDCASE_DATABASE_URL", "postgresql://env/db"},
                                  {"GRIDCASE_HTTP_PORT", "9100"},
                                  {"GRIDCASE_LOG_LEVEL", "warn"}});

  std::filesystem::remove(file);
  EXPECT_EQ(config.database.url, "postgresql://env/db");
  EXPECT_EQ(config.http.port, 9100);
  EXPECT_EQ(config.log.level, "warn");
}

TEST(LoadConfigTest, DatabaseUrlFromTheEnvironmentReplacesTheDefault) {
  EXPECT_EQ(load_config("", {{"GRIDCASE_DATABASE_URL", "postgresql://x/y"}}).database.url,
            "postgresql://x/y");
}

TEST(LoadConfigTest, PortZeroFromTheEnvironmentIsAccepted) {
  EXPECT_EQ(load_config("", {{"GRIDCASE_HTTP_PORT", "0"}}).http.port, 0);
}

TEST(LoadConfigTest, PortFromTheEnvironmentThatIsNotANumberIsRefused) {
  for (const char* port : {"http", "80a", "", "-1", " 80", "8080.0"}) {
    EXPECT_TRUE(
        contains(refusal_of_environment({{"GRIDCASE_HTTP_PORT", port}}), "GRIDCASE_HTTP_PORT"))
        << "'" << port << "'";
  }
}

TEST(LoadConfigTest, PortFromTheEnvironmentAbove65535IsRefused) {
  EXPECT_TRUE(
      contains(refusal_of_environment({{"GRIDCASE_HTTP_PORT", "65536"}}), "GRIDCASE_HTTP_PORT"));
}

TEST(LoadConfigTest, UnknownLogLevelFromTheEnvironmentIsRefused) {
  EXPECT_TRUE(
      contains(refusal_of_environment({{"GRIDCASE_LOG_LEVEL", "loud"}}), "GRIDCASE_LOG_LEVEL"));
}

TEST(ReportConfigTest, DefaultsComputeAtOneInTheMorningCatchingUpThirtyOneNights) {
  const Config config = parse_config("{}", "test.json");

  EXPECT_TRUE(config.reports.enabled);
  EXPECT_EQ(config.reports.nightly_at, std::chrono::minutes{60});
  EXPECT_EQ(config.reports.catch_up_days, 31);
  EXPECT_EQ(config.reports.check_interval, std::chrono::seconds{60});
  EXPECT_EQ(config.reports.weights, domain::ScoreWeights{});
}

TEST(ReportConfigTest, ReportsSectionIsRead) {
  const Config config = parse_config(
      R"({"reports": {"enabled": false, "nightly_at": "02:30", "catch_up_days": 7,
          "check_interval_seconds": 5, "weight_completion": 50,
          "weight_on_time_completion": 30, "weight_no_rework": 20}})",
      "test.json");

  EXPECT_FALSE(config.reports.enabled);
  EXPECT_EQ(config.reports.nightly_at, std::chrono::minutes{150});
  EXPECT_EQ(config.reports.catch_up_days, 7);
  EXPECT_EQ(config.reports.check_interval, std::chrono::seconds{5});
  EXPECT_EQ(config.reports.weights,
            (domain::ScoreWeights{.completion = 50, .on_time_completion = 30, .no_rework = 20}));
}

TEST(ReportConfigTest, BadTimesWeightsAndUnknownKeysAreRefused) {
  EXPECT_TRUE(
      contains(refusal_of(R"({"reports": {"nightly_at": "24:00"}})"), "reports.nightly_at"));
  EXPECT_TRUE(contains(refusal_of(R"({"reports": {"nightly_at": "1:00"}})"), "reports.nightly_at"));
  EXPECT_TRUE(
      contains(refusal_of(R"({"reports": {"catch_up_days": 0}})"), "reports.catch_up_days"));
  EXPECT_TRUE(contains(refusal_of(R"({"reports": {"weight_completion": 50}})"), "add up to 100"));
  EXPECT_TRUE(contains(refusal_of(R"({"reports": {"at": "01:00"}})"), "reports.at"));
}

TEST(ReportConfigTest, NoAccountCanHoldEveryLiveTurnAndARequestComputesAtMost31Days) {
  const Config defaults = parse_config("{}", "test.json");
  EXPECT_LT(defaults.reports.live.per_account, defaults.reports.live.concurrent);
  EXPECT_EQ(defaults.reports.max_day_computations, 31);
  const Config config = parse_config(
      R"({"reports": {"live_concurrency": 4, "live_per_account": 3, "max_days_per_request": 7}})",
      "test.json");
  EXPECT_EQ(config.reports.live.per_account, 3);
  EXPECT_EQ(config.reports.max_day_computations, 7);

  EXPECT_TRUE(contains(refusal_of(R"({"reports": {"live_concurrency": 2, "live_per_account": 2}})"),
                       "reports.live_per_account: must be below reports.live_concurrency (2)"));
  EXPECT_TRUE(
      contains(refusal_of(R"({"reports": {"live_concurrency": 1}})"), "reports.live_per_account"));
  EXPECT_TRUE(contains(refusal_of(R"({"reports": {"max_days_per_request": 0}})"),
                       "reports.max_days_per_request"));
}

TEST(ReportConfigTest, FinishedReportsKeptInMemoryAreBoundedInRows) {
  EXPECT_EQ(parse_config("{}", "test.json").reports.cached_rows, 100000U);
  EXPECT_EQ(parse_config(R"({"reports": {"cached_rows": 0}})", "test.json").reports.cached_rows,
            0U);
  EXPECT_TRUE(contains(refusal_of(R"({"reports": {"cached_rows": -1}})"), "reports.cached_rows"));
}

TEST(RetentionConfigTest, ReportersAreKeptAYearAfterTheCaseClosesByDefault) {
  const Config config = parse_config("{}", "test.json");

  EXPECT_EQ(config.retention.reporter_days, 365);
  EXPECT_EQ(config.retention.batch_limit, 1000);
}

TEST(RetentionConfigTest, RetentionSectionIsRead) {
  const Config config =
      parse_config(R"({"retention": {"reporter_days": 0, "batch_limit": 50}})", "test.json");

  EXPECT_EQ(config.retention.reporter_days, 0);
  EXPECT_EQ(config.retention.batch_limit, 50);
}

TEST(RetentionConfigTest, BadValuesAndUnknownKeysAreRefusedAndNamed) {
  EXPECT_TRUE(contains(refusal_of(R"({"retention": {"reporter_days": -1}})"),
                       "retention.reporter_days: must be from 0 to 36500"));
  EXPECT_TRUE(contains(refusal_of(R"({"retention": {"reporter_days": "30"}})"),
                       "retention.reporter_days: must be an integer"));
  EXPECT_TRUE(
      contains(refusal_of(R"({"retention": {"batch_limit": 0}})"), "retention.batch_limit"));
  EXPECT_TRUE(contains(refusal_of(R"({"retention": {"days": 30}})"), "retention.days"));
}

TEST(TimeLimitsConfigTest, TheDefaultsAreTheDemoLimits) {
  const Config config = parse_config("{}", "test.json");

  EXPECT_EQ(config.cases.stage_limits, domain::StageLimits{});
  EXPECT_EQ(config.cases.stage_limits.of(domain::StageTimer::kCheck),
            (domain::TimeLimit{2, domain::LimitUnit::kWorkHour}));
}

TEST(TimeLimitsConfigTest, AStageLimitIsReadAndTheOthersKeepTheirDefaults) {
  const Config config = parse_config(
      R"({"cases": {"time_limits": {"check": {"value": 4, "unit": "work_day"}}}})", "test.json");

  EXPECT_EQ(config.cases.stage_limits.of(domain::StageTimer::kCheck),
            (domain::TimeLimit{4, domain::LimitUnit::kWorkDay}));
  EXPECT_EQ(config.cases.stage_limits.of(domain::StageTimer::kDispatch),
            (domain::TimeLimit{1, domain::LimitUnit::kWorkHour}));
}

TEST(TimeLimitsConfigTest, BadStageLimitsAreRefusedAndNamed) {
  EXPECT_TRUE(contains(
      refusal_of(R"({"cases": {"time_limits": {"handling": {"value": 1, "unit": "work_hour"}}}})"),
      "cases.time_limits.handling"));
  EXPECT_TRUE(contains(
      refusal_of(R"({"cases": {"time_limits": {"lunch": {"value": 1, "unit": "work_hour"}}}})"),
      "cases.time_limits.lunch"));
  EXPECT_TRUE(contains(
      refusal_of(R"({"cases": {"time_limits": {"check": {"value": 0, "unit": "work_hour"}}}})"),
      "cases.time_limits.check.value"));
  EXPECT_TRUE(contains(
      refusal_of(R"({"cases": {"time_limits": {"check": {"value": 1, "unit": "fortnight"}}}})"),
      "cases.time_limits.check.unit"));
  EXPECT_TRUE(contains(refusal_of(R"({"cases": {"time_limits": {"check": 2}}})"),
                       "cases.time_limits.check"));
  EXPECT_TRUE(contains(refusal_of(R"({"cases": {"time_limits": []}})"), "cases.time_limits"));
}

}  // namespace
}  // namespace gridcase::app
