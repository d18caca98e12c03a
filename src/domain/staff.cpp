#include "gridcase/domain/staff.hpp"

#include <algorithm>
#include <set>

#include "gridcase/domain/text.hpp"
#include "gridcase/domain/time_text.hpp"

namespace gridcase::domain {
namespace {

constexpr std::size_t kMaxOfficerNameChars = 50;
constexpr std::size_t kMaxUnitNameChars = 100;
constexpr std::size_t kMaxPhoneBytes = 32;

bool is_code(std::string_view text, std::size_t max_bytes, std::string_view extra) {
  if (text.empty() || text.size() > max_bytes) return false;
  for (const char ch : text) {
    const bool plain = (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') ||
                       (ch >= '0' && ch <= '9') || extra.find(ch) != std::string_view::npos;
    if (!plain) return false;
  }
  return true;
}

bool is_work_phone(std::string_view phone) {
  if (phone.size() > kMaxPhoneBytes) return false;
  int digits = 0;
  for (std::size_t i = 0; i < phone.size(); ++i) {
    const char ch = phone[i];
    if (ch >= '0' && ch <= '9') {
      ++digits;
    } else if (!(ch == '-' || ch == ' ' || (ch == '+' && i == 0))) {
      return false;
    }
  }
  return digits >= 3 && digits <= 20;
}

void check_name(const std::string& name, std::size_t max_chars, std::vector<FieldError>& problems) {
  const std::optional<std::size_t> chars = utf8_length(name);
  if (!chars || !is_storable_text(name) || has_control_characters(name)) {
    problems.push_back({"name", "one line of text without control characters"});
  } else if (*chars < 1 || *chars > max_chars) {
    problems.push_back({"name", "1 to " + std::to_string(max_chars) + " characters"});
  }
}

void check_phone(const std::optional<std::string>& phone, bool empty_allowed,
                 std::vector<FieldError>& problems) {
  if (!phone || (empty_allowed && phone->empty())) return;
  if (!is_work_phone(*phone)) {
    problems.push_back({"phone", "digits, with optional +, - and spaces (3 to 20 digits)"});
  }
}

void check_unit_type(const std::string& type, std::vector<FieldError>& problems) {
  const bool ok = !type.empty() && type.size() <= 32 &&
                  type.find_first_not_of("abcdefghijklmnopqrstuvwxyz_") == std::string::npos;
  if (!ok) problems.push_back({"type", "a unit type: a-z and _, 1 to 32 (e.g. sanitation)"});
}

void check_scope_code(const std::string& code, std::vector<FieldError>& problems) {
  const std::optional<GridLevel> level = level_of_code(code);
  if (!level || code_problem(code, *level)) {
    problems.push_back({"scope", "a grid code: the district or one of its streets"});
  } else if (*level != GridLevel::kDistrict && *level != GridLevel::kStreet) {
    problems.push_back({"scope", "the district or one of its streets (domain.md §3)"});
  }
}

void throw_if_any(std::vector<FieldError> problems, const std::string& what) {
  if (!problems.empty()) {
    throw Error(ErrorCode::kInvalidValue, what + ": invalid values",
                {.fields = std::move(problems)});
  }
}

}  // namespace

void validate(const OfficerInput& input) {
  std::vector<FieldError> problems;
  if (!is_code(input.code, 32, "_-")) {
    problems.push_back({"code", "a staff number: letters, digits, _ and -, 1 to 32"});
  }
  check_name(input.name, kMaxOfficerNameChars, problems);
  check_phone(input.phone, false, problems);
  throw_if_any(std::move(problems), "the officer");
}

void validate(const OfficerPatch& patch) {
  std::vector<FieldError> problems;
  if (patch.name) check_name(*patch.name, kMaxOfficerNameChars, problems);
  check_phone(patch.phone, true, problems);
  throw_if_any(std::move(problems), "the officer");
}

void validate_new_unit(const Unit& unit) {
  std::vector<FieldError> problems;
  if (!is_code(unit.code, 64, "_.-")) {
    problems.push_back({"code", "letters, digits, _ . and -, 1 to 64"});
  }
  check_name(unit.name, kMaxUnitNameChars, problems);
  check_unit_type(unit.type, problems);
  check_scope_code(unit.scope_code, problems);
  throw_if_any(std::move(problems), "the unit");
}

void validate(const UnitPatch& patch) {
  std::vector<FieldError> problems;
  if (patch.name) check_name(*patch.name, kMaxUnitNameChars, problems);
  if (patch.type) check_unit_type(*patch.type, problems);
  if (patch.scope_code) check_scope_code(*patch.scope_code, problems);
  throw_if_any(std::move(problems), "the unit");
}

void require_unit_scope_level(GridLevel level) {
  if (level != GridLevel::kDistrict && level != GridLevel::kStreet) {
    throw_invalid("scope", "the district or one of its streets (domain.md §3)");
  }
}

std::string describe(const DutyRecord& duty) {
  return "duty " + std::to_string(duty.id) + ": " + duty.officer + " " +
         std::string(to_string(duty.duty)) + " of " + duty.cell + " from " +
         format_iso_date(duty.from) +
         (duty.to ? " to " + format_iso_date(*duty.to) : std::string(" (open-ended)"));
}

void require_duty_cells(const std::vector<std::string>& cells) {
  if (cells.empty()) throw_malformed("cells", "at least one cell code");
  if (cells.size() > kMaxDutyCells) {
    throw_invalid("cells", "at most " + std::to_string(kMaxDutyCells) + " cells a request");
  }
  std::vector<FieldError> problems;
  std::set<std::string_view> seen;
  for (std::size_t i = 0; i < cells.size(); ++i) {
    const std::string field = "cells[" + std::to_string(i) + "]";
    if (code_problem(cells[i], GridLevel::kCell)) {
      problems.push_back({field, "a cell code (15 digits)"});
    } else if (!seen.insert(cells[i]).second) {
      problems.push_back({field, "named twice"});
    }
  }
  throw_if_any(std::move(problems), "the cells");
}

void require_not_past(std::chrono::year_month_day day, std::chrono::year_month_day today,
                      const std::string& field) {
  if (day < today) {
    throw_invalid(field, "not before today (" + format_iso_date(today) +
                             "): a duty change never rewrites the past");
  }
}

void require_can_end(const DutyRecord& duty, std::chrono::year_month_day on) {
  if (on <= duty.from) {
    throw_invalid("on", "after the day the duty begins (" + format_iso_date(duty.from) + ")");
  }
  if (duty.to && *duty.to <= on) {
    throw Error(ErrorCode::kConflict, "the duty already ends on " + format_iso_date(*duty.to),
                {.fields = {{"on", describe(duty)}}});
  }
}

void refuse_conflicts(const std::vector<DutyRecord>& conflicts,
                      const std::vector<std::string>& cells, const std::string& what) {
  if (conflicts.empty()) return;
  std::vector<FieldError> fields;
  fields.reserve(conflicts.size());
  for (const DutyRecord& duty : conflicts) {
    const auto at = std::find(cells.begin(), cells.end(), duty.cell);
    const std::string field =
        at == cells.end() ? "cells" : "cells[" + std::to_string(at - cells.begin()) + "]";
    fields.push_back({field, describe(duty)});
  }
  throw Error(ErrorCode::kConflict, what + ": " + describe(conflicts.front()),
              {.fields = std::move(fields)});
}

}  // namespace gridcase::domain
