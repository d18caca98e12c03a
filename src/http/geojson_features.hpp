#pragma once

#include <cstddef>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "gridcase/domain/error.hpp"
#include "json_fields.hpp"

namespace gridcase::http {

/// Refuses (400 naming `type`) a document that is not a GeoJSON FeatureCollection. Its members
/// beyond the format's (a file's name, crs, bbox, a feature's id, other properties) are GeoJSON's
/// business: the imports refuse no unknown field.
inline void require_feature_collection(const nlohmann::json& document) {
  if (!document.is_object() || document.value("type", nlohmann::json()) != "FeatureCollection") {
    domain::throw_malformed("type", "a GeoJSON FeatureCollection");
  }
}

/// Calls `read(at, feature, properties)` for each item of `features` that is a Feature with a
/// `properties` object (`at`: `features[3]`); any other item is a problem collected in `shape`,
/// so that a file's every shape problem is reported at once.
template <class Read>
void for_each_feature(const JsonFields& collection, const nlohmann::json& features,
                      std::vector<domain::FieldError>& shape, const Read& read) {
  for (std::size_t i = 0; i < features.size(); ++i) {
    const nlohmann::json& item = features[i];
    const std::string at = collection.item_path("features", i);
    if (!item.is_object() || item.value("type", nlohmann::json()) != "Feature") {
      shape.push_back({at + ".type", "must be a Feature"});
      continue;
    }
    JsonFields feature{item, at, shape};
    std::optional<JsonFields> properties = feature.required_object("properties");
    if (properties) read(at, feature, *properties);
  }
}

}  // namespace gridcase::http
