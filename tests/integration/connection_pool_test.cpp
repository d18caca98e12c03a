#include <gtest/gtest.h>

#include <chrono>
#include <future>
#include <thread>
#include <vector>

#include "gridcase/domain/access.hpp"
#include "gridcase/service/catalog_service.hpp"
#include "gridcase/service/health_service.hpp"
#include "gridcase/storage/database.hpp"
#include "support/run_sync.hpp"
#include "support/test_database.hpp"

namespace gridcase::storage {
namespace {

using domain::Error;
using domain::ErrorCode;
using std::chrono::steady_clock;

/// Nothing listens on port 1: connecting is refused at once.
constexpr const char* kUnreachableUrl = "postgresql://gridcase@127.0.0.1:1/gridcase";

/// One database round trip through the pool: the unit list.
void query_units(Database& database) {
  service::CatalogService catalog{database};
  testing::run_sync(catalog.units(domain::command_line_actor()));
}

/// The code of the error `query_units` throws, or nullopt when it succeeds.
std::optional<ErrorCode> failure_of_query(Database& database) {
  try {
    query_units(database);
    return std::nullopt;
  } catch (const Error& error) {
    return error.code();
  }
}

/// How a query that waits on a lock ends: its error code, or nullopt when it succeeded. When
/// it has not ended within `patience`, the lock is released (so the query can finish) and the
/// test fails.
std::optional<ErrorCode> failure_of_query_waiting_on(Database& database, testing::TableLock& lock,
                                                     std::chrono::milliseconds patience) {
  std::future<std::optional<ErrorCode>> pending =
      std::async(std::launch::async, [&database] { return failure_of_query(database); });
  if (pending.wait_for(patience) == std::future_status::timeout) {
    lock.release();
    ADD_FAILURE() << "the query was still waiting after " << patience.count() << " ms";
  }
  return pending.get();
}

class ConnectionPoolTest : public ::testing::Test {
 protected:
  void SetUp() override {
    url_ = testing::test_database_url();
    apply_migrations(testing::database_options(url_));
  }

