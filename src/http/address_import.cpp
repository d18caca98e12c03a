#include "address_import.hpp"

#include <algorithm>
#include <array>
#include <charconv>
#include <cmath>
#include <map>
#include <optional>
#include <string>

#include "geojson_features.hpp"
#include "gridcase/domain/text.hpp"
#include "json_fields.hpp"
#include "request_body.hpp"

namespace gridcase::http {
namespace {

using nlohmann::json;

/// The point of a GeoJSON Point geometry (two or three numbers; the height is ignored).
std::optional<domain::Point> point_of(const json& geometry) {
  const json* coordinates =
      geometry.contains("coordinates") ? &geometry.at("coordinates") : nullptr;
  const bool point = geometry.value("type", json()) == "Point" && coordinates != nullptr &&
                     coordinates->is_array() &&
                     (coordinates->size() == 2 || coordinates->size() == 3) &&
                     std::all_of(coordinates->begin(), coordinates->end(),
                                 [](const json& n) { return n.is_number(); });
  if (!point) return std::nullopt;
  return domain::Point{coordinates->at(0).get<double>(), coordinates->at(1).get<double>()};
}

constexpr std::array kColumns{"road", "door_number", "building", "lon", "lat"};
constexpr const char* kColumnList = "road, door_number, building, lon, lat";

/// One CSV record: its fields and the line it starts on.
struct Record {
  std::size_t line = 0;
  std::vector<std::string> fields;
};

std::string line_path(std::size_t line) { return "lines[" + std::to_string(line) + "]"; }

std::string trimmed(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
  return std::string(text);
}

/// RFC 4180 records; a record that cannot be read is reported and left out.
std::vector<Record> read_records(std::string_view text, std::vector<domain::FieldError>& shape) {
  std::vector<Record> records;
  std::size_t line = 1;
  std::size_t i = 0;
  while (i < text.size()) {
    Record record{line, {}};
    std::string field;
    bool quoted_field = false;
    bool broken = false;
    while (true) {
      if (i < text.size() && text[i] == '"' && field.empty() && !quoted_field) {
        quoted_field = true;
        ++i;
        bool closed = false;
        while (i < text.size()) {
          if (text[i] == '"') {
            if (i + 1 < text.size() && text[i + 1] == '"') {
              field += '"';
              i += 2;
              continue;
            }
            ++i;
            closed = true;
            break;
          }
          if (text[i] == '\n') ++line;
          field += text[i++];
        }
        if (!closed) {
          shape.push_back({line_path(record.line), "a quoted field is not closed"});
          return records;
        }
        if (i < text.size() && text[i] != ',' && text[i] != '\n' && text[i] != '\r') {
          shape.push_back({line_path(record.line), "text after a closing quote"});
          broken = true;
        }
      }
      // Up to the end of the field.
      while (i < text.size() && text[i] != ',' && text[i] != '\n' && text[i] != '\r') {
        if (!quoted_field && text[i] == '"' && !broken) {
          shape.push_back({line_path(record.line), "a quote inside an unquoted field"});
          broken = true;
        }
        field += text[i++];
      }
      record.fields.push_back(quoted_field ? field : trimmed(field));
      field.clear();
      quoted_field = false;
      if (i < text.size() && text[i] == ',') {
        ++i;
        continue;
      }
      break;  // end of the record
    }
    if (i < text.size() && text[i] == '\r') ++i;
    if (i < text.size() && text[i] == '\n') ++i;
    ++line;
    const bool blank = record.fields.size() == 1 && record.fields[0].empty();
    if (!broken && !blank) records.push_back(std::move(record));
    if (broken && records.empty()) return records;  // a header that cannot be read: stop
  }
  return records;
}

/// A decimal number, all of `text`: nullopt otherwise.
std::optional<double> number_of(const std::string& text) {
  double value = 0;
  const char* end = text.data() + text.size();
  auto [stop, error] = std::from_chars(text.data(), end, value);
  if (text.empty() || error != std::errc{} || stop != end || !std::isfinite(value)) {
    return std::nullopt;
  }
  return value;
}

std::optional<std::string> present(std::string text) {
  if (text.empty()) return std::nullopt;
  return text;
}

[[noreturn]] void refuse_shape(std::vector<domain::FieldError> shape) {
  throw domain::Error(domain::ErrorCode::kMalformed, "the address file is not in the import format",
                      {.fields = std::move(shape)});
}

}  // namespace

std::vector<domain::AddressInput> parse_address_csv(std::string_view text) {
  if (text.starts_with("\xEF\xBB\xBF")) text.remove_prefix(3);  // a byte order mark
  if (!domain::is_storable_text(text)) {
    domain::throw_malformed("body", "not UTF-8 text (or it holds U+0000)");
  }
  std::vector<domain::FieldError> shape;
  const std::vector<Record> records = read_records(text, shape);
  if (records.empty()) {
    if (shape.empty()) shape.push_back({"lines[1]", std::string("a header: ") + kColumnList});
    refuse_shape(std::move(shape));
  }
  // The header: which column holds what.
  const Record& header = records.front();
  std::map<std::string, std::size_t> column;
  for (std::size_t k = 0; k < header.fields.size(); ++k) {
    const std::string& name = header.fields[k];
    const std::string at = line_path(header.line) + "." + name;
    if (std::find(kColumns.begin(), kColumns.end(), name) == kColumns.end()) {
      shape.push_back({name.empty() ? line_path(header.line) : at,
                       std::string("unknown column; the columns are ") + kColumnList});
    } else if (!column.emplace(name, k).second) {
      shape.push_back({at, "the column is repeated"});
    }
  }
  for (const char* required : {"road", "lon", "lat"}) {
    if (!column.contains(required)) {
      shape.push_back({line_path(header.line) + "." + required, "a required column is missing"});
    }
  }
  if (!shape.empty()) refuse_shape(std::move(shape));

  std::vector<domain::AddressInput> entries;
  entries.reserve(records.size() - 1);
  for (std::size_t r = 1; r < records.size(); ++r) {
    const Record& record = records[r];
    const std::string at = line_path(record.line);
    if (record.fields.size() != header.fields.size()) {
      shape.push_back({at, std::to_string(record.fields.size()) + " fields; the header has " +
                               std::to_string(header.fields.size())});
      continue;
    }
    auto value = [&](const char* name) -> std::string {
      const auto found = column.find(name);
      return found == column.end() ? std::string() : record.fields[found->second];
    };
    domain::AddressInput entry;
    entry.at = at;
    entry.point_fields = {at + ".lon", at + ".lat"};
    entry.road = value("road");
    entry.door_number = present(value("door_number"));
    entry.building = present(value("building"));
    if (entry.road.empty()) shape.push_back({at + ".road", "required"});
    for (const char* name : {"lon", "lat"}) {
      const std::string text_value = value(name);
      const std::optional<double> number = number_of(text_value);
      if (text_value.empty()) {
        shape.push_back({at + "." + name, "required"});
      } else if (!number) {
        shape.push_back({at + "." + name, "must be a number"});
      } else {
        (std::string_view(name) == "lon" ? entry.point.lon : entry.point.lat) = *number;
      }
    }
    entries.push_back(std::move(entry));
  }
  if (!shape.empty()) refuse_shape(std::move(shape));
  return entries;
}

std::vector<domain::AddressInput> parse_address_geojson(std::string_view text,
                                                        std::size_t max_depth) {
  const json document = parse_json(text, max_depth);
  require_feature_collection(document);
  JsonFields collection{document};
  const json& features = collection.required_array("features");
  std::vector<domain::AddressInput> entries;
  entries.reserve(features.size());
  std::vector<domain::FieldError> shape;
  for_each_feature(collection, features, shape,
                   [&](const std::string& at, JsonFields& feature, JsonFields& properties) {
                     domain::AddressInput entry;
                     entry.at = at + ".properties";
                     entry.point_fields = {at + ".geometry"};
                     const std::size_t before = shape.size();
                     entry.road = properties.required_text("road");
                     if (shape.size() == before && entry.road.empty()) {
                       shape.push_back({properties.path("road"), "required"});
                     }
                     entry.door_number = properties.text("door_number");
                     if (entry.door_number && entry.door_number->empty()) entry.door_number.reset();
                     entry.building = properties.text("building");
                     if (entry.building && entry.building->empty()) entry.building.reset();
                     const std::optional<JsonFields> geometry = feature.required_object("geometry");
                     if (!geometry) return;
                     const std::optional<domain::Point> point = point_of(geometry->value());
                     if (!point) {
                       shape.push_back({at + ".geometry",
                                        "a GeoJSON Point: {\"type\": \"Point\", "
                                        "\"coordinates\": [lon, lat]}"});
                       return;
                     }
                     entry.point = *point;
                     entries.push_back(std::move(entry));
                   });
  if (!shape.empty()) refuse_shape(std::move(shape));
  return entries;
}

}  // namespace gridcase::http
