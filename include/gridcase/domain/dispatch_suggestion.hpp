#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace gridcase::domain {

// Dispatch suggestions (domain.md §3; docs/case-lifecycle.md, "Dispatch suggestions"): for a case
// that can be dispatched, the units it could go to, best first, each with its reason in words.
// The dispatcher still chooses; a dispatch records whether it took the first one.

/// How far back a unit's on-time handling is measured for a suggestion.
inline constexpr std::chrono::days kSuggestionWindow{30};

/// A unit that serves the case's cell (its grid scope contains the cell), with what ranks it.
struct UnitCandidate {
  std::string code;
  std::string name;
  std::string type;
  std::string scope_code;  // a grid node code: the longer, the narrower
  std::string scope_name;
  std::int64_t open_handling = 0;  // its load: handling instances it holds that have not ended
  /// Its handling instances over kSuggestionWindow: ended on time, ended late, and running past
  /// their deadline now (the shape of the on-time handling rate, domain.md §8).
  std::int64_t recent_on_time = 0;
  std::int64_t recent_late = 0;
  std::int64_t recent_overdue_running = 0;
};

struct DispatchSuggestion {
  UnitCandidate unit;
  int rank = 0;  // 1 = the suggestion a dispatch is judged against
  bool type_matches = false;
  std::optional<double> recent_on_time_rate;  // nullopt: nothing handled in the window
  std::string reason;
};

/// Ranks the candidates for a case whose filing condition wants units of `unit_type`: a unit of
/// that type first, then the narrowest scope (a street's squad before the district's
/// department), then the least load, then the best recent on-time handling rate (a unit with
/// none measured after those with one), then the code. `exclude` (the case's current unit, for a
/// reassign) is left out. Each suggestion says why, in words.
std::vector<DispatchSuggestion> rank_dispatch_suggestions(
    std::vector<UnitCandidate> candidates, std::string_view unit_type,
    const std::optional<std::string>& exclude);

/// The value a dispatch or reassign records in its event's `suggestion` parameter: "followed"
/// when `chosen` is the first suggestion, "not_followed" otherwise; nullopt when none was offered.
std::optional<std::string> suggestion_outcome(const std::vector<DispatchSuggestion>& suggestions,
                                              std::string_view chosen);

}  // namespace gridcase::domain
