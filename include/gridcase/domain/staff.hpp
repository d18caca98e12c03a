#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "gridcase/domain/catalog.hpp"
#include "gridcase/domain/error.hpp"
#include "gridcase/domain/grid.hpp"

namespace gridcase::domain {

// District administration of people and units (docs/administration.md, "Officers, duties and
// units"): the rules an admin's request is checked against before anything is read or written.

/// An officer as an admin creates one: a staff number (letters, digits, _ and -, 1 to 32), a
/// name (one line, 1 to 50 characters) and an optional work phone.
struct OfficerInput {
  std::string code;
  std::string name;
  std::optional<std::string> phone;
};

/// What an edit of an officer may change; an absent field keeps its value. An empty phone
/// removes it.
struct OfficerPatch {
  std::optional<std::string> name;
  std::optional<std::string> phone;
  std::optional<bool> active;
};

/// Throws kInvalidValue naming every bad field (code, name, phone).
void validate(const OfficerInput& input);
/// Throws kInvalidValue naming every bad field (name, phone).
void validate(const OfficerPatch& patch);

/// A unit as an admin creates one (domain.md §3): code (letters, digits, _ . and -, 1 to 64),
/// name (one line, 1 to 100), type (a-z and _, 1 to 32) and grid scope (the district or a
/// street: the level is checked where the node is found).
void validate_new_unit(const Unit& unit);

/// What an edit of a unit may change; an absent field keeps its value.
struct UnitPatch {
  std::optional<std::string> name;
  std::optional<std::string> type;
  std::optional<std::string> scope_code;
  std::optional<bool> active;
};
void validate(const UnitPatch& patch);

/// Throws kInvalidValue on `scope` unless a node of `level` may be a unit's scope (the district
/// or a street, domain.md §3).
void require_unit_scope_level(GridLevel level);

/// One officer's duty over one cell: in force from `from` (inclusive) to `to` (exclusive; none:
/// open-ended). An officer_cells row.
struct DutyRecord {
  long long id = 0;
  std::string officer;
  Duty duty = Duty::kGridOfficer;
  std::string cell;
  std::chrono::year_month_day from;
  std::optional<std::chrono::year_month_day> to;
};

/// "duty 12: KDL0001 grid_officer of 150203004007017 from 2026-12-01 (open-ended)".
std::string describe(const DutyRecord& duty);

/// The cells an assignment or a handover names: 1 to kMaxDutyCells well-formed cell codes,
/// none twice. Throws kMalformed for an empty list, kInvalidValue on `cells[i]` otherwise.
inline constexpr std::size_t kMaxDutyCells = 1000;
void require_duty_cells(const std::vector<std::string>& cells);

/// A duty never starts in the past: the per-officer reports of past periods stay as they were
/// (kInvalidValue on `field` when `day` is before `today`, the district's local date).
void require_not_past(std::chrono::year_month_day day, std::chrono::year_month_day today,
                      const std::string& field);

/// Ending `duty` on `on` (the first day it is no longer in force): kInvalidValue on `on` when
/// the duty begins on or after it, kConflict naming the duty when it already ends on or before.
void require_can_end(const DutyRecord& duty, std::chrono::year_month_day on);

/// kConflict naming every duty in `conflicts`, each under the `cells[i]` of its cell in the
/// request's `cells` (the one-officer-per-duty-per-cell rule, domain.md §2). Does nothing when
/// there are none.
void refuse_conflicts(const std::vector<DutyRecord>& conflicts,
                      const std::vector<std::string>& cells, const std::string& what);

}  // namespace gridcase::domain
