#pragma once

#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>

#include "gridcase/domain/time.hpp"
#include "router.hpp"

namespace gridcase::http {

/// Refuses (kMalformed) any query parameter not in `known`.
void require_known_parameters(const Request& request,
                              std::initializer_list<std::string_view> known);

std::optional<std::string> query_text(const Request& request, std::string_view name);
/// A finite decimal number; kMalformed when present and not one.
std::optional<double> query_number(const Request& request, std::string_view name);
/// An integer; kMalformed when present and not one.
std::optional<int> query_integer(const Request& request, std::string_view name);
/// true/false; kMalformed otherwise.
std::optional<bool> query_boolean(const Request& request, std::string_view name);
/// An RFC 3339 time; kMalformed when present and not one.
std::optional<domain::Timestamp> query_time(const Request& request, std::string_view name);

/// A row id as the API writes it (a list cursor, a token id, an event id): decimal digits only,
/// no sign or space, within long long. nullopt for anything else.
std::optional<long long> parse_id(std::string_view text);

/// `target` with the value of every `api_key` parameter of its query (the Open311 key, a
/// secret) replaced by `REDACTED`: what the access log writes.
std::string redacted_target(std::string_view target);

}  // namespace gridcase::http
