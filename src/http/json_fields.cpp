#include "json_fields.hpp"

#include <algorithm>

#include "gridcase/domain/time_text.hpp"

namespace gridcase::http {
namespace {

using nlohmann::json;

// The wording of each refusal, for every request.
constexpr const char* kRequired = "required";
constexpr const char* kNotObject = "must be a JSON object";
constexpr const char* kNotString = "must be a string";
constexpr const char* kNotNumber = "must be a number";
constexpr const char* kNotInteger = "must be an integer";
constexpr const char* kNotBoolean = "must be true or false";
constexpr const char* kNotArray = "must be an array";
constexpr const char* kNotStrings = "must be an array of strings";
constexpr const char* kNotTime = "must be an RFC 3339 time, e.g. 2026-11-25T10:00:00+08:00";
constexpr const char* kUnknown = "unknown field";

const json& empty_array() {
  static const json empty = json::array();
  return empty;
}

}  // namespace

JsonFields::JsonFields(const json& object, std::string path)
    : object_(object), path_(std::move(path)) {
  if (!object_.is_object()) refuse(path_.empty() ? "body" : path_, kNotObject);
}

JsonFields::JsonFields(const json& object, std::string path,
                       std::vector<domain::FieldError>& problems)
    : object_(object), path_(std::move(path)), problems_(&problems) {
  if (!object_.is_object()) refuse(path_.empty() ? "body" : path_, kNotObject);
}

std::optional<std::string> JsonFields::text(std::string_view key) {
  const json* value = find(key);
  if (value == nullptr) return std::nullopt;
  if (!value->is_string()) {
    refuse(path(key), kNotString);
    return std::nullopt;
  }
  return value->get<std::string>();
}

std::optional<double> JsonFields::number(std::string_view key) {
  const json* value = find(key);
  if (value == nullptr) return std::nullopt;
  if (!value->is_number()) {
    refuse(path(key), kNotNumber);
    return std::nullopt;
  }
  return value->get<double>();
}

std::optional<long long> JsonFields::integer(std::string_view key) {
  const json* value = find(key);
  if (value == nullptr) return std::nullopt;
  if (!value->is_number_integer()) {
    refuse(path(key), kNotInteger);
    return std::nullopt;
  }
  return value->get<long long>();
}

std::optional<bool> JsonFields::boolean(std::string_view key) {
  const json* value = find(key);
  if (value == nullptr) return std::nullopt;
  if (!value->is_boolean()) {
    refuse(path(key), kNotBoolean);
    return std::nullopt;
  }
  return value->get<bool>();
}

std::optional<domain::Timestamp> JsonFields::time(std::string_view key) {
  const json* value = find(key);
  if (value == nullptr) return std::nullopt;
  std::optional<domain::Timestamp> parsed;
  if (value->is_string()) parsed = domain::parse_rfc3339(value->get_ref<const std::string&>());
  if (!parsed) refuse(path(key), kNotTime);
  return parsed;
}

std::optional<std::vector<std::string>> JsonFields::texts(std::string_view key) {
  const json* value = find(key);
  if (value == nullptr) return std::nullopt;
  const bool strings =
      value->is_array() &&
      std::all_of(value->begin(), value->end(), [](const json& item) { return item.is_string(); });
  if (!strings) {
    refuse(path(key), kNotStrings);
    return std::nullopt;
  }
  std::vector<std::string> list;
  list.reserve(value->size());
  for (const json& item : *value) list.push_back(item.get<std::string>());
  return list;
}

const json* JsonFields::array(std::string_view key) {
  const json* value = find(key);
  if (value == nullptr || value->is_array()) return value;
  refuse(path(key), kNotArray);
  return nullptr;
}

std::optional<JsonFields> JsonFields::object(std::string_view key) {
  const json* value = find(key);
  if (value == nullptr) return std::nullopt;
  if (!value->is_object()) {
    refuse(path(key), kNotObject);
    return std::nullopt;
  }
  if (problems_ != nullptr) return JsonFields{*value, path(key), *problems_};
  return JsonFields{*value, path(key)};
}

std::string JsonFields::required_text(std::string_view key) {
  std::optional<std::string> value = text(key);
  if (!value) refuse_absent(key);
  return value.value_or(std::string());
}

domain::Timestamp JsonFields::required_time(std::string_view key) {
  std::optional<domain::Timestamp> value = time(key);
  if (!value) refuse_absent(key);
  return value.value_or(domain::Timestamp{});
}

const json& JsonFields::required_array(std::string_view key) {
  const json* value = array(key);
  if (value == nullptr) refuse_absent(key);
  return value != nullptr ? *value : empty_array();
}

std::optional<JsonFields> JsonFields::required_object(std::string_view key) {
  std::optional<JsonFields> value = object(key);
  if (!value) refuse_absent(key);
  return value;
}

void JsonFields::finish() const {
  for (const auto& [key, value] : object_.items()) {
    if (std::find(seen_.begin(), seen_.end(), key) == seen_.end()) refuse(path(key), kUnknown);
  }
}

std::string JsonFields::path(std::string_view key) const {
  return path_.empty() ? std::string(key) : path_ + "." + std::string(key);
}

std::string JsonFields::item_path(std::string_view key, std::size_t index) const {
  return path(key) + "[" + std::to_string(index) + "]";
}

void JsonFields::refuse(const std::string& field, const std::string& message) const {
  if (problems_ == nullptr) domain::throw_malformed(field, message);
  problems_->push_back({field, message});
}

const json* JsonFields::find(std::string_view key) {
  seen_.emplace_back(key);
  if (!object_.is_object()) return nullptr;
  const auto found = object_.find(key);
  return found == object_.end() || found->is_null() ? nullptr : &*found;
}

void JsonFields::refuse_absent(std::string_view key) const {
  // A field present with the wrong type was refused already (collecting: recorded once).
  const auto found = object_.is_object() ? object_.find(key) : object_.end();
  if (found == object_.end() || found->is_null()) refuse(path(key), kRequired);
}

}  // namespace gridcase::http
