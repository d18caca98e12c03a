#include "request_exchange.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <cctype>
#include <functional>
#include <optional>

#include "error_response.hpp"
#include "multipart.hpp"
#include "open311_handlers.hpp"

namespace gridcase::http {
Refusal too_slow(const ServerOptions& options, unsigned version) {
  return Refusal{beast_http::status::request_timeout,
                 "the request did not arrive within " +
                     std::to_string(options.read_timeout.count()) +
                     " s of its first byte (http.read_timeout_seconds)",
                 version};
}

namespace {

std::string_view trim(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
  return text;
}

bool iequals(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) ==
                  std::tolower(static_cast<unsigned char>(y));
         });
}

}  // namespace

std::string framing_problem(const beast_http::request_parser<beast_http::string_body>& parser) {
  const auto& header = parser.get();
  const std::size_t lengths = header.count(beast_http::field::content_length);
  const std::size_t encodings = header.count(beast_http::field::transfer_encoding);
  if (lengths > 1) return "more than one Content-Length";
  if (encodings > 1) return "more than one Transfer-Encoding";
  if (encodings == 1) {
    if (!iequals(trim(header[beast_http::field::transfer_encoding]), "chunked")) {
      return "Transfer-Encoding other than chunked";
    }
    if (lengths == 1) return "both Transfer-Encoding and Content-Length";
  }
  return {};
}

bool is_parse_error(const boost::system::error_code& ec) {
  return ec.category() == beast_http::make_error_code(beast_http::error::bad_target).category() &&
         ec != beast_http::error::end_of_stream && ec != beast_http::error::partial_message;
}

std::size_t body_limit(const ServerOptions& options, const RouteMatch& match,
                       std::string_view content_type) {
  const BodyKind kind = match.route != nullptr ? match.route->body : BodyKind::kJson;
  if (kind == BodyKind::kUpload) return options.upload_body_limit_bytes;
  if (kind == BodyKind::kForm && is_form_with_files(content_type)) {
    return options.upload_body_limit_bytes;
  }
  return kind == BodyKind::kImport ? options.import_body_limit_bytes
                                   : options.json_body_limit_bytes;
}

namespace {

using Step = std::function<boost::asio::awaitable<std::optional<Response>>()>;

/// Runs one step of answering `request`: the one catch of the pipeline. domain::Error becomes
/// its status and problem document, anything else a logged 500.
boost::asio::awaitable<std::optional<Response>> answering(const RouteMatch& match, Request& request,
                                                          const Step& step) {
  std::optional<domain::Error> failure;
  try {
    co_return co_await step();
  } catch (const domain::Error& error) {
    failure = error;
  } catch (const std::exception& error) {
    spdlog::error("[{}] unhandled: {}", request.request_id, error.what());
    failure = domain::Error(domain::ErrorCode::kInternal, "internal error");
  }
  // Under /open311 every refusal is in the specification's format, whoever raised it.
  Response response = is_open311_target(request.message.target())
                          ? open311_error_response(*failure, request)
                          : problem_response(*failure, request);
  if (failure->code() == domain::ErrorCode::kMethodNotAllowed) {
    std::string allow;
    for (beast_http::verb verb : match.allowed) {
      allow += (allow.empty() ? "" : ", ") + std::string(beast_http::to_string(verb));
    }
    response.set(beast_http::field::allow, allow);
  }
  co_return response;
}

}  // namespace

boost::asio::awaitable<std::optional<Response>> admit(const RouteMatch& match, Request& request) {
  if (match.route == nullptr || !match.route->guard) co_return std::nullopt;
  const Step guard = [&match, &request]() -> boost::asio::awaitable<std::optional<Response>> {
    co_await match.route->guard(request);
    co_return std::nullopt;
  };
  co_return co_await answering(match, request, guard);
}

boost::asio::awaitable<Response> respond(const RouteMatch& match, Request& request,
                                         StreamBody& stream_body) {
  const Step handle = [&match, &request,
                       &stream_body]() -> boost::asio::awaitable<std::optional<Response>> {
    if (match.route == nullptr) {
      if (!match.allowed.empty()) {
        throw domain::Error(domain::ErrorCode::kMethodNotAllowed,
                            std::string(request.message.method_string()) + " is not allowed here");
      }
      throw domain::Error(domain::ErrorCode::kNotFound, "no such resource");
    }
    const std::string_view target = request.message.target();
    const std::size_t question = target.find('?');
    if (question != std::string_view::npos)
      request.query = parse_query(target.substr(question + 1));
    if (match.route->stream) {
      StreamingResponse streaming = co_await match.route->stream(request);
      stream_body = std::move(streaming.body);
      co_return std::move(streaming.head);
    }
    co_return co_await match.route->handler(request);
  };
  co_return *co_await answering(match, request, handle);
}

}  // namespace gridcase::http
