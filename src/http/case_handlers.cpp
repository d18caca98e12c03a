#include "case_handlers.hpp"

#include <algorithm>

#include "authentication.hpp"
#include "case_codec.hpp"
#include "error_response.hpp"
#include "gridcase/domain/time_text.hpp"
#include "gridcase/domain/timers.hpp"
#include "json_fields.hpp"
#include "query_parameters.hpp"
#include "request_body.hpp"

namespace gridcase::http {
namespace {

using boost::asio::awaitable;
using nlohmann::json;

std::optional<service::IdempotencyRequest> idempotency_of(const Request& request,
                                                          std::string route) {
  const std::string_view key = request.message["Idempotency-Key"];
  if (key.empty()) return std::nullopt;
  const bool ok = key.size() <= 200 && std::all_of(key.begin(), key.end(),
                                                   [](char ch) { return ch > 0x20 && ch < 0x7F; });
  if (!ok) domain::throw_malformed("Idempotency-Key", "1 to 200 visible ASCII characters");
  return service::IdempotencyRequest{std::string(key), std::move(route), request.message.body()};
}

[[noreturn]] void refuse_cursor() {
  domain::throw_invalid("cursor", "not a cursor this list returned");
}

/// Reads a case list cursor into `page` for its order (docs/api.md, "GET /api/v1/cases"):
/// `<id>` for newest, `oldest.<id>`, `deadline.<µs|none>.<id>`, `updated.<µs>.<id>`. A cursor of
/// another order, or none the list returned, is 422 naming `cursor`.
void read_case_cursor(std::string_view cursor, service::CasePage& page) {
  if (page.order != service::CaseOrder::kNewest) {
    const std::string prefix = std::string(to_string(page.order)) + ".";
    if (!cursor.starts_with(prefix)) refuse_cursor();
    cursor.remove_prefix(prefix.size());
  }
  if (page.order == service::CaseOrder::kDeadline || page.order == service::CaseOrder::kUpdated) {
    const std::size_t dot = cursor.find('.');
    if (dot == std::string_view::npos) refuse_cursor();
    const std::string_view key = cursor.substr(0, dot);
    const bool no_deadline = page.order == service::CaseOrder::kDeadline && key == "none";
    const std::optional<long long> value = no_deadline ? service::kNoDeadlineKey : parse_id(key);
    if (!value || (!no_deadline && *value >= service::kNoDeadlineKey)) refuse_cursor();
    page.after_key = *value;
    cursor.remove_prefix(dot + 1);
  }
  const std::optional<long long> id = parse_id(cursor);
  if (!id || *id < 1) refuse_cursor();
  page.after_id = *id;
}

/// The case as `actor` may see it, with its version as the ETag.
Response case_response(const Request& request, const service::CaseView& view,
                       const domain::Actor& actor, beast_http::status status) {
  Response response = json_response(request, case_document(view, &actor).dump(), status);
  response.set(beast_http::field::etag, "\"" + std::to_string(view.version) + "\"");
  return response;
}

/// The answer to a write, fresh or replayed alike: 201 with the new case's Location for the
/// write that created it, else 200. Refusals, fresh or replayed, are thrown and rendered by the
/// one problem mapping (error_response.cpp).
Response write_response(const Request& request, const service::CaseAnswer& answer,
                        const domain::Actor& actor) {
  if (!answer.written.created) {
    return case_response(request, answer.view, actor, beast_http::status::ok);
  }
  Response response = case_response(request, answer.view, actor, beast_http::status::created);
  response.set(beast_http::field::location, "/api/v1/cases/" + answer.written.case_no);
  return response;
}

}  // namespace

Handler receive_case(const service::CaseService& cases, std::size_t max_depth) {
  return [&cases, max_depth](Request& request) -> awaitable<Response> {
    require_known_parameters(request, {});
    const domain::Actor actor = caller_of(request);
    const json body = parse_json_body(request, max_depth);
    domain::NewCase intake = decode_new_case(body);
    const service::CaseAnswer answer = co_await cases.receive(
        std::move(intake), actor, idempotency_of(request, "POST /api/v1/cases"));
    co_return write_response(request, answer, actor);
  };
}

Handler get_case(const service::CaseService& cases) {
  return [&cases](Request& request) -> awaitable<Response> {
    require_known_parameters(request, {});
    const domain::Actor actor = caller_of(request);
    const service::CaseView view = co_await cases.get(request.path_params.at("case_no"), actor);
    co_return case_response(request, view, actor, beast_http::status::ok);
  };
}

Handler claim_case(const service::CaseService& cases, std::size_t max_depth) {
  return [&cases, max_depth](Request& request) -> awaitable<Response> {
    require_known_parameters(request, {});
    if (!request.message.body().empty()) {  // nothing to say: no body, or an empty object
      const json body = parse_json_body(request, max_depth);
      JsonFields{body}.finish();
    }
    const domain::CaseClaim claim =
        co_await cases.claim_case(request.path_params.at("case_no"), caller_of(request));
    const json answer{{"claimed_by", claim.claimed_by},
                      {"claimed_until", domain::format_rfc3339(claim.claimed_until)}};
    co_return json_response(request, answer.dump());
  };
}

Handler release_case_claim(const service::CaseService& cases) {
  return [&cases](Request& request) -> awaitable<Response> {
    require_known_parameters(request, {});
    co_await cases.release_case_claim(request.path_params.at("case_no"), caller_of(request));
    co_return no_content(request);
  };
}

Handler list_cases(const service::CaseService& cases) {
  return [&cases](Request& request) -> awaitable<Response> {
    require_known_parameters(request, {"grid", "status", "channel", "category", "unit", "officer",
                                       "overdue", "from", "to", "q", "limit", "cursor", "sort"});
    const domain::Actor actor = caller_of(request);
    service::CaseFilter filter{query_text(request, "grid"),       query_text(request, "status"),
                               query_text(request, "channel"),    query_text(request, "category"),
                               query_text(request, "unit"),       query_text(request, "officer"),
                               query_boolean(request, "overdue"), query_time(request, "from"),
                               query_time(request, "to"),         query_text(request, "q")};
    if (filter.text && (filter.text->empty() || filter.text->size() > 200)) {
      domain::throw_invalid("q", "1 to 200 bytes");
    }
    service::CasePage page;
    page.limit = query_integer(request, "limit").value_or(50);
    if (std::optional<std::string> sort = query_text(request, "sort")) {
      const std::optional<service::CaseOrder> order = service::parse_case_order(*sort);
      if (!order) domain::throw_invalid("sort", "newest, oldest, deadline or updated");
      page.order = *order;
    }
    if (std::optional<std::string> cursor = query_text(request, "cursor")) {
      read_case_cursor(*cursor, page);
    }
    service::CaseList found = co_await cases.list(std::move(filter), page, actor);
    // Each item's traffic light (null: no running timer), computed with the work calendar.
    json answer = json::parse(found.page.text);
    for (json& item : answer.at("items")) {
      const auto light = found.lights.find(item.at("case_no").get<std::string>());
      item["light"] = light == found.lights.end()
                          ? json(nullptr)
                          : json(std::string(domain::to_string(light->second)));
    }
    co_return json_response(request, answer.dump());
  };
}

Handler act_on_case(const service::CaseService& cases, std::size_t max_depth) {
  return [&cases, max_depth](Request& request) -> awaitable<Response> {
    require_known_parameters(request, {});
    const domain::Actor actor = caller_of(request);
    const std::string& action_name = request.path_params.at("action");
    const std::optional<domain::CaseAction> action = domain::parse_case_action(action_name);
    if (!action || *action == domain::CaseAction::kReceive) {
      throw domain::Error(domain::ErrorCode::kNotFound, "no action " + action_name);
    }
    json body;
    if (!request.message.body().empty()) body = parse_json_body(request, max_depth);
    domain::ActionInput input = decode_action_input(body);
    const std::optional<int> if_match = decode_if_match(request);
    const service::CaseAnswer answer = co_await cases.act(
        request.path_params.at("case_no"), *action, std::move(input), actor, if_match,
        idempotency_of(request, "POST /api/v1/cases/" + request.path_params.at("case_no") +
                                    "/actions/" + action_name));
    co_return write_response(request, answer, actor);
  };
}

Handler get_calendar(const service::CaseService& cases) {
  return [&cases](Request& request) -> awaitable<Response> {
    require_known_parameters(request, {});
    const domain::WorkCalendarSpec spec = co_await cases.calendar();
    co_return json_response(request, calendar_to_json(spec).dump());
  };
}

Handler put_calendar(const service::CaseService& cases, std::size_t max_depth) {
  return [&cases, max_depth](Request& request) -> awaitable<Response> {
    require_known_parameters(request, {});
    const domain::Actor actor = caller_of(request);
    domain::WorkCalendarSpec spec = calendar_from_json(parse_json_body(request, max_depth));
    co_await cases.replace_calendar(spec, actor);
    co_return json_response(request, calendar_to_json(spec).dump());
  };
}

Handler put_categories(const service::CatalogService& catalog, std::size_t max_depth) {
  return [&catalog, max_depth](Request& request) -> awaitable<Response> {
    require_known_parameters(request, {});
    const domain::Actor actor = caller_of(request);
    std::vector<domain::Category> categories = decode_catalog(parse_json_body(request, max_depth));
    co_await catalog.replace_categories(std::move(categories), actor);
    service::JsonText listed = co_await catalog.categories(false);
    co_return json_response(request, std::move(listed.text));
  };
}

Handler put_category_time_limits(const service::CatalogService& catalog, std::size_t max_depth) {
  return [&catalog, max_depth](Request& request) -> awaitable<Response> {
    require_known_parameters(request, {});
    const domain::Actor actor = caller_of(request);
    std::vector<domain::TimeLimitOverride> overrides =
        decode_time_limits(parse_json_body(request, max_depth));
    const service::JsonText listed = co_await catalog.replace_time_limits(
        request.path_params.at("key"), std::move(overrides), actor);
    const nlohmann::json items = nlohmann::json::parse(listed.text).at("items");
    co_return json_response(request, items.at(0).dump());
  };
}

}  // namespace gridcase::http
