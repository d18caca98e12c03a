#include "webhook_handlers.hpp"

#include <nlohmann/json.hpp>

#include "authentication.hpp"
#include "error_response.hpp"
#include "gridcase/service/webhook_service.hpp"
#include "json_fields.hpp"
#include "query_parameters.hpp"
#include "request_body.hpp"

namespace gridcase::http {
namespace {

using boost::asio::awaitable;
using nlohmann::json;

/// A path's numeric id; any other text names nothing there is (404).
long long path_id(const Request& request, const char* name, const char* what) {
  const std::string& text = request.path_params.at(name);
  const std::optional<long long> id = parse_id(text);
  if (!id || *id < 1)
    throw domain::Error(domain::ErrorCode::kNotFound, std::string("no ") + what + " " + text);
  return *id;
}

/// `limit` (default 50) and `cursor` (the id the previous page ended with).
std::pair<std::optional<long long>, int> page_of(const Request& request) {
  const int limit = query_integer(request, "limit").value_or(50);
  std::optional<long long> after;
  if (const std::optional<std::string> cursor = query_text(request, "cursor")) {
    after = parse_id(*cursor);
    if (!after || *after < 1) domain::throw_invalid("cursor", "not a cursor this list returned");
  }
  return {after, limit};
}

Response retried(const Request& request, long long count) {
  return json_response(request, json{{"retried", count}}.dump());
}

}  // namespace

Handler create_webhook(const service::WebhookService& webhooks, std::size_t max_depth) {
  return [&webhooks, max_depth](Request& request) -> awaitable<Response> {
    require_known_parameters(request, {});
    const json body = parse_json_body(request, max_depth);
    JsonFields fields{body};
    service::NewWebhook webhook;
    webhook.account = fields.required_text("account");
    webhook.url = fields.required_text("url");
    std::optional<std::vector<std::string>> events = fields.texts("events");
    if (!events) domain::throw_malformed("events", "required: an array of event types");
    webhook.events = std::move(*events);
    webhook.secret = fields.text("secret");
    fields.finish();
    service::JsonText found = co_await webhooks.create(std::move(webhook), caller_of(request));
    const std::string id = json::parse(found.text).at("id").dump();
    Response answer = created(request, std::move(found.text), "/api/v1/webhooks/" + id);
    answer.set(boost::beast::http::field::cache_control, "no-store");  // it shows the secret
    co_return answer;
  };
}

Handler list_webhooks(const service::WebhookService& webhooks) {
  return [&webhooks](Request& request) -> awaitable<Response> {
    require_known_parameters(request, {"limit", "cursor"});
    const auto [after, limit] = page_of(request);
    service::JsonText found = co_await webhooks.list(after, limit, caller_of(request));
    co_return json_response(request, std::move(found.text));
  };
}

Handler get_webhook(const service::WebhookService& webhooks) {
  return [&webhooks](Request& request) -> awaitable<Response> {
    require_known_parameters(request, {});
    const long long id = path_id(request, "id", "webhook");
    service::JsonText found = co_await webhooks.webhook(id, caller_of(request));
    co_return json_response(request, std::move(found.text));
  };
}

Handler update_webhook(const service::WebhookService& webhooks, std::size_t max_depth) {
  return [&webhooks, max_depth](Request& request) -> awaitable<Response> {
    require_known_parameters(request, {});
    const long long id = path_id(request, "id", "webhook");
    const json body = parse_json_body(request, max_depth);
    JsonFields fields{body};
    service::WebhookPatch patch;
    patch.url = fields.text("url");
    patch.events = fields.texts("events");
    patch.active = fields.boolean("active");
    fields.finish();
    service::JsonText found = co_await webhooks.update(id, std::move(patch), caller_of(request));
    co_return json_response(request, std::move(found.text));
  };
}

Handler delete_webhook(const service::WebhookService& webhooks) {
  return [&webhooks](Request& request) -> awaitable<Response> {
    require_known_parameters(request, {});
    const long long id = path_id(request, "id", "webhook");
    co_await webhooks.remove(id, caller_of(request));
    co_return no_content(request);
  };
}

Handler list_webhook_deliveries(const service::WebhookService& webhooks) {
  return [&webhooks](Request& request) -> awaitable<Response> {
    require_known_parameters(request, {"state", "limit", "cursor"});
    const long long id = path_id(request, "id", "webhook");
    const auto [after, limit] = page_of(request);
    service::DeliveryQuery query{query_text(request, "state"), after, limit};
    service::JsonText found =
        co_await webhooks.deliveries(id, std::move(query), caller_of(request));
    co_return json_response(request, std::move(found.text));
  };
}

Handler retry_webhook_delivery(const service::WebhookService& webhooks) {
  return [&webhooks](Request& request) -> awaitable<Response> {
    require_known_parameters(request, {});
    const long long id = path_id(request, "id", "webhook");
    const long long delivery = path_id(request, "delivery", "delivery");
    co_return retried(request, co_await webhooks.retry(id, delivery, caller_of(request)));
  };
}

Handler retry_webhook_deliveries(const service::WebhookService& webhooks) {
  return [&webhooks](Request& request) -> awaitable<Response> {
    require_known_parameters(request, {});
    const long long id = path_id(request, "id", "webhook");
    co_return retried(request, co_await webhooks.retry(id, std::nullopt, caller_of(request)));
  };
}

}  // namespace gridcase::http
