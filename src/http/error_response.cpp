#include "error_response.hpp"

#include <nlohmann/json.hpp>

namespace gridcase::http {
namespace {

using domain::ErrorCode;
using nlohmann::json;

std::string slug_for(beast_http::status status) {
  std::string slug{beast_http::obsolete_reason(status)};
  for (char& ch : slug) {
    ch = ch == ' ' ? '-' : static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
  }
  return slug;
}

json problem_body(beast_http::status status, std::string_view detail) {
  return json{{"type", "urn:gridcase:problem:" + slug_for(status)},
              {"title", std::string(beast_http::obsolete_reason(status))},
              {"status", static_cast<unsigned>(status)},
              {"detail", std::string(detail)}};
}

Response make(beast_http::status status, const json& body, unsigned version) {
  Response response{status, version};
  response.set(beast_http::field::content_type, "application/problem+json");
  response.body() = body.dump(-1, ' ', false, json::error_handler_t::replace);
  response.prepare_payload();
  return response;
}

}  // namespace

beast_http::status status_for(ErrorCode code) {
  using beast_http::status;
  switch (code) {
    case ErrorCode::kMalformed:
      return status::bad_request;
    case ErrorCode::kUnauthenticated:
      return status::unauthorized;
    case ErrorCode::kForbidden:
      return status::forbidden;
    case ErrorCode::kNotFound:
      return status::not_found;
    case ErrorCode::kMethodNotAllowed:
      return status::method_not_allowed;
    case ErrorCode::kInvalidTransition:
    case ErrorCode::kConflict:
      return status::conflict;
    case ErrorCode::kPreconditionFailed:
      return status::precondition_failed;
    case ErrorCode::kTooLarge:
      return status::payload_too_large;
    case ErrorCode::kUnsupportedMediaType:
      return status::unsupported_media_type;
    case ErrorCode::kInvalidValue:
      return status::unprocessable_entity;
    case ErrorCode::kRateLimited:
      return status::too_many_requests;
    case ErrorCode::kUnavailable:
      return status::service_unavailable;
    case ErrorCode::kInternal:
      break;
  }
  return status::internal_server_error;
}

Response problem_response(const domain::Error& error, const Request& request) {
  const beast_http::status status = status_for(error.code());
  json body =
      problem_body(status, error.code() == ErrorCode::kInternal ? "internal error" : error.what());
  body["instance"] = std::string(request.message.target());
  body["request_id"] = request.request_id;
  const domain::ErrorDetails& details = error.details();
  if (!details.fields.empty()) {
    json fields = json::array();
    for (const domain::FieldError& field : details.fields) {
      fields.push_back({{"field", field.field}, {"message", field.message}});
    }
    body["errors"] = std::move(fields);
  }
  if (error.code() == ErrorCode::kInvalidTransition || !details.allowed_actions.empty()) {
    body["allowed_actions"] = details.allowed_actions;
  }
  Response response = make(status, body, request.message.version());
  if (details.retry_after) {
    response.set(beast_http::field::retry_after, std::to_string(details.retry_after->count()));
  } else if (status == beast_http::status::service_unavailable) {
    response.set(beast_http::field::retry_after, "1");
  }
  if (status == beast_http::status::unauthorized) {
    response.set(beast_http::field::www_authenticate, "Bearer");
  }
  return response;
}

Response problem_response(beast_http::status status, std::string_view detail, unsigned version,
                          std::string_view request_id) {
  json body = problem_body(status, detail);
  body["request_id"] = request_id;
  Response response = make(status, body, version);
  response.set("X-Request-Id", request_id);
  return response;
}

Response json_response(const Request& request, std::string body, beast_http::status status) {
  Response response{status, request.message.version()};
  response.set(beast_http::field::content_type, "application/json");
  response.body() = std::move(body);
  response.prepare_payload();
  return response;
}

Response created(const Request& request, std::string body, const std::string& location) {
  Response response = json_response(request, std::move(body), beast_http::status::created);
  response.set(beast_http::field::location, location);
  return response;
}

Response no_content(const Request& request) {
  Response response{beast_http::status::no_content, request.message.version()};
  response.prepare_payload();
  return response;
}

}  // namespace gridcase::http
