#pragma once

#include <optional>
#include <pqxx/pqxx>
#include <string>
#include <vector>

#include "gridcase/domain/scope.hpp"
#include "gridcase/domain/time.hpp"

namespace gridcase::storage {

/// libpqxx 6.4 sends a null `const char*` as SQL NULL: the way optional parameters travel.
const char* nullable(const std::optional<std::string>& value);

/// The code of a scope as its SQL parameter: NULL for the district.
std::optional<std::string> scope_code_of(const domain::Scope& scope);

/// Times cross the SQL boundary as epoch milliseconds (libpqxx 6.4 has no chrono support).
std::string epoch_ms(domain::Timestamp at);
std::optional<std::string> epoch_ms(const std::optional<domain::Timestamp>& at);
domain::Timestamp timestamp_of(const pqxx::field& epoch_ms_field);
std::optional<domain::Timestamp> optional_timestamp_of(const pqxx::field& epoch_ms_field);
std::optional<std::string> optional_text_of(const pqxx::field& field);

/// The shortest text that reads back as the same double.
std::string decimal(double value);

/// A PostgreSQL array literal ({"a","b"}) with every element quoted and escaped.
std::string text_array(const std::vector<std::string>& values);

}  // namespace gridcase::storage
