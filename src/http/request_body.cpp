#include "request_body.hpp"

#include <algorithm>
#include <boost/beast/http/field.hpp>
#include <cctype>

#include "gridcase/domain/error.hpp"

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
    std::string allowed;
    for (const std::string_view option : types) {
      allowed += (allowed.empty() ? "" : " or ") + std::string(option);
    }
    throw domain::Error(domain::ErrorCode::kUnsupportedMediaType,
                        "Content-Type must be " + allowed);
  }
}

json parse_json_body(const Request& request, std::size_t max_depth,
                     std::initializer_list<std::string_view> media_types) {
  require_content_type(request, media_types);
  return parse_json(request.message.body(), max_depth);
}

}  // namespace gridcase::http
