#include "grid_handlers.hpp"

#include <nlohmann/json.hpp>

#include "authentication.hpp"
#include "error_response.hpp"
#include "gridcase/http/grid_import.hpp"
#include "query_parameters.hpp"
#include "request_body.hpp"

namespace gridcase::http {
namespace {

using boost::asio::awaitable;

service::PageRequest page_of(const Request& request) {
  service::PageRequest page;
  page.limit = query_integer(request, "limit").value_or(50);
  page.after = query_text(request, "cursor");
  return page;
}

double required_number(const Request& request, std::string_view name) {
  std::optional<double> value = query_number(request, name);
  if (!value) domain::throw_malformed(std::string(name), "required");
  return *value;
}

}  // namespace

Handler locate_point(const service::GridService& grid) {
  return [&grid](Request& request) -> awaitable<Response> {
    require_known_parameters(request, {"lon", "lat"});
    const domain::Point point{required_number(request, "lon"), required_number(request, "lat")};
    service::JsonText found = co_await grid.locate(point, caller_of(request));
    co_return json_response(request, std::move(found.text));
  };
}

Handler get_grid_node(const service::GridService& grid) {
  return [&grid](Request& request) -> awaitable<Response> {
    require_known_parameters(request, {"geometry"});
    const bool with_geometry = query_boolean(request, "geometry").value_or(false);
    service::JsonText found =
        co_await grid.node(request.path_params.at("code"), with_geometry, caller_of(request));
    co_return json_response(request, std::move(found.text));
  };
}

Handler list_grid_cells(const service::GridService& grid) {
  return [&grid](Request& request) -> awaitable<Response> {
    require_known_parameters(request, {"limit", "cursor"});
    service::JsonText found =
        co_await grid.cells(request.path_params.at("code"), page_of(request), caller_of(request));
    co_return json_response(request, std::move(found.text));
  };
}

Handler list_officers(const service::GridService& grid) {
  return [&grid](Request& request) -> awaitable<Response> {
    require_known_parameters(request, {"grid", "limit", "cursor"});
    std::optional<std::string> code = query_text(request, "grid");
    if (!code) domain::throw_malformed("grid", "required: a grid code whose subtree to list");
    service::JsonText found =
        co_await grid.officers(std::move(*code), page_of(request), caller_of(request));
    co_return json_response(request, std::move(found.text));
  };
}

Handler import_grid(const service::GridService& grid, std::size_t max_depth) {
  return [&grid, max_depth](Request& request) -> awaitable<Response> {
    require_known_parameters(request, {});
    require_content_type(request, {"application/geo+json", "application/json"});
    std::vector<domain::GridNodeInput> nodes = parse_grid_import(request.message.body(), max_depth);
    const service::ImportSummary summary =
        co_await grid.import(std::move(nodes), caller_of(request));
    const nlohmann::json body{{"imported", summary.nodes_by_level}};
    co_return json_response(request, body.dump(), beast_http::status::created);
  };
}

Handler list_units(const service::CatalogService& catalog) {
  return [&catalog](Request& request) -> awaitable<Response> {
    require_known_parameters(request, {});
    service::JsonText found = co_await catalog.units(caller_of(request));
    co_return json_response(request, std::move(found.text));
  };
}

Handler list_categories(const service::CatalogService& catalog) {
  return [&catalog](Request& request) -> awaitable<Response> {
    require_known_parameters(request, {"include_retired"});
    service::JsonText found =
        co_await catalog.categories(query_boolean(request, "include_retired").value_or(false));
    co_return json_response(request, std::move(found.text));
  };
}

}  // namespace gridcase::http
