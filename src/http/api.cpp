#include "api.hpp"

#include <nlohmann/json.hpp>

#include "account_handlers.hpp"
#include "address_handlers.hpp"
#include "attachment_handlers.hpp"
#include "audit_handlers.hpp"
#include "authentication.hpp"
#include "case_handlers.hpp"
#include "console_handlers.hpp"
#include "docs_handlers.hpp"
#include "error_response.hpp"
#include "event_handlers.hpp"
#include "grid_handlers.hpp"
#include "gridcase/service/credentials.hpp"
#include "open311_handlers.hpp"
#include "report_handlers.hpp"
#include "staff_handlers.hpp"
#include "suggestion_handlers.hpp"
#include "webhook_handlers.hpp"

namespace gridcase::http {
namespace {

using beast_http::verb;
using boost::asio::awaitable;

Handler health() {
  return [](Request& request) -> awaitable<Response> {
    co_return json_response(request, R"({"status":"ok"})");
  };
}

Handler readiness(const service::HealthService& health) {
  return [&health](Request& request) -> awaitable<Response> {
    const service::Readiness readiness = co_await health.readiness();
    if (!readiness.ready) {
      throw domain::Error(domain::ErrorCode::kUnavailable, "not ready: " + readiness.reason,
                          {.retry_after = std::chrono::seconds{1}});
    }
    co_return json_response(request, R"({"status":"ready"})");
  };
}

/// /metrics: public, or, with http.metrics_token set, for a scraper sending it as a bearer token
/// (a session token does not do: the figures name no person, but they are the operator's).
Handler metrics_text(const Services& services, const Metrics& metrics, const EventHub& events,
                     const std::string& metrics_token) {
  return [&services, &metrics, &events, &metrics_token](Request& request) -> awaitable<Response> {
    if (!metrics_token.empty() &&
        !service::equal_in_constant_time(bearer_token_of(request), metrics_token)) {
      throw domain::Error(
          domain::ErrorCode::kUnauthenticated,
          "/metrics needs the metrics token (http.metrics_token) as a bearer token");
    }
    std::vector<service::Gauge> gauges = services.process_gauges();
    gauges.push_back({"gridcase_http_event_streams", "", "", static_cast<long long>(events.size()),
                      "Live feeds (event streams) open on this process."});
    try {
      std::vector<service::Gauge> database = co_await services.health.gauges();
      gauges.insert(gauges.end(), database.begin(), database.end());
    } catch (const domain::Error&) {
      // The pool's gridcase_database_up gauge already says the database is down.
    }
    Response response{beast_http::status::ok, request.message.version()};
    response.set(beast_http::field::content_type, "text/plain; version=0.0.4; charset=utf-8");
    response.body() = metrics.render(gauges);
    response.prepare_payload();
    co_return response;
  };
}

}  // namespace

Router make_api_router(const Services& services, const ServerOptions& options,
                       const Metrics& metrics, EventHub& events) {
  Router router;
  const service::GridService& grid = services.grid;
  const service::CatalogService& catalog = services.catalog;
  const service::CaseService& cases = services.cases;
  const service::AuthService& auth = services.auth;
  const std::size_t depth = options.max_json_depth;
  // Public: operations, the API description and signing in. Everything else needs a token.
  router.add(verb::get, "/healthz", BodyKind::kNone, health());
  router.add(verb::get, "/readyz", BodyKind::kNone, readiness(services.health));
  router.add(verb::get, "/metrics", BodyKind::kNone,
             metrics_text(services, metrics, events, options.metrics_token));
  router.add(verb::get, "/api/v1/openapi.yaml", BodyKind::kNone, openapi_document());
  router.add(verb::get, "/", BodyKind::kNone, console_page(options.console_dir));
  router.add(verb::get, "/console/{file}", BodyKind::kNone, console_file(options.console_dir));
  router.add(verb::get, "/api/v1/docs", BodyKind::kNone, api_reference_page());
  router.add(verb::get, "/api/v1/docs/{file}", BodyKind::kNone, api_reference_file());
  router.add(verb::post, "/api/v1/sessions", BodyKind::kJson,
             create_session(auth, depth, options.cookie_secure));
  // Open311 GeoReport v2 (docs/integrations.md): public reads; filing checks its api_key itself.
  const service::Open311Service& open311 = services.open311;
  router.add(verb::get, "/open311/v2/discovery.{format}", BodyKind::kNone,
             open311_discovery(open311));
  router.add(verb::get, "/open311/v2/services.{format}", BodyKind::kNone,
             open311_services(open311, catalog));
  router.add(verb::get, "/open311/v2/services/{service_code}.{format}", BodyKind::kNone,
             open311_service_definition(open311, catalog));
  router.add(verb::post, "/open311/v2/requests.{format}", BodyKind::kForm,
             open311_post_request(open311, catalog), open311_filing_guard(open311));
  router.add(verb::get, "/open311/v2/requests.{format}", BodyKind::kNone,
             open311_get_requests(open311));
  router.add(verb::get, "/open311/v2/requests/{service_request_id}.{format}", BodyKind::kNone,
             open311_get_request(open311));
  router.add(verb::get, "/open311/v2/tokens/{token}.{format}", BodyKind::kNone,
             open311_get_token(open311));
  // A citizen report's photo, the target of Open311's media_url (docs/integrations.md).
  router.add(verb::get, "/open311/v2/media/{id}", BodyKind::kNone,
             public_report_photo(services.attachments));

  // Every other route is guarded: the caller is authenticated (and, for a body that may be
  // large, authorized) from the header before the body is read (request_exchange.hpp).
  const Guard signed_in = authenticated(auth);
  auto add = [&router, &signed_in](verb method, std::string pattern, BodyKind body,
                                   Handler handler) {
    router.add(method, std::move(pattern), body, std::move(handler), signed_in);
  };
  add(verb::get, "/api/v1/sessions/current", BodyKind::kNone, get_current_session(auth));
  add(verb::delete_, "/api/v1/sessions/current", BodyKind::kNone, delete_current_session(auth));
  add(verb::get, "/api/v1/users", BodyKind::kNone, list_users(auth));
  add(verb::post, "/api/v1/users", BodyKind::kJson, create_user(auth, depth));
  add(verb::get, "/api/v1/users/{username}", BodyKind::kNone, get_user(auth));
  add(verb::patch, "/api/v1/users/{username}", BodyKind::kJson, update_user(auth, depth));
  add(verb::get, "/api/v1/users/{username}/tokens", BodyKind::kNone, list_user_tokens(auth));
  add(verb::post, "/api/v1/users/{username}/tokens", BodyKind::kJson,
      create_user_token(auth, depth));
  add(verb::delete_, "/api/v1/users/{username}/tokens/{token_id}", BodyKind::kNone,
      revoke_user_token(auth));
  add(verb::get, "/api/v1/admin/audit", BodyKind::kNone, list_audit_records(services.audit));
  // Outbound delivery to integrations (docs/integrations.md, "Webhooks").
  const service::WebhookService& webhooks = services.webhooks;
  add(verb::post, "/api/v1/webhooks", BodyKind::kJson, create_webhook(webhooks, depth));
  add(verb::get, "/api/v1/webhooks", BodyKind::kNone, list_webhooks(webhooks));
  add(verb::get, "/api/v1/webhooks/{id}", BodyKind::kNone, get_webhook(webhooks));
  add(verb::patch, "/api/v1/webhooks/{id}", BodyKind::kJson, update_webhook(webhooks, depth));
  add(verb::delete_, "/api/v1/webhooks/{id}", BodyKind::kNone, delete_webhook(webhooks));
  add(verb::get, "/api/v1/webhooks/{id}/deliveries", BodyKind::kNone,
      list_webhook_deliveries(webhooks));
  add(verb::post, "/api/v1/webhooks/{id}/deliveries/{delivery}/retry", BodyKind::kNone,
      retry_webhook_delivery(webhooks));
  add(verb::post, "/api/v1/webhooks/{id}/retry", BodyKind::kNone,
      retry_webhook_deliveries(webhooks));
  add(verb::get, "/api/v1/grid/locate", BodyKind::kNone, locate_point(grid));
  router.add(verb::post, "/api/v1/grid/import", BodyKind::kImport, import_grid(grid, depth),
             district_admin(auth, "import the grid"));
  router.add(verb::post, "/api/v1/grid/replace", BodyKind::kImport, replace_grid_nodes(grid, depth),
             district_admin(auth, "change the grid"));
  router.add(verb::post, "/api/v1/grid/{code}/retire", BodyKind::kJson,
             retire_grid_node(grid, depth), district_admin(auth, "retire grid nodes"));
  add(verb::get, "/api/v1/grid/{code}", BodyKind::kNone, get_grid_node(grid));
  add(verb::get, "/api/v1/grid/{code}/cells", BodyKind::kNone, list_grid_cells(grid));
  add(verb::get, "/api/v1/grid/{code}/map", BodyKind::kNone, grid_map(grid));
  add(verb::get, "/api/v1/grid/{code}/counts", BodyKind::kNone, grid_stage_counts(cases));
  add(verb::get, "/api/v1/officers", BodyKind::kNone, list_officers(grid, services.staff));
  // District administration of officers, duties and units (docs/administration.md).
  const service::StaffService& staff = services.staff;
  add(verb::post, "/api/v1/officers", BodyKind::kJson, create_officer(staff, depth));
  add(verb::get, "/api/v1/officers/{code}", BodyKind::kNone, get_officer(staff));
  add(verb::patch, "/api/v1/officers/{code}", BodyKind::kJson, update_officer(staff, depth));
  add(verb::post, "/api/v1/duties", BodyKind::kJson, assign_duty(staff, depth));
  add(verb::post, "/api/v1/duties/handover", BodyKind::kJson, hand_over_duty(staff, depth));
  add(verb::post, "/api/v1/duties/{id}/end", BodyKind::kJson, end_duty(staff, depth));
  add(verb::get, "/api/v1/grid/{code}/duties", BodyKind::kNone, list_cell_duties(staff));
  add(verb::post, "/api/v1/units", BodyKind::kJson, create_unit(staff, depth));
  add(verb::patch, "/api/v1/units/{code}", BodyKind::kJson, update_unit(staff, depth));
  add(verb::get, "/api/v1/units/{code}/staff", BodyKind::kNone, list_unit_staff(staff));
  add(verb::get, "/api/v1/addresses", BodyKind::kNone, search_addresses(services.addresses));
  router.add(verb::post, "/api/v1/addresses/import", BodyKind::kImport,
             import_addresses(services.addresses, depth),
             district_admin(auth, "import the address gazetteer"));
  add(verb::get, "/api/v1/units", BodyKind::kNone, list_units(catalog));
  add(verb::get, "/api/v1/categories", BodyKind::kNone, list_categories(catalog));
  router.add(verb::put, "/api/v1/categories", BodyKind::kImport, put_categories(catalog, depth),
             district_admin(auth, "replace the category catalogue"));
  add(verb::put, "/api/v1/categories/{key}/time-limits", BodyKind::kJson,
      put_category_time_limits(catalog, depth));
  add(verb::post, "/api/v1/cases", BodyKind::kJson, receive_case(cases, depth));
  add(verb::get, "/api/v1/cases", BodyKind::kNone, list_cases(cases));
  add(verb::get, "/api/v1/cases/{case_no}", BodyKind::kNone, get_case(cases));
  add(verb::post, "/api/v1/cases/{case_no}/claim", BodyKind::kJson, claim_case(cases, depth));
  add(verb::delete_, "/api/v1/cases/{case_no}/claim", BodyKind::kNone, release_case_claim(cases));
  add(verb::get, "/api/v1/cases/{case_no}/suggestions", BodyKind::kNone, get_suggestions(cases));
  add(verb::post, "/api/v1/cases/{case_no}/actions/{action}", BodyKind::kJson,
      act_on_case(cases, depth));
  // Evidence photos (docs/attachments.md).
  const service::AttachmentService& attachments = services.attachments;
  add(verb::post, "/api/v1/attachments", BodyKind::kUpload, upload_attachment(attachments));
  add(verb::get, "/api/v1/attachments/{id}/{size}", BodyKind::kNone,
      download_attachment(attachments));
  add(verb::post, "/api/v1/cases/{case_no}/attachments", BodyKind::kUpload,
      upload_case_attachment(attachments));
  add(verb::get, "/api/v1/cases/{case_no}/attachments", BodyKind::kNone,
      list_case_attachments(attachments));
  add(verb::get, "/api/v1/calendar", BodyKind::kNone, get_calendar(cases));
  add(verb::put, "/api/v1/calendar", BodyKind::kJson, put_calendar(cases, depth));
  add(verb::get, "/api/v1/reports", BodyKind::kNone, get_report(services.reports, grid));
  router.add_stream(
      verb::get, "/api/v1/events/stream",
      stream_events(grid, cases, events, {options.stream_keepalive, options.stream_replay_events}),
      signed_in);
  return router;
}

}  // namespace gridcase::http
