#include "gridcase/domain/time_limit.hpp"

#include "gridcase/domain/enum_names.hpp"

namespace gridcase::domain {

namespace {

constexpr EnumNames<LimitUnit, 4> kLimitUnitNames{{
    {LimitUnit::kUrgentHour, "urgent_hour"},
    {LimitUnit::kWorkHour, "work_hour"},
    {LimitUnit::kWorkDay, "work_day"},
    {LimitUnit::kNaturalDay, "natural_day"},
}};
static_assert(covers_every_value(kLimitUnitNames));
static_assert(lists_every_value(kAllLimitUnits, kLimitUnitNames));

}  // namespace

std::string_view to_string(LimitUnit unit) { return name_of(kLimitUnitNames, unit); }

std::optional<LimitUnit> parse_limit_unit(std::string_view text) {
  return value_named(kLimitUnitNames, text);
}

}  // namespace gridcase::domain
