#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace gridcase::domain {

/// What part of the district a caller answers for (domain.md §5): everything, a grid node's
/// subtree, the cases dispatched to a unit, or the cells of an officer's responsibility grids.
enum class ScopeKind { kDistrict, kGrid, kUnit, kOfficer };

struct Scope {
  ScopeKind kind = ScopeKind::kDistrict;
  std::string code;  // grid node, unit or officer code; empty for the district

  friend bool operator==(const Scope&, const Scope&) = default;
};

std::string_view to_string(ScopeKind kind);
std::optional<ScopeKind> parse_scope_kind(std::string_view text);

/// "district", "grid:150203004", "unit:150203004-enforcement", "officer:KDL0001".
std::string format_scope(const Scope& scope);
/// The inverse of format_scope; nullopt for anything else (codes are checked for shape only).
std::optional<Scope> parse_scope(std::string_view text);

}  // namespace gridcase::domain
