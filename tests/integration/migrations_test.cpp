#include "migrations.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <map>
#include <pqxx/pqxx>
#include <string>
#include <vector>

#include "embedded_migrations.hpp"
#include "gridcase/domain/error.hpp"
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

/// The files under sql/functions/, in the order they apply.
std::vector<std::string> function_files() {
  std::vector<std::string> names;
  for (const auto& entry :
       std::filesystem::directory_iterator(std::string(GRIDCASE_SOURCE_DIR) + "/sql/functions")) {
    if (entry.path().extension() == ".sql") names.push_back(entry.path().filename().string());
  }
  std::sort(names.begin(), names.end());
  return names;
}

/// The migrations of 57d25cd, the last commit before the cut-over (sql/012), by their
/// sha256sum: the history an upgraded database ran. They must never change.
const std::map<std::string, std::string>& history_before_the_cut_over() {
  static const std::map<std::string, std::string> history{
      {"001_grid.sql", "f2654a116212ec06a0ff3e08ed04c5c6d281ea1129bcd8f80a116025a7b5bc8e"},
      {"002_import_helpers.sql",
       "f17ae1985cfb6a60b694c55853231c04e35a45ce6fbfffc1f3cee2cbbbe27d75"},
      {"003_cases.sql", "d0a8a473280e744cce33abf4bbe43550e2d499c992ec281458862ecc0b0984d2"},
      {"004_accounts.sql", "dcda631242e24f3810b01342a4872e6ae9ee7eb708184346d29dffe1f7126a2c"},
      {"005_cached_plans.sql", "a63cbfc0379724f06281417514803a33e358407f513243fba457c6693fe43eb3"},
      {"006_event_chain.sql", "cebb84ec522b746f37566423469892479b7fb2b4b7b17f8e4a1266ec50989184"},
      {"007_reports.sql", "51e2914684bbbdf1b033fcda7001166b004ea3691bacf6162e69d36815208f22"},
      {"008_report_indexes.sql",
       "8d5ed255443ef5f9f4b7463c01e438b07c7c23401d1f42a23b729496cadb32cc"},
      {"009_local_date.sql", "52987e36387298a1ea4de22d0caa05947af806f4082eb87137854188a0324e17"},
      {"010_in_force.sql", "da006fdabdf96a0fbaeeb2ca687974a67a4c157695ae65e3c2771ed198324477"},
      {"011_feed_replay.sql", "49417d60199c4d2229de15b3a85f3d3c03112928a597fad28c99f60dca4e496e"},
  };
  return history;
}

/// Migrates `url` as an older `gridcase migrate` left it: a ledger without checksums, then each
/// embedded migration that `ran` names, in its own transaction (apply_migrations records the
/// checksums later, as for a database migrated before the cut-over).
template <class Ran>
void migrate_as_an_older_binary(const std::string& url, Ran ran) {
  pqxx::connection connection{url};
  pqxx::work ledger{connection};
  ledger.exec0(
      "CREATE TABLE schema_migrations (name text PRIMARY KEY, "
      "applied_at timestamptz NOT NULL DEFAULT now())");
  ledger.commit();
  for (const migrations::EmbeddedFile& file : migrations::kAll) {
    if (!ran(std::string(file.name))) continue;
    pqxx::work tx{connection};
    tx.exec0(std::string(file.text));
    tx.exec_params0("INSERT INTO schema_migrations (name) VALUES ($1)", std::string(file.name));
    tx.commit();
  }
}

/// Migrates `url` as 57d25cd's `gridcase migrate` did: history_before_the_cut_over().
void migrate_as_before_the_cut_over(const std::string& url) {
  migrate_as_an_older_binary(
      url, [](const std::string& name) { return history_before_the_cut_over().contains(name); });
}

/// Every gridcase function and every trigger, each with the digest of its definition as
/// PostgreSQL prints it back.
std::string schema_code(const std::string& url) {
  return testing::query_scalar(url, R"sql(
    SELECT string_agg(object || ' ' || digest, E'\n' ORDER BY object) FROM (
      SELECT p.oid::regprocedure::text AS object, md5(pg_get_functiondef(p.oid)) AS digest
      FROM pg_proc p
      WHERE p.pronamespace = 'public'::regnamespace AND p.proname LIKE 'gridcase\_%'
      UNION ALL
      SELECT t.tgname || ' ON ' || t.tgrelid::regclass::text, md5(pg_get_triggerdef(t.oid))
      FROM pg_trigger t WHERE NOT t.tgisinternal) code)sql");
}

std::string checksum_in_ledger(const std::string& url, const std::string& name) {
  return testing::query_scalar(
      url, "SELECT coalesce(checksum, 'NULL') FROM schema_migrations WHERE name = '" + name + "'");
}

