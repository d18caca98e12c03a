#include "pg_retention_repository.hpp"

#include <pqxx/pqxx>

#include "pg_values.hpp"

namespace gridcase::storage {
namespace {

// One erasure run at a time across every server process (the scheduler's lock is 7301946208,
// the nightly report's 7301946209).
constexpr const char* kTryLock = "SELECT pg_try_advisory_xact_lock(7301946218)";

// Cases an action holds are skipped: their turn comes with the next run. The partial index
// cases_reporter_kept_idx (sql/017_admin_audit.sql) holds exactly the candidates.
constexpr const char* kReportersDue = R"sql(
  SELECT case_no FROM cases
  WHERE closed_at IS NOT NULL AND (reporter_name IS NOT NULL OR reporter_phone IS NOT NULL)
    AND closed_at < to_timestamp($1::bigint / 1000.0)
  ORDER BY closed_at, id
  LIMIT $2::int
  FOR UPDATE SKIP LOCKED)sql";

constexpr const char* kEraseReporter =
    "UPDATE cases SET reporter_name = NULL, reporter_phone = NULL WHERE case_no = $1";

}  // namespace

bool PgRetentionRepository::try_lock() { return tx_.exec1(kTryLock)[0].as<bool>(); }

std::vector<std::string> PgRetentionRepository::reporters_due(domain::Timestamp closed_before,
                                                              int limit) {
  std::vector<std::string> case_numbers;
  for (const pqxx::row& row : tx_.exec_params(kReportersDue, epoch_ms(closed_before), limit)) {
    case_numbers.push_back(row[0].as<std::string>());
  }
  return case_numbers;
}

void PgRetentionRepository::erase_reporter(const std::string& case_no) {
  tx_.exec_params0(kEraseReporter, case_no);
}

}  // namespace gridcase::storage
