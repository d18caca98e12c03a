#include "gridcase/domain/address.hpp"

#include <cmath>
#include <map>

#include "gridcase/domain/enum_names.hpp"
#include "gridcase/domain/text.hpp"

namespace gridcase::domain {
namespace {

constexpr EnumNames<AddressMatch, 2> kMatchNames{{
    {AddressMatch::kPrefix, "prefix"},
    {AddressMatch::kFuzzy, "fuzzy"},
}};
static_assert(covers_every_value(kMatchNames));

/// The code point at `text[i]` (valid UTF-8) and its width in bytes.
std::pair<char32_t, std::size_t> decode(std::string_view text, std::size_t i) {
  const auto lead = static_cast<unsigned char>(text[i]);
  auto next = [&](std::size_t k) { return static_cast<char32_t>(text[i + k] & 0x3F); };
  if (lead < 0x80) return {lead, 1};
  if ((lead >> 5) == 0x6) return {((lead & 0x1FU) << 6) | next(1), 2};
  if ((lead >> 4) == 0xE) return {((lead & 0x0FU) << 12) | (next(1) << 6) | next(2), 3};
  return {((lead & 0x07U) << 18) | (next(1) << 12) | (next(2) << 6) | next(3), 4};
}

void encode(char32_t point, std::string& out) {
  if (point < 0x80) {
    out += static_cast<char>(point);
  } else if (point < 0x800) {
    out += static_cast<char>(0xC0 | (point >> 6));
    out += static_cast<char>(0x80 | (point & 0x3F));
  } else if (point < 0x10000) {
    out += static_cast<char>(0xE0 | (point >> 12));
    out += static_cast<char>(0x80 | ((point >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (point & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | (point >> 18));
    out += static_cast<char>(0x80 | ((point >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((point >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (point & 0x3F));
  }
}

bool is_space(char32_t point) {
  return point == ' ' || (point >= '\t' && point <= '\r') || point == 0xA0 || point == 0x3000 ||
         (point >= 0x2000 && point <= 0x200B) || point == 0x202F || point == 0x205F ||
         point == 0xFEFF;
}

/// One text field of an entry: storable, one line, 1 to `max` characters, not blank.
void check_text(const std::optional<std::string>& value, const std::string& field, std::size_t max,
                std::vector<FieldError>& problems) {
  if (!value) return;
  const std::optional<std::size_t> length = utf8_length(*value);
  const std::string bounds = "1 to " + std::to_string(max) + " characters";
  if (!length || !is_storable_text(*value) || has_control_characters(*value)) {
    problems.push_back({field, "must be text without control characters"});
  } else if (*length > max || normalize_address(*value).empty()) {
    problems.push_back({field, bounds});
  }
}

}  // namespace

std::string normalize_address(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size();) {
    auto [point, width] = decode(text, i);
    i += width;
    if (is_space(point)) continue;
    if (point >= 0xFF01 && point <= 0xFF5E) point -= 0xFF01 - 0x21;  // full-width ASCII forms
    if (point >= 'A' && point <= 'Z') point += 'a' - 'A';
    encode(point, out);
  }
  return out;
}

std::string address_key(const AddressInput& entry) {
  // U+001F (unit separator) cannot occur in an entry's text: the parts stay apart.
  return normalize_address(entry.road) + '\x1f' +
         normalize_address(entry.door_number.value_or("")) + '\x1f' +
         normalize_address(entry.building.value_or(""));
}

std::string address_search_text(const AddressInput& entry) {
  return normalize_address(entry.road) + normalize_address(entry.door_number.value_or("")) +
         normalize_address(entry.building.value_or(""));
}

std::vector<FieldError> validate_address_import(const std::vector<AddressInput>& entries,
                                                const std::string& empty_field) {
  std::vector<FieldError> problems;
  if (entries.empty()) problems.push_back({empty_field, "the file has no entries"});
  std::map<std::string, std::string> first_at;  // key → where it first came
  for (const AddressInput& entry : entries) {
    const std::size_t before = problems.size();
    check_text(entry.road, entry.at + ".road", kMaxRoadChars, problems);
    check_text(entry.door_number, entry.at + ".door_number", kMaxDoorNumberChars, problems);
    check_text(entry.building, entry.at + ".building", kMaxBuildingChars, problems);
    const bool lon_ok = std::isfinite(entry.point.lon) && std::abs(entry.point.lon) <= 180;
    const bool lat_ok = std::isfinite(entry.point.lat) && std::abs(entry.point.lat) <= 90;
    if (!lon_ok || !lat_ok) {
      for (const std::string& field : entry.point_fields) {
        if (field.ends_with(".lon")) {
          if (!lon_ok) problems.push_back({field, "longitude must be between -180 and 180"});
        } else if (field.ends_with(".lat")) {
          if (!lat_ok) problems.push_back({field, "latitude must be between -90 and 90"});
        } else {
          problems.push_back({field, "coordinates must be WGS84 longitude/latitude"});
        }
      }
    }
    if (problems.size() != before) continue;
    const auto [found, inserted] = first_at.emplace(address_key(entry), entry.at);
    if (!inserted) {
      problems.push_back(
          {entry.at + ".road", "the same road, door number and building as " + found->second});
    }
  }
  return problems;
}

std::optional<AddressMatch> parse_address_match(std::string_view text) {
  return value_named(kMatchNames, text);
}

std::string address_query(std::string_view q, AddressMatch match) {
  const std::optional<std::size_t> length = utf8_length(q);
  if (!length || !is_storable_text(q) || has_control_characters(q)) {
    throw_invalid("q", "must be text without control characters");
  }
  if (*length > kMaxAddressQueryChars) {
    throw_invalid("q", "at most " + std::to_string(kMaxAddressQueryChars) + " characters");
  }
  std::string normalized = normalize_address(q);
  if (normalized.empty()) throw_invalid("q", "required: the text to look for");
  if (match == AddressMatch::kFuzzy && utf8_length(normalized).value_or(0) < 2) {
    throw_invalid("q", "a fuzzy search needs at least 2 characters");
  }
  return normalized;
}

}  // namespace gridcase::domain
