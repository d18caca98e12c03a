#include "openapi_document.hpp"

#include <yaml-cpp/yaml.h>

#include <regex>
#include <string>

namespace gridcase::testing {
namespace {

/// A plain (unquoted) scalar as YAML 1.2's core schema reads it.
nlohmann::json plain_scalar(const std::string& text) {
  static const std::regex kNull{"~|null|Null|NULL|"};
  static const std::regex kTrue{"true|True|TRUE"};
  static const std::regex kFalse{"false|False|FALSE"};
  static const std::regex kInteger{"[-+]?[0-9]+"};
  static const std::regex kFloat{R"([-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?)"};
  if (std::regex_match(text, kNull)) return nullptr;
  if (std::regex_match(text, kTrue)) return true;
  if (std::regex_match(text, kFalse)) return false;
  if (std::regex_match(text, kInteger)) return std::stoll(text);
  if (std::regex_match(text, kFloat)) return std::stod(text);
  return text;
}

nlohmann::json to_json(const YAML::Node& node) {
  switch (node.Type()) {
    case YAML::NodeType::Undefined:
    case YAML::NodeType::Null:
      return nullptr;
    case YAML::NodeType::Scalar:
      // yaml-cpp tags a plain scalar "?" and a quoted or block scalar "!".
      return node.Tag() == "?" ? plain_scalar(node.Scalar()) : nlohmann::json(node.Scalar());
    case YAML::NodeType::Sequence: {
      nlohmann::json array = nlohmann::json::array();
      for (const YAML::Node& item : node) array.push_back(to_json(item));
      return array;
    }
    case YAML::NodeType::Map: {
      nlohmann::json object = nlohmann::json::object();
      for (const auto& entry : node) object[entry.first.Scalar()] = to_json(entry.second);
      return object;
    }
  }
  return nullptr;
}

}  // namespace

nlohmann::json openapi_from_yaml(const std::string& text) { return to_json(YAML::Load(text)); }

const nlohmann::json& openapi_document() {
  static const nlohmann::json kDocument =
      to_json(YAML::LoadFile(GRIDCASE_SOURCE_DIR "/docs/openapi.yaml"));
  return kDocument;
}

}  // namespace gridcase::testing
