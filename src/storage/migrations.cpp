#include "migrations.hpp"

#include <sodium.h>
#include <spdlog/spdlog.h>

#include <map>
#include <optional>
#include <pqxx/pqxx>
#include <pqxx/transaction>
#include <set>

#include "connection_pool.hpp"
#include "embedded_functions.hpp"
#include "embedded_migrations.hpp"
#include "embedded_queries.hpp"
#include "gridcase/domain/clock.hpp"
#include "gridcase/domain/error.hpp"
#include "gridcase/storage/database.hpp"
#include "pg_errors.hpp"

namespace gridcase::storage {
namespace {

constexpr const char* kCreateLedger = R"sql(
  CREATE TABLE IF NOT EXISTS schema_migrations (
    name       text PRIMARY KEY,
    applied_at timestamptz NOT NULL DEFAULT now()
  ))sql";

constexpr const char* kLedgerExists = "SELECT to_regclass('schema_migrations') IS NOT NULL";
// sql/012_functions_as_files.sql gives the ledger its checksum column; before it, none is kept.
constexpr const char* kLedgerHasChecksums = R"sql(
  SELECT EXISTS (SELECT FROM pg_attribute WHERE attrelid = to_regclass('schema_migrations')
                   AND attname = 'checksum' AND NOT attisdropped))sql";
constexpr const char* kApplied = "SELECT name, checksum FROM schema_migrations";
constexpr const char* kAppliedBeforeChecksums = "SELECT name, NULL::text FROM schema_migrations";
constexpr const char* kRecord = "INSERT INTO schema_migrations (name) VALUES ($1)";
constexpr const char* kRecordChecksum =
    "UPDATE schema_migrations SET checksum = $2 WHERE name = $1 AND checksum IS NULL";
constexpr const char* kGridcaseFunctions = R"sql(
  SELECT DISTINCT p.proname FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
  WHERE n.nspname = current_schema() AND p.proname LIKE 'gridcase\_%' ORDER BY 1)sql";
// Two `gridcase migrate` runs at once must not both apply the same file.
constexpr const char* kLock = "SELECT pg_advisory_lock(7301946207)";
constexpr const char* kUnlock = "SELECT pg_advisory_unlock(7301946207)";

/// Applied migration → its recorded checksum (nullopt: applied before checksums were kept).
using Ledger = std::map<std::string, std::optional<std::string>, std::less<>>;

Ledger read_ledger(pqxx::transaction_base& tx) {
  Ledger ledger;
  if (!tx.exec1(kLedgerExists)[0].as<bool>()) return ledger;
  const bool has_checksums = tx.exec1(kLedgerHasChecksums)[0].as<bool>();
  for (const pqxx::row& row : tx.exec(has_checksums ? kApplied : kAppliedBeforeChecksums)) {
    std::optional<std::string> checksum;
    if (!row[1].is_null()) checksum = row[1].as<std::string>();
    ledger.emplace(row[0].as<std::string>(), std::move(checksum));
  }
  return ledger;
}

/// The database ran what the ledger recorded; a migration edited since would leave a fresh
/// database and this one different without anyone noticing.
void refuse_edited_migrations(const Ledger& ledger) {
  for (const migrations::EmbeddedFile& file : migrations::kAll) {
    const auto applied = ledger.find(file.name);
    if (applied == ledger.end() || !applied->second) continue;
    if (*applied->second != migration_checksum(file.text)) {
      throw domain::Error(
          domain::ErrorCode::kConflict,
          "sql/" + std::string(file.name) +
              " is not the text this database applied (its checksum in schema_migrations "
              "differs): an applied migration must not be edited; undo the edit and put the "
              "change in a new migration");
    }
  }
}

/// The function a file under sql/functions/ defines: its name without the order prefix.
std::string defined_function(std::string_view file_name) {
  const std::size_t underscore = file_name.find('_');
  const std::size_t dot = file_name.rfind('.');
  return std::string(file_name.substr(underscore + 1, dot - underscore - 1));
}

/// Every function file, in file-name order (dependencies first). CREATE OR REPLACE leaves a
/// function the file does not change as it was.
void apply_function_files(pqxx::transaction_base& tx) {
  for (const functions::EmbeddedFile& file : functions::kAll) tx.exec(std::string(file.text));
  for (const std::string& name : functions_without_a_file(tx)) {
    spdlog::warn(
        "function {} is defined by no file under sql/functions/: add a migration that drops it",
        name);
  }
}

