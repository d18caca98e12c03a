#include "gridcase/domain/clock.hpp"

#include <cstdlib>

namespace gridcase::domain {

std::chrono::milliseconds clock_offset(Timestamp before, Timestamp database, Timestamp after) {
  const Timestamp middle = before + (after - before) / 2;
  return std::chrono::duration_cast<std::chrono::milliseconds>(database - middle);
}

std::optional<std::string> clock_offset_problem(std::chrono::milliseconds offset) {
  if (offset <= kMaxClockOffset && offset >= -kMaxClockOffset) return std::nullopt;
  return "this machine's clock is " + std::to_string(std::abs(offset.count())) + " ms " +
         (offset.count() > 0 ? "behind" : "ahead of") + " PostgreSQL's (at most " +
         std::to_string(kMaxClockOffset.count()) +
         " ms allowed): synchronise both with NTP (docs/operations.md)";
}

}  // namespace gridcase::domain
