#include "gridcase/http/grid_import.hpp"

#include "geojson_features.hpp"
#include "gridcase/domain/error.hpp"
#include "json_fields.hpp"
#include "request_body.hpp"

namespace gridcase::http {

using nlohmann::json;

namespace {

/// The features of a collection, as grid nodes; every shape problem at once.
std::vector<domain::GridNodeInput> read_features(JsonFields& collection, const json& features) {
  std::vector<domain::GridNodeInput> nodes;
  nodes.reserve(features.size());
  std::vector<domain::FieldError> shape;
  std::vector<domain::FieldError> values;
  for_each_feature(
      collection, features, shape,
      [&](const std::string&, JsonFields& feature, JsonFields& properties) {
        const std::optional<JsonFields> geometry = feature.required_object("geometry");
        if (!geometry) return;
        domain::GridNodeInput node;
        node.code = properties.required_text("code");
        node.name = properties.required_text("name");
        node.parent_code = properties.text("parent_code");
        node.valid_from = properties.text("valid_from");
        const std::size_t refused = shape.size();
        const std::string level = properties.required_text("level");
        if (shape.size() == refused) {
          if (std::optional<domain::GridLevel> parsed = domain::parse_grid_level(level)) {
            node.level = *parsed;
          } else {
            values.push_back({properties.path("level"), "district, street, community or cell"});
          }
        }
        node.geometry_geojson = geometry->value().dump();
        nodes.push_back(std::move(node));
      });
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

}  // namespace

std::vector<domain::GridNodeInput> parse_grid_import(std::string_view text, std::size_t max_depth) {
  const json document = parse_json(text, max_depth);
  require_feature_collection(document);
  JsonFields collection{document};
  return read_features(collection, collection.required_array("features"));
}

domain::GridChange parse_grid_change(std::string_view text, std::size_t max_depth) {
  const json document = parse_json(text, max_depth);
  if (!document.is_object()) domain::throw_malformed("body", "must be a JSON object");
  if (document.contains("type") && document["type"] != "FeatureCollection") {
    domain::throw_malformed("type", "a GeoJSON FeatureCollection, or left out");
  }
  // A FeatureCollection with two members of its own (GeoJSON's foreign members): other members
  // are left alone, as an import leaves them.
  JsonFields collection{document};
  domain::GridChange change;
  change.date = collection.text("date");
  change.retire = collection.texts("retire").value_or(std::vector<std::string>{});
  if (const json* features = collection.array("features")) {
    change.nodes = read_features(collection, *features);
  }
  return change;
}

}  // namespace gridcase::http
