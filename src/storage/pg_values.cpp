#include "pg_values.hpp"

#include <charconv>

namespace gridcase::storage {

const char* nullable(const std::optional<std::string>& value) {
  return value ? value->c_str() : nullptr;
}

std::optional<std::string> scope_code_of(const domain::Scope& scope) {
  if (scope.kind == domain::ScopeKind::kDistrict) return std::nullopt;
  return scope.code;
}

std::string epoch_ms(domain::Timestamp at) { return std::to_string(at.time_since_epoch().count()); }

std::optional<std::string> epoch_ms(const std::optional<domain::Timestamp>& at) {
  if (!at) return std::nullopt;
  return epoch_ms(*at);
}

domain::Timestamp timestamp_of(const pqxx::field& epoch_ms_field) {
  return domain::Timestamp{std::chrono::milliseconds{epoch_ms_field.as<long long>()}};
}

std::optional<domain::Timestamp> optional_timestamp_of(const pqxx::field& epoch_ms_field) {
  if (epoch_ms_field.is_null()) return std::nullopt;
  return timestamp_of(epoch_ms_field);
}

std::optional<std::string> optional_text_of(const pqxx::field& field) {
  if (field.is_null()) return std::nullopt;
  return field.as<std::string>();
}

std::string decimal(double value) {
  char text[32];
  const auto [end, error] = std::to_chars(text, text + sizeof text, value);
  return error == std::errc{} ? std::string(text, end) : std::string("NaN");
}

std::string text_array(const std::vector<std::string>& values) {
  std::string literal = "{";
  for (std::size_t i = 0; i < values.size(); ++i) {
    if (i > 0) literal += ',';
    literal += '"';
    for (char ch : values[i]) {
      if (ch == '"' || ch == '\\') literal += '\\';
      literal += ch;
    }
    literal += '"';
  }
  return literal + "}";
}

}  // namespace gridcase::storage
