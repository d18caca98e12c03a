#include "pg_errors.hpp"

#include <spdlog/spdlog.h>

#include <pqxx/except>

#include "gridcase/domain/error.hpp"

namespace gridcase::storage {

using domain::Error;
using domain::ErrorCode;

void rethrow_as_domain_error(bool& connection_lost) {
  try {
    throw;
  } catch (const Error&) {
    throw;
  } catch (const pqxx::in_doubt_error& error) {
    connection_lost = true;
    spdlog::error("database connection lost during commit: {}", error.what());
    throw Error(ErrorCode::kUnavailable,
                "the database connection was lost during commit; the outcome is unknown, retry "
                "with the same Idempotency-Key",
                {.retry_after = std::chrono::seconds{1}});
  } catch (const pqxx::broken_connection& error) {
    connection_lost = true;
    spdlog::warn("database connection lost: {}", error.what());
    throw Error(ErrorCode::kUnavailable, "the database is unreachable",
                {.retry_after = std::chrono::seconds{1}});
  } catch (const pqxx::unique_violation& error) {
    spdlog::info("unique violation: {}", error.what());
    throw Error(ErrorCode::kConflict, "a concurrent change won; read the resource again");
  } catch (const pqxx::transaction_rollback& error) {
    spdlog::info("transaction rolled back: {}", error.what());
    throw Error(ErrorCode::kConflict, "a concurrent change won; try again");
  } catch (const pqxx::integrity_constraint_violation& error) {
    spdlog::warn("constraint violated: {}", error.what());
    throw Error(ErrorCode::kInvalidValue, "a value refers to nothing or breaks a rule");
  } catch (const pqxx::sql_error& error) {
    const std::string& state = error.sqlstate();
    if (state == "57014") {  // query_canceled: statement_timeout
      spdlog::warn("statement timed out: {}", error.query());
      throw Error(ErrorCode::kUnavailable, "the database took too long to answer",
                  {.retry_after = std::chrono::seconds{1}});
    }
    // Shutdown, connection errors; or read_only_sql_transaction: the session's server is a
    // standby now (a primary demoted under it), so the connection must go and the next one
    // finds the new primary (target_session_attrs=read-write).
    if (state.starts_with("57P") || state.starts_with("08") || state == "25006") {
      connection_lost = true;
      spdlog::warn("database session ended: {}", error.what());
      throw Error(ErrorCode::kUnavailable, "the database is unreachable",
                  {.retry_after = std::chrono::seconds{1}});
    }
    // sequence_generator_limit_exceeded: only the daily case-number sequences have a maximum
    // (sql/functions/050_gridcase_next_case_seq.sql). Numbers stay six digits wide, so that
    // they keep their shape and sort by time as text; the day's intake stops, loudly.
    if (state == "2200H") {
      spdlog::error("case numbers used up, intake refused until the next local day: {}",
                    error.what());
      throw Error(ErrorCode::kUnavailable,
                  "no case number is left for today (999999 a day); intake resumes on the next "
                  "local day",
                  {.retry_after = std::chrono::seconds{600}});
    }
    if (state == "53100" || state == "53200") {  // disk full, out of memory
      spdlog::error("database out of resources: {}", error.what());
      throw Error(ErrorCode::kUnavailable, "the database is out of resources",
                  {.retry_after = std::chrono::seconds{5}});
    }
    spdlog::error("sql error {}: {} in: {}", state, error.what(), error.query());
    throw Error(ErrorCode::kInternal, "internal error");
  } catch (const std::exception& error) {
    spdlog::error("database error: {}", error.what());
    throw Error(ErrorCode::kInternal, "internal error");
  }
}

}  // namespace gridcase::storage
