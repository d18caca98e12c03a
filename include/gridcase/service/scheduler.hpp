#pragma once

#include <boost/asio/awaitable.hpp>
#include <chrono>
#include <string>
#include <vector>

#include "gridcase/domain/case.hpp"
#include "gridcase/domain/clock.hpp"
#include "gridcase/service/calendar_cache.hpp"
#include "gridcase/service/case_service.hpp"
#include "gridcase/service/transaction_runner.hpp"

namespace gridcase::service {

struct SchedulerOptions {
  bool enabled = true;
  std::chrono::milliseconds interval{1000};  // between the end of one tick and the next
  /// Rows each step of a tick takes at most: a backlog is worked off over several ticks.
  int batch_limit = 1000;
};

/// What one tick did.
struct TickReport {
  bool ran = false;   // false: another process's tick held the lock, so this one did nothing
  int overdue = 0;    // `overdue` events appended
  int escalated = 0;  // `escalated` events appended
  int resumed = 0;    // suspended cases resumed
  int purged = 0;     // stored Idempotency-Key outcomes deleted: housekeeping, not case work
  /// Suspended cases the rules refused to resume ("<case no>: <reason>"), tried again next tick.
  std::vector<std::string> refused;

  bool did_anything() const { return overdue + escalated + resumed > 0 || !refused.empty(); }
};

/// How long an Idempotency-Key's outcome replays (api.md Writes); the tick deletes older ones.
inline constexpr std::chrono::hours kIdempotencyKeyLifetime{24};

/// The `system` actor: the scheduler's resumes and events are recorded in its name.
domain::Actor system_actor();

/// The system's own work on time limits (domain.md §7): `overdue` events for stage timers past
/// their deadline, `escalated` events for red handling timers (level 1 at the deadline, level 2
/// at twice the limit), the resume of suspended cases at their `until`, and the purge of
/// Idempotency-Key outcomes past their 24 hours. Every server process
/// ticks; a transaction-scoped advisory lock lets one of them do each tick's work.
class Scheduler {
 public:
  /// `cases` provides the action path shared with CaseService::act.
  Scheduler(TransactionRunner& transactions, const CaseService& cases, CalendarCache& calendar,
            const domain::Clock& clock, SchedulerOptions options);

  /// One tick in one transaction, at the clock's current time. Throws domain::Error
  /// (kUnavailable while the database is unreachable, kConflict when a concurrent change won).
  boost::asio::awaitable<TickReport> tick() const;

  const SchedulerOptions& options() const { return options_; }

 private:
  TransactionRunner& transactions_;
  const CaseService& cases_;
  CalendarCache& calendar_;
  const domain::Clock& clock_;
  const SchedulerOptions options_;
};

}  // namespace gridcase::service
