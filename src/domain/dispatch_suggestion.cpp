#include "gridcase/domain/dispatch_suggestion.hpp"

#include <algorithm>
#include <cstdio>
#include <tuple>

#include "gridcase/domain/report.hpp"

namespace gridcase::domain {

namespace {

std::string_view scope_level(std::string_view code) {
  switch (code.size()) {
    case 6:
      return "district";
    case 9:
      return "street";
    case 12:
      return "community";
    default:
      return "cell";
  }
}

std::string reason_for(const DispatchSuggestion& suggestion, std::string_view unit_type) {
  const UnitCandidate& unit = suggestion.unit;
  std::string reason =
      suggestion.type_matches
          ? "type " + unit.type + " matches the filing condition"
          : "type " + unit.type + " is not the filing condition's (" + std::string(unit_type) + ")";
  reason += "; serves " + std::string(scope_level(unit.scope_code)) + " " + unit.scope_code;
  if (!unit.scope_name.empty()) reason += " " + unit.scope_name;
  reason += ", which contains the case's cell";
  reason += "; " + std::to_string(unit.open_handling) +
            (unit.open_handling == 1 ? " open handling instance" : " open handling instances");
  const std::int64_t counted = unit.recent_on_time + unit.recent_late + unit.recent_overdue_running;
  if (counted == 0) {
    reason +=
        "; nothing handled in the last " + std::to_string(kSuggestionWindow.count()) + " days";
  } else {
    reason += "; on-time handling " + format_percent(suggestion.recent_on_time_rate) + " (" +
              std::to_string(unit.recent_on_time) + " of " + std::to_string(counted) +
              ") in the last " + std::to_string(kSuggestionWindow.count()) + " days";
  }
  return reason;
}

}  // namespace

std::vector<DispatchSuggestion> rank_dispatch_suggestions(
    std::vector<UnitCandidate> candidates, std::string_view unit_type,
    const std::optional<std::string>& exclude) {
  std::vector<DispatchSuggestion> suggestions;
  for (UnitCandidate& unit : candidates) {
    if (exclude && unit.code == *exclude) continue;
    DispatchSuggestion suggestion;
    suggestion.type_matches = unit.type == unit_type;
    suggestion.recent_on_time_rate = rate(
        unit.recent_on_time, unit.recent_on_time + unit.recent_late + unit.recent_overdue_running);
    suggestion.unit = std::move(unit);
    suggestions.push_back(std::move(suggestion));
  }
  const auto key = [](const DispatchSuggestion& s) {
    return std::tuple{!s.type_matches, -static_cast<long>(s.unit.scope_code.size()),
                      s.unit.open_handling, !s.recent_on_time_rate.has_value(),
                      -s.recent_on_time_rate.value_or(0.0)};
  };
  std::stable_sort(suggestions.begin(), suggestions.end(),
                   [&](const DispatchSuggestion& a, const DispatchSuggestion& b) {
                     const auto key_a = key(a);
                     const auto key_b = key(b);
                     if (key_a != key_b) return key_a < key_b;
                     return a.unit.code < b.unit.code;
                   });
  for (std::size_t i = 0; i < suggestions.size(); ++i) {
    suggestions[i].rank = static_cast<int>(i) + 1;
    suggestions[i].reason = reason_for(suggestions[i], unit_type);
  }
  return suggestions;
}

std::optional<std::string> suggestion_outcome(const std::vector<DispatchSuggestion>& suggestions,
                                              std::string_view chosen) {
  if (suggestions.empty()) return std::nullopt;
  return suggestions.front().unit.code == chosen ? "followed" : "not_followed";
}

}  // namespace gridcase::domain
