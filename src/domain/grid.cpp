#include "gridcase/domain/grid.hpp"

#include <algorithm>
#include <array>
#include <charconv>
#include <cmath>
#include <unordered_map>

#include "gridcase/domain/enum_names.hpp"
#include "gridcase/domain/text.hpp"
#include "gridcase/domain/time_text.hpp"

namespace gridcase::domain {
namespace {

constexpr EnumNames<GridLevel, 4> kLevelNames{{
    {GridLevel::kDistrict, "district"},
    {GridLevel::kStreet, "street"},
    {GridLevel::kCommunity, "community"},
    {GridLevel::kCell, "cell"},
}};
static_assert(covers_every_value(kLevelNames));

constexpr EnumNames<Duty, 3> kDutyNames{{
    {Duty::kGridOfficer, "grid_officer"},
    {Duty::kRoadChief, "road_chief"},
    {Duty::kSanitation, "sanitation"},
}};
static_assert(covers_every_value(kDutyNames));

constexpr EnumNames<GridImportMode, 2> kImportModeNames{{
    {GridImportMode::kAdd, "add"},
    {GridImportMode::kReplace, "replace"},
}};
static_assert(covers_every_value(kImportModeNames));

bool all_digits(std::string_view text) {
  return std::all_of(text.begin(), text.end(), [](char ch) { return ch >= '0' && ch <= '9'; });
}

int three_digits(std::string_view code, std::size_t at) {
  int value = 0;
  std::from_chars(code.data() + at, code.data() + at + 3, value);
  return value;
}

std::size_t code_width(GridLevel level) { return 6 + 3 * static_cast<std::size_t>(level); }

}  // namespace

std::string_view to_string(GridLevel level) { return name_of(kLevelNames, level); }

std::optional<GridLevel> parse_grid_level(std::string_view text) {
  return value_named(kLevelNames, text);
}

std::optional<GridLevel> level_of_code(std::string_view code) {
  if (!all_digits(code)) return std::nullopt;
  switch (code.size()) {
    case 6:
      return GridLevel::kDistrict;
    case 9:
      return GridLevel::kStreet;
    case 12:
      return GridLevel::kCommunity;
    case 15:
      return GridLevel::kCell;
    default:
      return std::nullopt;
  }
}

std::optional<std::string> code_problem(std::string_view code, GridLevel level) {
  const std::size_t width = code_width(level);
  if (code.size() != width || !all_digits(code)) {
    return "a " + std::string(to_string(level)) + " code is " + std::to_string(width) + " digits";
  }
  if (code.substr(0, 2) == "00" || code.substr(2, 4) == "0000") {
    return "the first six digits must be a GB/T 2260 county-level code";
  }
  if (level >= GridLevel::kStreet) {
    const int street = three_digits(code, 6);
    if (street < 1 || street > 399) {
      return "street digits must be 001-099 (street), 100-199 (town) or 200-399 (township)";
    }
  }
  if (level >= GridLevel::kCommunity) {
    const int community = three_digits(code, 9);
    if (community < 1 || community > 399) {
      return "community digits must be 001-199 (residents' committee) or 200-399 (village)";
    }
  }
  if (level == GridLevel::kCell && three_digits(code, 12) < 1) {
    return "cell sequence must be 001-999";
  }
  return std::nullopt;
}

void require_grid_code(std::string_view code, const std::string& field) {
  const std::optional<GridLevel> level = level_of_code(code);
  if (!level) throw_invalid(field, "a grid code is 6, 9, 12 or 15 digits");
  if (auto problem = code_problem(code, *level)) throw_invalid(field, *problem);
}

GridLevel map_level(std::string_view code, const std::optional<std::string>& wanted) {
  const GridLevel node = level_of_code(code).value_or(GridLevel::kCell);
  if (!wanted)
    return node == GridLevel::kCell ? node : static_cast<GridLevel>(static_cast<int>(node) + 1);
  const std::optional<GridLevel> level = parse_grid_level(*wanted);
  if (!level || *level == GridLevel::kDistrict) throw_invalid("level", "street, community or cell");
  if (static_cast<int>(*level) < static_cast<int>(node))
    throw_invalid("level", "a map of a " + std::string(to_string(node)) +
                               " shows its own level or one below it");
  return *level;
}

std::string parent_code_of(std::string_view code) {
  return std::string(code.substr(0, code.size() >= 9 ? code.size() - 3 : 0));
}

std::string ltree_path_of(std::string_view code) {
  std::string path;
  for (std::size_t width = 6; width <= code.size(); width += 3) {
    if (!path.empty()) path += '.';
    path += code.substr(0, width);
  }
  return path;
}

std::string_view to_string(GridImportMode mode) { return name_of(kImportModeNames, mode); }

std::optional<GridImportMode> parse_grid_import_mode(std::string_view text) {
  return value_named(kImportModeNames, text);
}

std::string_view to_string(Duty duty) { return name_of(kDutyNames, duty); }

std::optional<Duty> parse_duty(std::string_view text) { return value_named(kDutyNames, text); }

void require_possible(const Point& point) {
  if (!std::isfinite(point.lon) || point.lon < -180 || point.lon > 180) {
    throw_invalid("lon", "longitude must be between -180 and 180");
  }
  if (!std::isfinite(point.lat) || point.lat < -90 || point.lat > 90) {
    throw_invalid("lat", "latitude must be between -90 and 90");
  }
}

std::vector<FieldError> validate_grid_import(const std::vector<GridNodeInput>& nodes) {
  std::vector<FieldError> errors;
  std::unordered_map<std::string, std::size_t> first_index;
  if (nodes.empty()) errors.push_back({"features", "the collection has no features"});
  for (std::size_t i = 0; i < nodes.size(); ++i) {
    const GridNodeInput& node = nodes[i];
    const std::string prefix = "features[" + std::to_string(i) + "].properties.";
    if (auto problem = code_problem(node.code, node.level)) {
      errors.push_back({prefix + "code", *problem});
    } else if (auto [it, inserted] = first_index.emplace(node.code, i); !inserted) {
      errors.push_back(
          {prefix + "code", "duplicate of features[" + std::to_string(it->second) + "]"});
    }
    if (node.level == GridLevel::kDistrict) {
      if (node.parent_code) errors.push_back({prefix + "parent_code", "a district has no parent"});
    } else if (!node.parent_code) {
      errors.push_back(
          {prefix + "parent_code", "required for a " + std::string(to_string(node.level))});
    } else if (node.code.size() > 3 && *node.parent_code != parent_code_of(node.code)) {
      errors.push_back({prefix + "parent_code", "must be the code's first " +
                                                    std::to_string(node.code.size() - 3) +
                                                    " digits (" + parent_code_of(node.code) + ")"});
    }
    const std::size_t name_length = utf8_length(node.name).value_or(0);  // JSON text is UTF-8
    if (name_length == 0 || name_length > kMaxGridNameChars) {
      errors.push_back(
          {prefix + "name", "1 to " + std::to_string(kMaxGridNameChars) + " characters"});
    } else if (has_control_characters(node.name)) {
      errors.push_back({prefix + "name", "one line, no control characters"});
    }
    if (node.valid_from && !is_iso_date(*node.valid_from)) {
      errors.push_back({prefix + "valid_from", "a date written YYYY-MM-DD"});
    }
  }
  return errors;
}

std::vector<FieldError> validate_grid_change(const GridChange& change,
                                             const std::string& retire_field) {
  std::vector<FieldError> errors;
  if (change.date && !is_iso_date(*change.date)) {
    errors.push_back({"date", "a date written YYYY-MM-DD"});
  }
  if (change.retire.empty() && change.nodes.empty()) {
    errors.push_back({retire_field, "nothing to change: name nodes to retire or give features"});
  }
  std::unordered_map<std::string, std::size_t> first_index;
  for (std::size_t i = 0; i < change.retire.size(); ++i) {
    const std::string& code = change.retire[i];
    const std::string field =
        retire_field == "code" ? retire_field : retire_field + "[" + std::to_string(i) + "]";
    const std::optional<GridLevel> level = level_of_code(code);
    if (!level) {
      errors.push_back({field, "a grid code is 6, 9, 12 or 15 digits"});
    } else if (auto problem = code_problem(code, *level)) {
      errors.push_back({field, *problem});
    } else if (auto [it, inserted] = first_index.emplace(code, i); !inserted) {
      errors.push_back(
          {field, "duplicate of " + retire_field + "[" + std::to_string(it->second) + "]"});
    }
  }
  if (!change.nodes.empty()) {
    std::vector<FieldError> nodes = validate_grid_import(change.nodes);
    errors.insert(errors.end(), nodes.begin(), nodes.end());
    if (change.date && is_iso_date(*change.date)) {
      for (std::size_t i = 0; i < change.nodes.size(); ++i) {
        const std::optional<std::string>& from = change.nodes[i].valid_from;
        if (from && is_iso_date(*from) && *from != *change.date) {
          errors.push_back({"features[" + std::to_string(i) + "].properties.valid_from",
                            "must be the change's date (" + *change.date + ") or left out"});
        }
      }
    }
  }
  return errors;
}

}  // namespace gridcase::domain