std::string embedded_text(const std::string& name) {
  for (const migrations::EmbeddedFile& file : migrations::kAll) {
    if (file.name == name) return std::string(file.text);
  }
  ADD_FAILURE() << "no embedded migration " << name;
  return {};
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

// ---- functions as files, checksums (sql/012_functions_as_files.sql) ----

TEST_F(MigrationsTest, FreshAndUpgradedDatabasesEndWithTheSameFunctionsAndTriggers) {
  const testing::ScratchDatabase fresh{options_.url, "fresh_scratch"};
  const testing::ScratchDatabase upgraded{options_.url, "upgraded_scratch"};
  apply_migrations(testing::database_options(fresh.url()));
  migrate_as_before_the_cut_over(upgraded.url());

  const std::vector<std::string> applied =
      apply_migrations(testing::database_options(upgraded.url()));

  EXPECT_EQ(applied.front(), "012_functions_as_files.sql");
  const std::string code = schema_code(fresh.url());
  EXPECT_NE(code.find("gridcase_case_json(cases,boolean,text,text,text)"), std::string::npos)
      << code;
  EXPECT_NE(code.find("case_events_announce ON case_events"), std::string::npos) << code;
  EXPECT_EQ(schema_code(upgraded.url()), code);
}

TEST_F(MigrationsTest, MigrationsBeforeTheCutOverAreTheHistoryUpgradedDatabasesRan) {
  for (const auto& [name, checksum] : history_before_the_cut_over()) {
    EXPECT_EQ(migration_checksum(embedded_text(name)), checksum) << name << " was edited";
  }
}

TEST_F(MigrationsTest, LedgerRowsWrittenBeforeTheCutOverGetTheirChecksumsOnce) {
  const testing::ScratchDatabase upgraded{options_.url, "checksums_scratch"};
  migrate_as_before_the_cut_over(upgraded.url());

  apply_migrations(testing::database_options(upgraded.url()));

  for (const std::string& name : migration_files()) {
    EXPECT_EQ(checksum_in_ledger(upgraded.url(), name), migration_checksum(embedded_text(name)))
        << name;
  }
}

// ---- compact report rows (sql/026_compact_report_snapshots.sql, 027_grid_rows_stored_once) ----

TEST_F(MigrationsTest, StoredReportRowsAreConvertedToTheCompactLayoutAndGridRowsKeptOnce) {
  const testing::ScratchDatabase upgraded{options_.url, "compact_scratch"};
  migrate_as_an_older_binary(upgraded.url(), [](const std::string& name) {
    return name < std::string("026_compact_report_snapshots.sql");
  });
  // A row as sql/007, 015 and 024 stored it: every count different, so a count moved to the
  // wrong place shows.
  testing::query_scalar(upgraded.url(), R"sql(
    INSERT INTO report_snapshots (period, first_day, end_day, scope, dimension, key, name,
      received, registered, dispatched, dispatches_kept, dispatches_suggested,
      suggestions_followed, handled, closed, closed_on_time, closed_reworked, closed_extended,
      merged, due, timer_on_time, timer_late, timer_overdue, handling_instances,
      handling_work_hours, callbacks_reached, callbacks_satisfied, backlog_by_age,
      backlog_by_light, computed_at)
    VALUES ('day', '2026-11-30', '2026-12-01', 'unit:150203-sanitation', 'cell', '150203001001001',
      '阿尔丁社区第一网格', 101, 102, 103, 104, 105, 106, 107, 108, 109, 110, 111, 112, 113,
      '{1,2,3,4,5,6,7}', '{11,12,13,14,15,16,17}', '{21,22,23,24,25,26,27}', 114, 2.5, 115, 116,
      '{31,32,33,34,35}', '{41,42,43}', now()))sql");

  // The same cell's row in the district's report, its street's and its own (sql/027 keeps the
  // district's only), and a street's sum of running days (kept: stored one scope at a time).
  testing::query_scalar(upgraded.url(), R"sql(
    INSERT INTO report_snapshots
    SELECT (jsonb_populate_record(s, jsonb_build_object('period', c.period, 'scope', c.scope))).*
    FROM report_snapshots s,
         (VALUES ('day', ''), ('day', 'grid:150203001'), ('day', 'grid:150203001001001'),
                 ('days', 'grid:150203001')) AS c(period, scope))sql");

  const std::vector<std::string> applied =
      apply_migrations(testing::database_options(upgraded.url()));

  EXPECT_EQ(applied.front(), "026_compact_report_snapshots.sql");
  EXPECT_EQ(testing::query_scalar(upgraded.url(),
                                  "SELECT string_agg(period || ' ' || scope, ', ' ORDER BY "
                                  "period, scope COLLATE \"C\") FROM report_snapshots"),
            "day , day unit:150203-sanitation, days grid:150203001");
  EXPECT_EQ(
      testing::query_scalar(upgraded.url(), R"sql(
    SELECT concat_ws(' ', period, first_day, end_day, scope, dimension, key, name, received,
                     registered, dispatched, dispatches_kept, dispatches_suggested,
                     suggestions_followed, handled, closed, closed_on_time, closed_reworked,
                     closed_extended, merged, due, handling_instances, handling_work_hours,
                     callbacks_reached, callbacks_satisfied, timers, backlog)
    FROM report_snapshots WHERE scope LIKE 'unit:%')sql"),
      "day 2026-11-30 2026-12-01 unit:150203-sanitation cell 150203001001001 阿尔丁社区第一网格 "
      "101 102 103 104 105 106 107 108 109 110 111 112 113 114 2.5 115 116 "
      "{1,11,21,2,12,22,3,13,23,4,14,24,5,15,25,6,16,26,7,17,27} "
      "{31,32,33,34,35,41,42,43}");
  EXPECT_EQ(testing::query_scalar(upgraded.url(), R"sql(
    SELECT string_agg(attname || ' ' || format_type(atttypid, atttypmod), ', ' ORDER BY attnum)
    FROM pg_attribute
    WHERE attrelid = 'report_snapshots'::regclass AND attnum > 0 AND NOT attisdropped
      AND (attname IN ('received', 'timers', 'backlog') OR attname LIKE 'computed%'))sql"),
            "received integer, timers integer[], backlog integer[]");
  EXPECT_EQ(testing::query_scalar(upgraded.url(), R"sql(
    SELECT pg_get_constraintdef(oid) FROM pg_constraint
    WHERE conrelid = 'report_snapshots'::regclass AND contype = 'p')sql"),
            "PRIMARY KEY (period, first_day, end_day, scope, dimension, key)");
}

TEST_F(MigrationsTest, ChecksumIsTheSha256OfTheFileTextInHex) {
  EXPECT_EQ(migration_checksum("abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

TEST_F(MigrationsTest, EditedAppliedMigrationIsRefusedNamingTheFile) {
  const testing::ScratchDatabase scratch{options_.url, "edited_scratch"};
  const DatabaseOptions options = testing::database_options(scratch.url());
  apply_migrations(options);
  // What the ledger holds of 003 is now another text's checksum: as if the file had been edited
  // after this database applied it.
  testing::query_scalar(scratch.url(), "UPDATE schema_migrations SET checksum = '" +
                                           migration_checksum("an earlier text") +
                                           "' WHERE name = '003_cases.sql'");

  try {
    apply_migrations(options);
    FAIL() << "no exception";
  } catch (const domain::Error& error) {
    const std::string message = error.what();
    EXPECT_NE(message.find("sql/003_cases.sql"), std::string::npos) << message;
    EXPECT_NE(message.find("an applied migration must not be edited"), std::string::npos)
        << message;
    EXPECT_NE(message.find("new migration"), std::string::npos) << message;
  }
}

TEST_F(MigrationsTest, RefusedRunChangesNoFunction) {
  const testing::ScratchDatabase scratch{options_.url, "refused_scratch"};
  const DatabaseOptions options = testing::database_options(scratch.url());
  apply_migrations(options);
  testing::query_scalar(scratch.url(),
                        "CREATE OR REPLACE FUNCTION gridcase_iso(at timestamptz) RETURNS text "
                        "LANGUAGE sql IMMUTABLE AS $$ SELECT 'changed by hand' $$");
  testing::query_scalar(scratch.url(),
                        "UPDATE schema_migrations SET checksum = repeat('0', 64) WHERE name = "
                        "'001_grid.sql'");

  EXPECT_THROW(apply_migrations(options), domain::Error);

  EXPECT_EQ(testing::query_scalar(scratch.url(), "SELECT gridcase_iso(now())"), "changed by hand");
}

TEST_F(MigrationsTest, EveryMigrateAppliesTheFunctionFilesAgain) {
  apply_migrations(options_);
  testing::query_scalar(options_.url,
                        "CREATE OR REPLACE FUNCTION gridcase_iso(at timestamptz) RETURNS text "
                        "LANGUAGE sql IMMUTABLE AS $$ SELECT 'changed by hand' $$");

  const std::vector<std::string> applied = apply_migrations(options_);

  EXPECT_TRUE(applied.empty());
  EXPECT_EQ(testing::query_scalar(options_.url,
                                  "SELECT gridcase_iso('2026-11-23 02:00:00.5+00'::timestamptz)"),
            "2026-11-23T02:00:00.500Z");
}

TEST_F(MigrationsTest, EveryGridcaseFunctionIsDefinedByAFileNamedAfterIt) {
  apply_migrations(options_);
  pqxx::connection connection{options_.url};
  pqxx::read_transaction tx{connection};

  EXPECT_TRUE(functions_without_a_file(tx).empty());
  for (const std::string& file : function_files()) {
    const std::string function =
        file.substr(file.find('_') + 1, file.rfind('.') - file.find('_') - 1);
    EXPECT_EQ(tx.exec_params1("SELECT count(*) > 0 FROM pg_proc WHERE proname = $1", function)[0]
                  .as<bool>(),
              true)
        << file << " is not named after the function it defines";
  }
}

TEST_F(MigrationsTest, FunctionLeftWithoutAFileIsNamed) {
  const testing::ScratchDatabase scratch{options_.url, "stale_scratch"};
  apply_migrations(testing::database_options(scratch.url()));
  testing::query_scalar(scratch.url(),
                        "CREATE FUNCTION gridcase_left_behind() RETURNS int LANGUAGE sql AS "
                        "$$ SELECT 1 $$");
  pqxx::connection connection{scratch.url()};
  pqxx::read_transaction tx{connection};

  EXPECT_EQ(functions_without_a_file(tx), std::vector<std::string>{"gridcase_left_behind"});
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
