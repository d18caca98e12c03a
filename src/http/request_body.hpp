#pragma once

#include <initializer_list>
#include <nlohmann/json.hpp>
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

}  // namespace gridcase::http
