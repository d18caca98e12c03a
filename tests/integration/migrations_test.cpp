#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <string>
#include <vector>

#include "gridcase/storage/database.hpp"
#include "support/test_database.hpp"

namespace gridcase::storage {
namespace {

/// The migration files the binary embeds, in the order they apply.
std::vector<std::string> migration_files() {
  std::vector<std::string> names;
  for (const auto& entry :
       std::filesystem::directory_iterator(std::string(GRIDCASE_SOURCE_DIR) + "/sql")) {
    if (entry.path().extension() == ".sql") names.push_back(entry.path().filename().string());
  }
  std::sort(names.begin(), names.end());
  return names;
}

class MigrationsTest : public ::testing::Test {
 protected:
  void SetUp() override { options_ = testing::database_options(testing::test_database_url()); }

  DatabaseOptions options_;
};

TEST_F(MigrationsTest, EmptyDatabaseGetsEveryMigrationInOrder) {
  const testing::ScratchDatabase scratch{options_.url, "migrations_scratch"};

  const std::vector<std::string> applied =
      apply_migrations(testing::database_options(scratch.url()));

  EXPECT_EQ(applied, migration_files());
}

TEST_F(MigrationsTest, EmptyDatabaseHasEveryMigrationPending) {
  const testing::ScratchDatabase scratch{options_.url, "pending_scratch"};

  const std::vector<std::string> pending =
      pending_migrations(testing::database_options(scratch.url()));

  EXPECT_EQ(pending, migration_files());
}

TEST_F(MigrationsTest, SecondRunAppliesNothing) {
  apply_migrations(options_);

  const std::vector<std::string> applied = apply_migrations(options_);

  EXPECT_TRUE(applied.empty());
}

TEST_F(MigrationsTest, NothingIsPendingAfterApplying) {
  apply_migrations(options_);

  EXPECT_TRUE(pending_migrations(options_).empty());
}

TEST_F(MigrationsTest, EveryAppliedMigrationIsRecordedOnce) {
  apply_migrations(options_);

  const std::string recorded = testing::query_scalar(
      options_.url, "SELECT count(DISTINCT name) || '/' || count(*) FROM schema_migrations");

  const std::string expected = std::to_string(migration_files().size());
  EXPECT_EQ(recorded, expected + "/" + expected);
}

TEST_F(MigrationsTest, PostgisAndLtreeAreInstalled) {
  apply_migrations(options_);

  EXPECT_EQ(
      testing::query_scalar(
          options_.url, "SELECT count(*) FROM pg_extension WHERE extname IN ('postgis', 'ltree')"),
      "2");
}

TEST_F(MigrationsTest, UnreachableDatabaseIsUnavailable) {
  DatabaseOptions unreachable =
      testing::database_options("postgresql://gridcase@127.0.0.1:1/nothing");

  try {
    apply_migrations(unreachable);
    FAIL() << "no exception";
  } catch (const domain::Error& error) {
    EXPECT_EQ(error.code(), domain::ErrorCode::kUnavailable);
  }
}

TEST_F(MigrationsTest, PendingMigrationsOfAnUnreachableDatabaseIsUnavailable) {
  DatabaseOptions unreachable =
      testing::database_options("postgresql://gridcase@127.0.0.1:1/nothing");

  try {
    pending_migrations(unreachable);
    FAIL() << "no exception";
  } catch (const domain::Error& error) {
    EXPECT_EQ(error.code(), domain::ErrorCode::kUnavailable);
  }
}

}  // namespace
}  // namespace gridcase::storage
