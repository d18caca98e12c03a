#pragma once

#include <nlohmann/json.hpp>
#include <string>

namespace gridcase::testing {

/// docs/openapi.yaml parsed by a YAML library (yaml-cpp) into JSON, once per process. Plain
/// scalars follow YAML 1.2's core schema (null, booleans, integers, floats; everything else is a
/// string); quoted and block scalars are strings. Throws when the file is not valid YAML.
const nlohmann::json& openapi_document();

/// An OpenAPI document given as YAML text (what GET /api/v1/openapi.yaml serves), read the same
/// way.
nlohmann::json openapi_from_yaml(const std::string& text);

}  // namespace gridcase::testing
