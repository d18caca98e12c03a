#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "gridcase/domain/error.hpp"
#include "gridcase/domain/grid.hpp"
#include "gridcase/domain/timers.hpp"

namespace gridcase::domain {

/// A department or team that handles cases (处置单位), scoped to the district or one street.
struct Unit {
  std::string code;  // e.g. "150203004-enforcement"
  std::string name;
  std::string type;  // sanitation, municipal_works, ...
  std::string scope_code;
};

/// One filing condition (立案条件) of a category: its own limit and the unit type that handles it.
struct FilingCondition {
  std::string id;
  std::string text;
  int limit_value = 0;
  std::string limit_unit;  // urgent_hour | work_hour | work_day | natural_day
  std::string unit_type;
  std::string close_when;
};

struct Category {
  std::string key;  // type:code, e.g. "event:0101"
  std::string name;
  std::vector<FilingCondition> conditions;
};

/// An officer and the cells they answer for, per duty.
struct Officer {
  std::string code;  // staff number
  std::string name;
  std::string phone;
  struct Responsibility {
    Duty duty = Duty::kGridOfficer;
    std::vector<std::string> cell_codes;
    std::optional<std::string> valid_from;  // YYYY-MM-DD; none: the district's today
  };
  std::vector<Responsibility> responsibilities;
};

/// True for "component:0101" / "event:1203": a type and a 4-digit major+minor code.
bool is_category_key(std::string_view key);

/// Every problem with a catalogue file: none at all (it would retire every category), keys,
/// duplicate keys and condition ids, limits, units.
std::vector<FieldError> validate_catalog(const std::vector<Category>& categories);

/// One stage-limit override as a request names it: `timer` is also its field name.
struct TimeLimitOverride {
  std::string timer;  // dispatch, acknowledgement, check or close
  long long value = 0;
  std::string unit;  // urgent_hour | work_hour | work_day | natural_day
};

/// A category's stage-limit overrides (domain.md §7). Throws kInvalidValue listing every
/// problem, each naming its field (`check`, `check.value`, `check.unit`): a timer that is no
/// stage timer or runs before `register`, a value outside 1..1000, an unknown unit.
std::map<StageTimer, TimeLimit> require_valid_overrides(
    const std::vector<TimeLimitOverride>& overrides);

}  // namespace gridcase::domain
