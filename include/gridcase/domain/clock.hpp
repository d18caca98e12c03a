#pragma once

#include <chrono>
#include <optional>
#include <string>

#include "gridcase/domain/time.hpp"

namespace gridcase::domain {

/// The current time, injected: the domain never reads a clock itself (tests use a fixed one).
class Clock {
 public:
  virtual ~Clock() = default;
  virtual Timestamp now() const = 0;
};

/// Case events, timers' deadlines and the scheduler's "now" take the serving process's clock, and
/// several processes write to one database: beyond this offset from PostgreSQL's clock (which the
/// database's own defaults and the other processes share through it), the event log's order and
/// the deadlines would depend on which process wrote them.
inline constexpr std::chrono::milliseconds kMaxClockOffset{1000};

/// How far this clock is behind PostgreSQL's (negative: ahead), from a reading of PostgreSQL's
/// clock taken between this clock's `before` and `after`.
std::chrono::milliseconds clock_offset(Timestamp before, Timestamp database, Timestamp after);

/// Why a process whose clock is `offset` behind PostgreSQL's (negative: ahead) may not serve,
/// or nullopt within kMaxClockOffset.
std::optional<std::string> clock_offset_problem(std::chrono::milliseconds offset);

}  // namespace gridcase::domain
