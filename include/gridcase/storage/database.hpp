#pragma once

#include <chrono>
#include <cstddef>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "gridcase/domain/clock.hpp"
#include "gridcase/service/transaction_runner.hpp"

namespace gridcase::storage {

struct DatabaseOptions {
  std::string url = "postgresql:///gridcase";
  std::size_t pool_size = 8;  // also the number of database threads
  std::chrono::milliseconds statement_timeout{5000};
  /// A report's reads (a period's whole history) run under their own, longer timeout; 0: none.
  std::chrono::milliseconds report_statement_timeout{120000};
  std::chrono::seconds connect_timeout{2};
  /// After a failed connect, requests fail fast (503) for this long before the next attempt.
  std::chrono::milliseconds reconnect_backoff{500};
};

struct PoolStats {
  std::size_t size = 0;
  std::size_t in_use = 0;
  std::size_t open = 0;
  bool reachable = false;
  std::string last_error;
};

/// The database: a connection pool and its own threads behind the TransactionRunner port.
class Database : public service::TransactionRunner {
 public:
  virtual PoolStats stats() const = 0;
  /// Waits for in-flight work and joins the database threads.
  virtual void stop() = 0;
};

/// Never throws for an unreachable database: connections are opened lazily.
std::unique_ptr<Database> open_database(const DatabaseOptions& options);

/// Applies the migrations the binary carries that the database has not, in order, then every
/// function file (sql/functions/), in one transaction under an advisory lock. Returns the
/// migrations applied (empty when up to date). Throws domain::Error, kConflict naming the file
/// when an applied migration's text changed since.
std::vector<std::string> apply_migrations(const DatabaseOptions& options);

/// The migrations not yet applied. Throws domain::Error (kUnavailable) when unreachable.
std::vector<std::string> pending_migrations(const DatabaseOptions& options);

/// How far the database server's clock is ahead of `clock` (negative: behind): PostgreSQL's
/// clock_timestamp() less `clock` at the middle of the round trip, so off by at most half of it.
/// Throws domain::Error (kUnavailable when the database cannot be reached).
std::chrono::milliseconds database_clock_offset(const DatabaseOptions& options,
                                                const domain::Clock& clock);

/// What `gridcase verify-events` found (sql/006_event_chain.sql).
struct EventChainReport {
  long long events_checked = 0;
  std::optional<long long> broken_event;  // the first event whose hash does not match
  std::string broken_case_no;
};

/// Checks every case event's hash against its fields and its predecessor's hash, without a
/// statement timeout. Throws domain::Error.
EventChainReport verify_event_chain(const DatabaseOptions& options);

}  // namespace gridcase::storage
