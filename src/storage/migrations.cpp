#include "migrations.hpp"

#include <spdlog/spdlog.h>

#include <pqxx/pqxx>
#include <pqxx/transaction>
#include <set>

#include "connection_pool.hpp"
#include "embedded_migrations.hpp"
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
constexpr const char* kApplied = "SELECT name FROM schema_migrations";
constexpr const char* kRecord = "INSERT INTO schema_migrations (name) VALUES ($1)";
// Two `gridcase migrate` runs at once must not both apply the same file.
constexpr const char* kLock = "SELECT pg_advisory_lock(7301946207)";
constexpr const char* kUnlock = "SELECT pg_advisory_unlock(7301946207)";

std::set<std::string> applied_names(pqxx::transaction_base& tx) {
  std::set<std::string> names;
  if (!tx.exec1(kLedgerExists)[0].as<bool>()) return names;
  for (const pqxx::row& row : tx.exec(kApplied)) names.insert(row[0].as<std::string>());
  return names;
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

std::vector<std::string> pending_migrations(pqxx::transaction_base& tx) {
  const std::set<std::string> applied = applied_names(tx);
  std::vector<std::string> pending;
  for (const migrations::EmbeddedFile& file : migrations::kAll) {
    if (!applied.contains(std::string(file.name))) pending.emplace_back(file.name);
  }
  return pending;
}

std::vector<std::string> pending_migrations(const DatabaseOptions& options) {
  return with_connection(options, [](pqxx::connection& connection) {
    pqxx::nontransaction tx{connection};
    return pending_migrations(tx);
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
    const std::set<std::string> applied = applied_names(session);
    session.commit();
    std::vector<std::string> done;
    for (const migrations::EmbeddedFile& file : migrations::kAll) {
      const std::string name{file.name};
      if (applied.contains(name)) continue;
      pqxx::work tx{connection};
      tx.exec(std::string(file.text));
      tx.exec_params0(kRecord, name);
      tx.commit();
      spdlog::info("applied migration {}", name);
      done.push_back(name);
    }
    pqxx::nontransaction unlock{connection};
    unlock.exec(kUnlock);
    unlock.commit();
    return done;
  });
}

}  // namespace gridcase::storage
