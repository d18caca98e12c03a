#include "gridcase/domain/catalog.hpp"

#include <algorithm>
#include <set>

#include "gridcase/domain/text.hpp"

namespace gridcase::domain {

bool is_category_key(std::string_view key) {
  std::string_view code;
  if (key.starts_with("event:")) {
    code = key.substr(6);
  } else if (key.starts_with("component:")) {
    code = key.substr(10);
  } else {
    return false;
  }
  return code.size() == 4 &&
         std::all_of(code.begin(), code.end(), [](char ch) { return ch >= '0' && ch <= '9'; });
}

std::vector<FieldError> validate_catalog(const std::vector<Category>& categories) {
  static const std::set<std::string, std::less<>> kLimitUnits{"urgent_hour", "work_hour",
                                                              "work_day", "natural_day"};
  std::vector<FieldError> errors;
  if (categories.empty()) {
    // What a catalogue leaves out is retired: an empty one would retire every category.
    errors.push_back({"categories", "at least one category"});
  }
  std::set<std::string, std::less<>> keys;
  for (std::size_t i = 0; i < categories.size(); ++i) {
    const Category& category = categories[i];
    const std::string at = "categories[" + std::to_string(i) + "]";
    if (!is_category_key(category.key)) {
      errors.push_back({at + ".key", "type:code, e.g. event:0101"});
    } else if (!keys.insert(category.key).second) {
      errors.push_back({at + ".key", "duplicate key " + category.key});
    }
    if (category.name.empty()) {
      errors.push_back({at + ".name", "required"});
    } else if (has_control_characters(category.name)) {
      errors.push_back({at + ".name", "one line, no control characters"});
    }
    if (category.conditions.empty()) {
      errors.push_back({at + ".conditions", "at least one filing condition"});
    }
    std::set<std::string, std::less<>> ids;
    for (std::size_t j = 0; j < category.conditions.size(); ++j) {
      const FilingCondition& condition = category.conditions[j];
      const std::string cat = at + ".conditions[" + std::to_string(j) + "]";
      if (condition.id.empty() || !ids.insert(condition.id).second) {
        errors.push_back({cat + ".id", "a unique id within the category"});
      }
      if (condition.limit_value < 1 || condition.limit_value > 1000) {
        errors.push_back({cat + ".limit", "a value from 1 to 1000"});
      }
      if (!kLimitUnits.contains(condition.limit_unit)) {
        errors.push_back(
            {cat + ".limit", "unit must be urgent_hour, work_hour, work_day or natural_day"});
      }
      if (condition.unit_type.empty()) errors.push_back({cat + ".unit_type", "required"});
      if (has_control_characters(condition.text, true)) {
        errors.push_back({cat + ".text", "no control characters"});
      }
      if (has_control_characters(condition.close_when, true)) {
        errors.push_back({cat + ".close_when", "no control characters"});
      }
    }
  }
  return errors;
}

std::map<StageTimer, TimeLimit> require_valid_overrides(
    const std::vector<TimeLimitOverride>& overrides) {
  std::vector<FieldError> errors;
  std::map<StageTimer, TimeLimit> limits;
  for (const TimeLimitOverride& entry : overrides) {
    const std::optional<StageTimer> timer = parse_stage_timer(entry.timer);
    if (!timer) {
      errors.push_back({entry.timer, "not a stage timer"});
    } else if (*timer == StageTimer::kHandling) {
      errors.push_back({entry.timer, "the handling limit is the filing condition's"});
    } else if (!is_category_overridable(*timer)) {
      errors.push_back({entry.timer,
                        "runs before a case has a category: only dispatch, acknowledgement, "
                        "check and close may be overridden"});
    }
    if (entry.value < 1 || entry.value > 1000) {
      errors.push_back({entry.timer + ".value", "a value from 1 to 1000"});
    }
    const std::optional<LimitUnit> unit = parse_limit_unit(entry.unit);
    if (!unit) {
      errors.push_back({entry.timer + ".unit", "urgent_hour, work_hour, work_day or natural_day"});
    }
    if (timer && unit) limits[*timer] = TimeLimit{static_cast<int>(entry.value), *unit};
  }
  if (!errors.empty()) {
    throw Error(ErrorCode::kInvalidValue, "the time limits have problems; nothing was changed",
                {.fields = std::move(errors)});
  }
  return limits;
}

}  // namespace gridcase::domain