  std::string url_;
};

TEST_F(ConnectionPoolTest, UnreachableDatabaseIsUnavailableWithinThreeSeconds) {
  const std::unique_ptr<Database> database =
      open_database(testing::database_options(kUnreachableUrl));
  const steady_clock::time_point started = steady_clock::now();

  const std::optional<ErrorCode> failure = failure_of_query(*database);

  EXPECT_EQ(failure, ErrorCode::kUnavailable);
  EXPECT_LT(steady_clock::now() - started, std::chrono::seconds{3});
}

TEST_F(ConnectionPoolTest, UnavailableErrorTellsTheClientWhenToRetry) {
  const std::unique_ptr<Database> database =
      open_database(testing::database_options(kUnreachableUrl));

  try {
    query_units(*database);
    FAIL() << "no exception";
  } catch (const Error& error) {
    EXPECT_TRUE(error.details().retry_after.has_value());
  }
}

TEST_F(ConnectionPoolTest, OpeningAnUnreachableDatabaseDoesNotThrow) {
  EXPECT_NO_THROW(open_database(testing::database_options(kUnreachableUrl)));
}

TEST_F(ConnectionPoolTest, StatsReportTheDatabaseUnreachableAfterAFailedConnect) {
  const std::unique_ptr<Database> database =
      open_database(testing::database_options(kUnreachableUrl));

  failure_of_query(*database);

  const PoolStats stats = database->stats();
  EXPECT_FALSE(stats.reachable);
  EXPECT_FALSE(stats.last_error.empty());
  EXPECT_EQ(stats.in_use, 0U);
}

TEST_F(ConnectionPoolTest, GoodDatabaseWorksAfterAnUnreachableOneFailed) {
  const std::unique_ptr<Database> unreachable =
      open_database(testing::database_options(kUnreachableUrl));
  failure_of_query(*unreachable);

  const std::unique_ptr<Database> database = open_database(testing::database_options(url_));

  EXPECT_EQ(failure_of_query(*database), std::nullopt);
  EXPECT_TRUE(database->stats().reachable);
}

TEST_F(ConnectionPoolTest, ConnectionIsReusedAcrossRequests) {
  const std::unique_ptr<Database> database = open_database(testing::database_options(url_));

  for (int i = 0; i < 5; ++i) query_units(*database);

  EXPECT_EQ(database->stats().open, 1U);
  EXPECT_EQ(database->stats().in_use, 0U);
}

TEST_F(ConnectionPoolTest, PoolRecoversAfterItsConnectionsAreTerminated) {
  DatabaseOptions options = testing::database_options(url_);
  options.pool_size = 1;
  const std::unique_ptr<Database> database = open_database(options);
  query_units(*database);
  ASSERT_GE(testing::terminate_gridcase_sessions(url_), 1);

  // The lost connection may be noticed by the first request (503), never by a second one.
  const std::optional<ErrorCode> first = failure_of_query(*database);
  const std::optional<ErrorCode> second = failure_of_query(*database);

  EXPECT_TRUE(first == std::nullopt || first == ErrorCode::kUnavailable);
  EXPECT_EQ(second, std::nullopt);
  EXPECT_TRUE(database->stats().reachable);
}

// After a failover (or a restart) every idle connection leads to the old server: the first
// request that finds its connection lost closes the others, so it alone fails (503, retried).
TEST_F(ConnectionPoolTest, ALostConnectionClosesTheIdleOnesWithIt) {
  DatabaseOptions options = testing::database_options(url_);
  options.pool_size = 3;
  const std::unique_ptr<Database> database = open_database(options);
  {
    // Three queries at once open three connections: they wait on a lock until all are leased.
    testing::TableLock lock{url_, "units"};
    std::vector<std::future<std::optional<ErrorCode>>> queries;
    for (int i = 0; i < 3; ++i) {
      queries.push_back(
          std::async(std::launch::async, [&database] { return failure_of_query(*database); }));
    }
    for (int i = 0; i < 250 && database->stats().in_use < 3; ++i) {
      std::this_thread::sleep_for(std::chrono::milliseconds{20});
    }
    lock.release();
    for (auto& query : queries) ASSERT_EQ(query.get(), std::nullopt);
  }
  ASSERT_EQ(database->stats().open, 3U);
  ASSERT_GE(testing::terminate_gridcase_sessions(url_), 3);

  const std::optional<ErrorCode> first = failure_of_query(*database);
  const std::optional<ErrorCode> second = failure_of_query(*database);
  const std::optional<ErrorCode> third = failure_of_query(*database);

  EXPECT_TRUE(first == std::nullopt || first == ErrorCode::kUnavailable);
  EXPECT_EQ(second, std::nullopt);
  EXPECT_EQ(third, std::nullopt);
}

TEST_F(ConnectionPoolTest, StatementTimeoutEndsAQueryThatWaitsTooLongWith503) {
  DatabaseOptions options = testing::database_options(url_);
  options.statement_timeout = std::chrono::milliseconds{300};
  const std::unique_ptr<Database> database = open_database(options);
  testing::TableLock lock{url_, "units"};

  const std::optional<ErrorCode> failure =
      failure_of_query_waiting_on(*database, lock, std::chrono::seconds{5});

  EXPECT_EQ(failure, ErrorCode::kUnavailable);
}

TEST_F(ConnectionPoolTest, StatementTimeoutStillAppliesAfterTheConnectionWasLostAndRestored) {
  DatabaseOptions options = testing::database_options(url_);
  options.pool_size = 1;
  options.statement_timeout = std::chrono::milliseconds{300};
  const std::unique_ptr<Database> database = open_database(options);
  query_units(*database);
  ASSERT_GE(testing::terminate_gridcase_sessions(url_), 1);
  if (failure_of_query(*database)) query_units(*database);  // the loss may cost one request
  testing::TableLock lock{url_, "units"};

  const std::optional<ErrorCode> failure =
      failure_of_query_waiting_on(*database, lock, std::chrono::seconds{5});

  EXPECT_EQ(failure, ErrorCode::kUnavailable);
}

TEST_F(ConnectionPoolTest, ReadinessIsReadyWhenMigrationsAreCurrent) {
  const std::unique_ptr<Database> database = open_database(testing::database_options(url_));
  const service::HealthService health{*database};

  const service::Readiness readiness = testing::run_sync(health.readiness());

  EXPECT_TRUE(readiness.ready) << readiness.reason;
  EXPECT_TRUE(readiness.reason.empty());
}

TEST_F(ConnectionPoolTest, ReadinessOfAnUnreachableDatabaseSaysWhyWithoutThrowing) {
  const std::unique_ptr<Database> database =
      open_database(testing::database_options(kUnreachableUrl));
  const service::HealthService health{*database};

  const service::Readiness readiness = testing::run_sync(health.readiness());

  EXPECT_FALSE(readiness.ready);
  EXPECT_NE(readiness.reason.find("database"), std::string::npos) << readiness.reason;
}

TEST_F(ConnectionPoolTest, ReadinessOfAnUnmigratedDatabaseNamesThePendingMigrations) {
  const testing::ScratchDatabase scratch{url_, "readiness_scratch"};
  const std::unique_ptr<Database> database =
      open_database(testing::database_options(scratch.url()));
  const service::HealthService health{*database};

  const service::Readiness readiness = testing::run_sync(health.readiness());

  EXPECT_FALSE(readiness.ready);
  EXPECT_NE(readiness.reason.find("001_grid.sql"), std::string::npos) << readiness.reason;
}

}  // namespace
}  // namespace gridcase::storage
