#include "gridcase/domain/scope.hpp"

#include <algorithm>
#include <array>
#include <utility>

#include "gridcase/domain/enum_names.hpp"

namespace gridcase::domain {
namespace {

constexpr EnumNames<ScopeKind, 4> kNames{{
    {ScopeKind::kDistrict, "district"},
    {ScopeKind::kGrid, "grid"},
    {ScopeKind::kUnit, "unit"},
    {ScopeKind::kOfficer, "officer"},
}};
static_assert(covers_every_value(kNames));

bool is_code(std::string_view text) {
  return !text.empty() && text.size() <= 64 && std::all_of(text.begin(), text.end(), [](char ch) {
    return (ch >= '0' && ch <= '9') || (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') ||
           ch == '-' || ch == '_' || ch == '.';
  });
}

}  // namespace

std::string_view to_string(ScopeKind kind) { return name_of(kNames, kind); }

std::optional<ScopeKind> parse_scope_kind(std::string_view text) {
  return value_named(kNames, text);
}

std::string format_scope(const Scope& scope) {
  if (scope.kind == ScopeKind::kDistrict) return "district";
  return std::string(to_string(scope.kind)) + ":" + scope.code;
}

std::optional<Scope> parse_scope(std::string_view text) {
  if (text == "district") return Scope{};
  const std::size_t colon = text.find(':');
  if (colon == std::string_view::npos) return std::nullopt;
  const std::optional<ScopeKind> kind = parse_scope_kind(text.substr(0, colon));
  const std::string_view code = text.substr(colon + 1);
  if (!kind || *kind == ScopeKind::kDistrict || !is_code(code)) return std::nullopt;
  return Scope{*kind, std::string(code)};
}

}  // namespace gridcase::domain
