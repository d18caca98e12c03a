#include "json_codec.hpp"

#include <algorithm>
#include <boost/beast/http/field.hpp>
#include <charconv>
#include <cmath>

#include "gridcase/domain/error.hpp"
#include "gridcase/http/grid_import.hpp"

namespace gridcase::http {
namespace {

using domain::throw_malformed;
using nlohmann::json;

std::size_t nesting_depth(std::string_view text) {
  std::size_t depth = 0;
  std::size_t deepest = 0;
  bool in_string = false;
  bool escaped = false;
  for (const char ch : text) {
    if (in_string) {
      if (escaped) {
        escaped = false;
      } else if (ch == '\\') {
        escaped = true;
      } else if (ch == '"') {
        in_string = false;
      }
    } else if (ch == '"') {
      in_string = true;
    } else if (ch == '[' || ch == '{') {
      deepest = std::max(deepest, ++depth);
    } else if ((ch == ']' || ch == '}') && depth > 0) {
      --depth;
    }
  }
  return deepest;
}

std::string lowercase(std::string_view text) {
  std::string out{text};
  for (char& ch : out) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
  return out;
}

/// The path (`reporter.name`, `features[0].properties.name`) of the first string value holding
/// U+0000, or nullopt. PostgreSQL text cannot hold it, and libpq would cut the value short at
/// it, so no field of this API accepts it.
std::optional<std::string> nul_string_path(const json& value, const std::string& path) {
  if (value.is_string()) {
    if (value.get_ref<const std::string&>().find('\0') != std::string::npos) return path;
  } else if (value.is_object()) {
    for (const auto& [key, member] : value.items()) {
      if (auto found = nul_string_path(member, path.empty() ? key : path + "." + key)) return found;
    }
  } else if (value.is_array()) {
    for (std::size_t i = 0; i < value.size(); ++i) {
      if (auto found = nul_string_path(value[i], path + "[" + std::to_string(i) + "]"))
        return found;
    }
  }
  return std::nullopt;
}

}  // namespace

json parse_json(std::string_view text, std::size_t max_depth) {
  if (nesting_depth(text) > max_depth) {
    throw_malformed("body", "JSON nested deeper than " + std::to_string(max_depth) + " levels");
  }
  json document = json::parse(text, nullptr, false);
  if (document.is_discarded()) throw_malformed("body", "not valid JSON");
  if (std::optional<std::string> path = nul_string_path(document, "")) {
    domain::throw_invalid(path->empty() ? "body" : *path, "contains U+0000");
  }
  return document;
}

void require_content_type(const Request& request, std::initializer_list<std::string_view> types) {
  const std::string_view header = request.message[boost::beast::http::field::content_type];
  std::string type = lowercase(header.substr(0, header.find(';')));
  while (!type.empty() && type.back() == ' ') type.pop_back();
  if (std::find(types.begin(), types.end(), type) == types.end()) {
    throw domain::Error(domain::ErrorCode::kUnsupportedMediaType,
                        "Content-Type must be " + std::string(*types.begin()));
  }
}

json parse_json_body(const Request& request, std::size_t max_depth,
                     std::initializer_list<std::string_view> media_types) {
  require_content_type(request, media_types);
  return parse_json(request.message.body(), max_depth);
}

void require_known_parameters(const Request& request,
                              std::initializer_list<std::string_view> known) {
  for (const auto& [name, value] : request.query) {
    if (std::find(known.begin(), known.end(), name) == known.end()) {
      throw_malformed(name, "unknown query parameter");
    }
  }
}

std::optional<std::string> query_text(const Request& request, std::string_view name) {
  auto found = request.query.find(name);
  if (found == request.query.end()) return std::nullopt;
  return found->second;
}

std::optional<double> query_number(const Request& request, std::string_view name) {
  std::optional<std::string> text = query_text(request, name);
  if (!text) return std::nullopt;
  double value = 0;
  const char* end = text->data() + text->size();
  auto [ptr, error] = std::from_chars(text->data(), end, value);
  if (text->empty() || error != std::errc{} || ptr != end || !std::isfinite(value)) {
    throw_malformed(std::string(name), "must be a decimal number");
  }
  return value;
}

std::optional<int> query_integer(const Request& request, std::string_view name) {
  std::optional<std::string> text = query_text(request, name);
  if (!text) return std::nullopt;
  int value = 0;
  const char* end = text->data() + text->size();
  auto [ptr, error] = std::from_chars(text->data(), end, value);
  if (text->empty() || error != std::errc{} || ptr != end) {
    throw_malformed(std::string(name), "must be an integer");
  }
  return value;
}

std::optional<long long> parse_id(std::string_view text) {
  if (text.empty() ||
      !std::all_of(text.begin(), text.end(), [](char ch) { return ch >= '0' && ch <= '9'; })) {
    return std::nullopt;
  }
  long long value = 0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (error != std::errc{} || end != text.data() + text.size()) return std::nullopt;
  return value;
}

std::optional<bool> query_boolean(const Request& request, std::string_view name) {
  std::optional<std::string> text = query_text(request, name);
  if (!text) return std::nullopt;
  if (*text == "true") return true;
  if (*text == "false") return false;
  throw_malformed(std::string(name), "must be true or false");
}

std::vector<domain::GridNodeInput> parse_grid_import(std::string_view text, std::size_t max_depth) {
  const json document = parse_json(text, max_depth);
  std::vector<domain::FieldError> shape;
  if (!document.is_object() || document.value("type", json()) != "FeatureCollection") {
    throw_malformed("type", "a GeoJSON FeatureCollection");
  }
  auto features = document.find("features");
  if (features == document.end() || !features->is_array()) {
    throw_malformed("features", "an array of Features");
  }
  std::vector<domain::GridNodeInput> nodes;
  nodes.reserve(features->size());
  std::vector<domain::FieldError> values;
  for (std::size_t i = 0; i < features->size(); ++i) {
    const json& feature = (*features)[i];
    const std::string at = "features[" + std::to_string(i) + "]";
    if (!feature.is_object() || feature.value("type", json()) != "Feature") {
      shape.push_back({at + ".type", "must be a Feature"});
      continue;
    }
    auto properties = feature.find("properties");
    auto geometry = feature.find("geometry");
    if (properties == feature.end() || !properties->is_object()) {
      shape.push_back({at + ".properties", "required object"});
      continue;
    }
    if (geometry == feature.end() || !geometry->is_object()) {
      shape.push_back({at + ".geometry", "required object"});
      continue;
    }
    domain::GridNodeInput node;
    auto text_property = [&](const char* name, bool required) -> std::optional<std::string> {
      auto found = properties->find(name);
      if (found == properties->end() || found->is_null()) {
        if (required) shape.push_back({at + ".properties." + name, "required"});
        return std::nullopt;
      }
      if (!found->is_string()) {
        shape.push_back({at + ".properties." + name, "must be a string"});
        return std::nullopt;
      }
      return found->get<std::string>();
    };
    node.code = text_property("code", true).value_or("");
    node.name = text_property("name", true).value_or("");
    node.parent_code = text_property("parent_code", false);
    node.valid_from = text_property("valid_from", false);
    if (std::optional<std::string> level = text_property("level", true)) {
      if (std::optional<domain::GridLevel> parsed = domain::parse_grid_level(*level)) {
        node.level = *parsed;
      } else {
        values.push_back({at + ".properties.level", "district, street, community or cell"});
      }
    }
    node.geometry_geojson = geometry->dump();
    nodes.push_back(std::move(node));
  }
  if (!shape.empty()) {
    throw domain::Error(domain::ErrorCode::kMalformed, "the grid file is not in the import format",
                        {.fields = std::move(shape)});
  }
  if (!values.empty()) {
    throw domain::Error(domain::ErrorCode::kInvalidValue, "the grid file has invalid values",
                        {.fields = std::move(values)});
  }
  return nodes;
}

}  // namespace gridcase::http
