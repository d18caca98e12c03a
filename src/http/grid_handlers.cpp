#include "grid_handlers.hpp"

#include <nlohmann/json.hpp>

#include "authentication.hpp"
#include "error_response.hpp"
#include "gridcase/http/grid_import.hpp"
#include "json_fields.hpp"
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
    require_known_parameters(request, {"geometry", "history"});
    const bool with_geometry = query_boolean(request, "geometry").value_or(false);
    const bool history = query_boolean(request, "history").value_or(false);
    service::JsonText found = co_await grid.node(request.path_params.at("code"), with_geometry,
                                                 caller_of(request), history);
    co_return json_response(request, std::move(found.text));
  };
}

Handler list_grid_cells(const service::GridService& grid) {
  return [&grid](Request& request) -> awaitable<Response> {
    require_known_parameters(request, {"limit", "cursor", "history"});
    const bool history = query_boolean(request, "history").value_or(false);
    service::JsonText found = co_await grid.cells(request.path_params.at("code"), page_of(request),
                                                  caller_of(request), history);
    co_return json_response(request, std::move(found.text));
  };
}

Handler grid_map(const service::GridService& grid) {
  return [&grid](Request& request) -> awaitable<Response> {
    require_known_parameters(request, {"level"});
    service::JsonText found = co_await grid.map(request.path_params.at("code"),
                                                query_text(request, "level"), caller_of(request));
    Response response = json_response(request, std::move(found.text));
    response.set(beast_http::field::content_type, "application/geo+json");
    co_return response;
  };
}

Handler grid_stage_counts(const service::CaseService& cases) {
  return [&cases](Request& request) -> awaitable<Response> {
    require_known_parameters(request, {});
    const std::string& code = request.path_params.at("code");
    const std::vector<service::StageCount> counts =
        co_await cases.stage_counts(code, caller_of(request));
    nlohmann::json stages = nlohmann::json::array();
    long long open = 0, overdue = 0;
    for (const service::StageCount& count : counts) {
      stages.push_back({{"status", domain::to_string(count.status)},
                        {"open", count.open},
                        {"green", count.green},
                        {"yellow", count.yellow},
                        {"red", count.red},
                        {"overdue", count.red}});
      open += count.open;
      overdue += count.red;
    }
    const nlohmann::json answer{
        {"code", code}, {"stages", std::move(stages)}, {"open", open}, {"overdue", overdue}};
    co_return json_response(request, answer.dump());
  };
}

Handler list_officers(const service::GridService& grid, const service::StaffService& staff) {
  return [&grid, &staff](Request& request) -> awaitable<Response> {
    require_known_parameters(request, {"grid", "limit", "cursor"});
    std::optional<std::string> code = query_text(request, "grid");
    if (!code) {
      // Without a subtree: every officer, active or not, for the district's admin.
      service::JsonText all = co_await staff.officers(page_of(request), caller_of(request));
      co_return json_response(request, std::move(all.text));
    }
    service::JsonText found =
        co_await grid.officers(std::move(*code), page_of(request), caller_of(request));
    co_return json_response(request, std::move(found.text));
  };
}

Handler import_grid(const service::GridService& grid, std::size_t max_depth) {
  return [&grid, max_depth](Request& request) -> awaitable<Response> {
    require_known_parameters(request, {"mode", "date"});
    domain::GridImportMode mode = domain::GridImportMode::kAdd;
    if (std::optional<std::string> named = query_text(request, "mode")) {
      std::optional<domain::GridImportMode> parsed = domain::parse_grid_import_mode(*named);
      if (!parsed) domain::throw_invalid("mode", "add or replace");
      mode = *parsed;
    }
    std::optional<std::string> date = query_text(request, "date");
    if (date && mode != domain::GridImportMode::kReplace) {
      domain::throw_invalid("date", "only with mode=replace (a node's own date is its valid_from)");
    }
    require_content_type(request, {"application/geo+json", "application/json"});
    std::vector<domain::GridNodeInput> nodes = parse_grid_import(request.message.body(), max_depth);
    if (mode == domain::GridImportMode::kReplace) {
      service::JsonText done =
          co_await grid.import_replacing(std::move(nodes), std::move(date), caller_of(request));
      co_return json_response(request, std::move(done.text), beast_http::status::created);
    }
    const service::ImportSummary summary =
        co_await grid.import(std::move(nodes), caller_of(request));
    const nlohmann::json body{{"imported", summary.nodes_by_level}};
    co_return json_response(request, body.dump(), beast_http::status::created);
  };
}

Handler retire_grid_node(const service::GridService& grid, std::size_t max_depth) {
  return [&grid, max_depth](Request& request) -> awaitable<Response> {
    require_known_parameters(request, {});
    nlohmann::json body = nlohmann::json::object();
    if (!request.message.body().empty()) body = parse_json_body(request, max_depth);
    JsonFields fields{body};
    std::optional<std::string> date = fields.text("date");
    fields.finish();
    service::JsonText done =
        co_await grid.retire(request.path_params.at("code"), std::move(date), caller_of(request));
    co_return json_response(request, std::move(done.text));
  };
}

Handler replace_grid_nodes(const service::GridService& grid, std::size_t max_depth) {
  return [&grid, max_depth](Request& request) -> awaitable<Response> {
    require_known_parameters(request, {});
    require_content_type(request, {"application/geo+json", "application/json"});
    domain::GridChange change = parse_grid_change(request.message.body(), max_depth);
    service::JsonText done = co_await grid.change(std::move(change), caller_of(request));
    co_return json_response(request, std::move(done.text), beast_http::status::created);
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
