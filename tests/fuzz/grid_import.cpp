// GeoJSON grid import (include/gridcase/http/grid_import.hpp, domain.md §2): reading the
// FeatureCollection, the domain's checks, and POST /api/v1/grid/import. What is read must be
// written back and read again unchanged; the route reaches the database exactly when reading
// and the domain's checks found nothing.

#include "gridcase/http/grid_import.hpp"

#include <cstddef>
#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

#include "gridcase/domain/error.hpp"
#include "gridcase/domain/grid.hpp"
#include "harness.hpp"

namespace {

using gridcase::fuzz::require;
using nlohmann::json;
namespace domain = gridcase::domain;
namespace http = gridcase::http;

constexpr std::size_t kMaxDepth = 32;  // ServerOptions::max_json_depth

json feature_collection(const std::vector<domain::GridNodeInput>& nodes) {
  json features = json::array();
  for (const domain::GridNodeInput& node : nodes) {
    json properties{{"code", node.code},
                    {"name", node.name},
                    {"level", std::string(domain::to_string(node.level))}};
    if (node.parent_code) properties["parent_code"] = *node.parent_code;
    if (node.valid_from) properties["valid_from"] = *node.valid_from;
    features.push_back({{"type", "Feature"},
                        {"properties", properties},
                        {"geometry", json::parse(node.geometry_geojson)}});
  }
  return {{"type", "FeatureCollection"}, {"features", features}};
}

bool same(const domain::GridNodeInput& a, const domain::GridNodeInput& b) {
  return a.code == b.code && a.name == b.name && a.level == b.level &&
         a.parent_code == b.parent_code && a.valid_from == b.valid_from &&
         a.geometry_geojson == b.geometry_geojson;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text{reinterpret_cast<const char*>(data), size};
  std::vector<domain::GridNodeInput> nodes;
  bool readable = true;
  try {
    nodes = http::parse_grid_import(text, kMaxDepth);
  } catch (const domain::Error& error) {
    require(error.code() == domain::ErrorCode::kMalformed ||
                error.code() == domain::ErrorCode::kInvalidValue,
            "an unreadable import is kMalformed or kInvalidValue");
    readable = false;
  }
  bool valid = false;
  if (readable) {
    for (const domain::GridNodeInput& node : nodes) {
      const json geometry = json::parse(node.geometry_geojson, nullptr, false);
      require(geometry.is_object(), "a node's geometry is a JSON object");
    }
    // Written back, the nodes read the same: nothing of a feature is lost or changed in reading.
    const std::vector<domain::GridNodeInput> again =
        http::parse_grid_import(feature_collection(nodes).dump(), kMaxDepth);
    require(
        again.size() == nodes.size() && std::equal(again.begin(), again.end(), nodes.begin(), same),
        "an import written back reads the same");
    const std::vector<domain::FieldError> problems = domain::validate_grid_import(nodes);
    for (const domain::FieldError& problem : problems) {
      require(problem.field.starts_with("features"), "an import problem names a feature");
    }
    valid = problems.empty();
    if (valid) {
      for (const domain::GridNodeInput& node : nodes) {
        require(!domain::code_problem(node.code, node.level), "a valid import has valid codes");
        require(node.level == domain::GridLevel::kDistrict ||
                    node.parent_code == domain::parent_code_of(node.code),
                "a valid import's parents are the codes' prefixes");
      }
    }
  }

  gridcase::fuzz::Api& api = gridcase::fuzz::Api::instance();
  http::beast_http::request<http::beast_http::string_body> message{http::beast_http::verb::post,
                                                                   "/api/v1/grid/import", 11};
  message.set(http::beast_http::field::authorization, api.authorization());
  message.set(http::beast_http::field::content_type, "application/geo+json");
  message.body() = std::string(text);
  message.prepare_payload();
  const http::Response response = api.answer(std::move(message));
  require(valid == (api.crossing().operation == "import_nodes"),
          "the import reaches the database exactly when it is valid (" +
              std::to_string(response.result_int()) + ")");
  return 0;
}
