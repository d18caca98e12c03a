#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace gridcase::domain {

/// How a time limit is counted (domain.md §7).
enum class LimitUnit {
  kUrgentHour,  // wall-clock hours, day and night
  kWorkHour,    // hours inside the calendar's working periods
  kWorkDay,     // the length of a full working day, counted in work hours
  kNaturalDay,  // 24 wall-clock hours, calendar ignored
};

inline constexpr LimitUnit kAllLimitUnits[] = {LimitUnit::kUrgentHour, LimitUnit::kWorkHour,
                                               LimitUnit::kWorkDay, LimitUnit::kNaturalDay};

std::string_view to_string(LimitUnit unit);
std::optional<LimitUnit> parse_limit_unit(std::string_view text);

struct TimeLimit {
  int value = 0;
  LimitUnit unit = LimitUnit::kWorkHour;
  friend bool operator==(const TimeLimit&, const TimeLimit&) = default;
};

}  // namespace gridcase::domain
