#pragma once

#include <initializer_list>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>

#include "router.hpp"

namespace gridcase::http {

/// Parses a JSON document, refusing (kMalformed) invalid JSON and nesting deeper than
/// `max_depth` before the parser sees it (deep nesting costs memory, not meaning).
nlohmann::json parse_json(std::string_view text, std::size_t max_depth);

/// Throws kUnsupportedMediaType unless the Content-Type (parameters aside) is one of `types`.
void require_content_type(const Request& request, std::initializer_list<std::string_view> types);

/// Requires a JSON content type (kUnsupportedMediaType) and parses the body.
nlohmann::json parse_json_body(const Request& request, std::size_t max_depth,
                               std::initializer_list<std::string_view> media_types = {
                                   "application/json"});

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

/// A row id as the API writes it (a list cursor, a token id, an event id): decimal digits only,
/// no sign or space, within long long. nullopt for anything else.
std::optional<long long> parse_id(std::string_view text);

}  // namespace gridcase::http
