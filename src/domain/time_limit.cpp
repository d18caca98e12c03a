#include "gridcase/domain/time_limit.hpp"

namespace gridcase::domain {

std::string_view to_string(LimitUnit unit) {
  switch (unit) {
    case LimitUnit::kUrgentHour:
      return "urgent_hour";
    case LimitUnit::kWorkHour:
      return "work_hour";
    case LimitUnit::kWorkDay:
      return "work_day";
    case LimitUnit::kNaturalDay:
      return "natural_day";
  }
  return "unknown";
}

std::optional<LimitUnit> parse_limit_unit(std::string_view text) {
  for (LimitUnit unit : kAllLimitUnits) {
    if (to_string(unit) == text) return unit;
  }
  return std::nullopt;
}

}  // namespace gridcase::domain
