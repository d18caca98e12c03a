#pragma once

#include <boost/asio/awaitable.hpp>
#include <string>
#include <vector>

#include "gridcase/domain/clock.hpp"
#include "gridcase/domain/time.hpp"
#include "gridcase/service/transaction_runner.hpp"

namespace gridcase::service {

struct RetentionOptions {
  /// Days a closed case keeps its reporter's name and phone after it was closed; 0: for ever.
  int reporter_days = 365;
  /// Cases erased at most per run: a backlog is worked off over several runs.
  int batch_limit = 1000;
};

/// The port of reporter erasure: the cases due and the erasure itself.
class RetentionRepository {
 public:
  virtual ~RetentionRepository() = default;
  /// One erasure run at a time across every server process (a transaction-scoped advisory
  /// lock); false when another holds it.
  virtual bool try_lock() = 0;
  /// Numbers of the cases closed before `closed_before` that still hold a reporter's name or
  /// phone, oldest closed first, at most `limit`, locked (skipping any an action holds).
  virtual std::vector<std::string> reporters_due(domain::Timestamp closed_before, int limit) = 0;
  /// Sets the case's reporter name and phone to NULL.
  virtual void erase_reporter(const std::string& case_no) = 0;
};

/// What one run erased.
struct ErasureRun {
  bool ran = false;                 // false: another process held the lock, or retention is off
  std::vector<std::string> erased;  // case numbers, oldest closed first
};

/// Reporter retention (docs/security.md, "Records a regulator will ask for"): the nightly job
/// erases the name and phone of a case's reporter `reporter_days` after the case was closed,
/// each erasure recorded in the admin audit log with actor `system` in the same transaction. The
/// case event log holds no reporter field, so its hash chain is untouched.
class ReporterRetention {
 public:
  ReporterRetention(TransactionRunner& transactions, const domain::Clock& clock,
                    RetentionOptions options)
      : transactions_(transactions), clock_(clock), options_(options) {}

  /// Erases every reporter due at the clock's time (up to batch_limit), in one transaction.
  boost::asio::awaitable<ErasureRun> erase_due() const;

  const RetentionOptions& options() const { return options_; }

 private:
  TransactionRunner& transactions_;
  const domain::Clock& clock_;
  const RetentionOptions options_;
};

}  // namespace gridcase::service