template <class Work>
auto with_connection(const DatabaseOptions& options, Work work) {
  bool lost = false;
  try {
    DatabaseOptions long_running = options;
    long_running.statement_timeout = std::chrono::milliseconds{0};  // migrations may take long
    std::unique_ptr<pqxx::connection> connection = connect(long_running);
    return work(*connection);
  } catch (...) {
    rethrow_as_domain_error(lost);
  }
}

}  // namespace

std::string migration_checksum(std::string_view text) {
  static const bool ready = [] { return sodium_init() >= 0; }();
  if (!ready) throw domain::Error(domain::ErrorCode::kInternal, "libsodium failed to initialise");
  unsigned char digest[crypto_hash_sha256_BYTES];
  crypto_hash_sha256(digest, reinterpret_cast<const unsigned char*>(text.data()), text.size());
  char hex[crypto_hash_sha256_BYTES * 2 + 1];
  sodium_bin2hex(hex, sizeof hex, digest, sizeof digest);
  return hex;
}

std::vector<std::string> functions_without_a_file(pqxx::transaction_base& tx) {
  std::set<std::string, std::less<>> defined;
  for (const functions::EmbeddedFile& file : functions::kAll) {
    defined.insert(defined_function(file.name));
  }
  std::vector<std::string> stale;
  for (const pqxx::row& row : tx.exec(kGridcaseFunctions)) {
    auto name = row[0].as<std::string>();
    if (!defined.contains(name)) stale.push_back(std::move(name));
  }
  return stale;
}

std::vector<std::string> pending_migrations(pqxx::transaction_base& tx) {
  const Ledger applied = read_ledger(tx);
  std::vector<std::string> pending;
  for (const migrations::EmbeddedFile& file : migrations::kAll) {
    if (!applied.contains(file.name)) pending.emplace_back(file.name);
  }
  return pending;
}

std::vector<std::string> pending_migrations(const DatabaseOptions& options) {
  return with_connection(options, [](pqxx::connection& connection) {
    pqxx::nontransaction tx{connection};
    return pending_migrations(tx);
  });
}

std::chrono::milliseconds database_clock_offset(const DatabaseOptions& options,
                                                const domain::Clock& clock) {
  return with_connection(options, [&clock](pqxx::connection& connection) {
    pqxx::nontransaction tx{connection};
    tx.exec("SELECT 1");  // the first statement on a connection pays for more than the clock
    const domain::Timestamp before = clock.now();
    const auto database_ms = tx.exec1(std::string(queries::k_database_now))[0].as<long long>();
    const domain::Timestamp after = clock.now();
    return domain::clock_offset(before, domain::Timestamp{std::chrono::milliseconds{database_ms}},
                                after);
  });
}

EventChainReport verify_event_chain(const DatabaseOptions& options) {
  return with_connection(options, [](pqxx::connection& connection) {
    pqxx::nontransaction tx{connection};
    const pqxx::row row =
        tx.exec1("SELECT id, case_no, checked FROM gridcase_first_broken_event()");
    EventChainReport report;
    report.events_checked = row[2].as<long long>();
    if (!row[0].is_null()) {
      report.broken_event = row[0].as<long long>();
      report.broken_case_no = row[1].is_null() ? std::string() : row[1].as<std::string>();
    }
    return report;
  });
}

std::vector<std::string> apply_migrations(const DatabaseOptions& options) {
  return with_connection(options, [](pqxx::connection& connection) {
    pqxx::nontransaction session{connection};
    session.exec(kLock);
    session.exec(kCreateLedger);
    session.commit();
    // One transaction: the database never holds new tables with old functions, or half a run.
    pqxx::work tx{connection};
    const Ledger ledger = read_ledger(tx);
    refuse_edited_migrations(ledger);
    std::vector<std::string> done;
    for (const migrations::EmbeddedFile& file : migrations::kAll) {
      if (ledger.contains(file.name)) continue;
      tx.exec(std::string(file.text));
      tx.exec_params0(kRecord, std::string(file.name));
      done.emplace_back(file.name);
    }
    // After the pending migrations, so the ledger has its checksum column (sql/012).
    for (const migrations::EmbeddedFile& file : migrations::kAll) {
      const auto applied = ledger.find(file.name);
      if (applied != ledger.end() && applied->second) continue;
      if (applied != ledger.end()) {
        spdlog::info("recorded the checksum of {}, applied before checksums were kept", file.name);
      }
      tx.exec_params0(kRecordChecksum, std::string(file.name), migration_checksum(file.text));
    }
    apply_function_files(tx);
    tx.commit();
    for (const std::string& name : done) spdlog::info("applied migration {}", name);
    spdlog::info("applied {} function file(s)", functions::kAll.size());
    pqxx::nontransaction unlock{connection};
    unlock.exec(kUnlock);
    unlock.commit();
    return done;
  });
}

}  // namespace gridcase::storage
