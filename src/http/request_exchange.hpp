#pragma once

// One request of a connection, apart from the socket (docs/architecture.md, Life of a request,
// steps 2-4): read it under the server's limits and smuggling checks, route it, answer it. The
// server's session loop drives these over TCP; tests/fuzz drives the same code over bytes.

#include <algorithm>
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/experimental/awaitable_operators.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http/error.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/status.hpp>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <variant>

#include "gridcase/http/server.hpp"
#include "router.hpp"

namespace gridcase::http {

/// A request refused before any handler saw it: answer `status` with `detail`, then close.
struct Refusal {
  beast_http::status status;
  std::string detail;
  unsigned version = 11;
};

/// A request with the route it matched: admitted by the route's guard and read whole, or turned
/// away by the guard from its header alone.
struct Incoming {
  Request request;
  RouteMatch match;
  /// The guard's refusal (401, 403, ...): the answer, given without reading the body.
  std::optional<Response> turned_away;
  /// Part of the body is still unread (it was turned away): the connection closes after the
  /// answer, since what follows on it is not the start of a request.
  bool body_unread = false;
};

/// Nothing to answer (the peer closed or timed out mid-request), a refusal, or a request.
using ReadOutcome = std::variant<std::monostate, Refusal, Incoming>;

/// Where a request came from: the peer's address, and how its id is chosen from the client's
/// X-Request-Id (empty when none was sent).
struct RequestOrigin {
  std::string remote_address;
  std::function<std::string(std::string_view given)> request_id;
};

/// Why a request's framing is refused (smuggling defences, contract/api.md), or empty when it is
/// fine.
std::string framing_problem(const beast_http::request_parser<beast_http::string_body>& parser);

/// A request the parser refused (not a closed or timed-out connection): it deserves a 400.
bool is_parse_error(const boost::system::error_code& ec);

/// The body limit of a route (of the JSON routes when nothing matched); a form route's depends
/// on the request's `content_type` (BodyKind::kForm).
std::size_t body_limit(const ServerOptions& options, const RouteMatch& match,
                       std::string_view content_type);

/// 408 for a request whose header or body did not all arrive within http.read_timeout_seconds
/// of its first byte (a slow upload, a slowloris): answered, then the connection closes.
Refusal too_slow(const ServerOptions& options, unsigned version = 11);

/// The route's guard on a request whose header alone was read (step 3, Admission): nullopt when
/// it is admitted (the caller is then set on it), else the refusal's answer.
boost::asio::awaitable<std::optional<Response>> admit(const RouteMatch& match, Request& request);

/// Reads one request from `stream` (bytes already in `buffer` first): the header under
/// `header_limit_bytes`, the framing checks, the route, the route's guard from the header alone,
/// then the body under the route's limit. A request the guard turns away is answered without
/// its body: one the size of a JSON body is read and dropped so the connection can go on, a
/// larger or chunked one is left unread and the connection closes. What has not arrived
/// http.read_timeout_seconds after the call is a 408 refusal; the caller's stream timeout is
/// only a backstop beyond it.
template <class AsyncReadStream>
boost::asio::awaitable<ReadOutcome> read_request(AsyncReadStream& stream,
                                                 boost::beast::flat_buffer& buffer,
                                                 const ServerOptions& options, const Router& router,
                                                 const RequestOrigin& origin) {
  constexpr auto kAsTuple = boost::asio::as_tuple(boost::asio::use_awaitable);
  using namespace boost::asio::experimental::awaitable_operators;
  // The whole request, header and body, has http.read_timeout_seconds from here: a read still
  // under way then is cancelled and answered 408 (the connection stays open for the answer).
  boost::asio::steady_timer deadline{co_await boost::asio::this_coro::executor,
                                     options.read_timeout};
  beast_http::request_parser<beast_http::string_body> parser;
  parser.header_limit(static_cast<std::uint32_t>(options.header_limit_bytes));
  // The largest; the route's is checked below.
  parser.body_limit(std::max(options.import_body_limit_bytes, options.upload_body_limit_bytes));
  auto header_read = co_await (beast_http::async_read_header(stream, buffer, parser, kAsTuple) ||
                               deadline.async_wait(kAsTuple));
  if (header_read.index() == 1) co_return too_slow(options);
  auto [header_ec, header_bytes] = std::get<0>(header_read);
  if (header_ec == beast_http::error::header_limit) {
    co_return Refusal{beast_http::status::request_header_fields_too_large,
                      "the request header is larger than " +
                          std::to_string(options.header_limit_bytes) + " bytes"};
  }
  if (header_ec) {
    if (is_parse_error(header_ec))
      co_return Refusal{beast_http::status::bad_request, "malformed HTTP request"};
    co_return std::monostate{};
  }
  const unsigned version = parser.get().version();
  if (std::string problem = framing_problem(parser); !problem.empty()) {
    co_return Refusal{beast_http::status::bad_request, std::move(problem), version};
  }
  const std::string_view target = parser.get().target();
  RouteMatch match = router.match(parser.get().method(), target.substr(0, target.find('?')));
  const std::size_t limit =
      body_limit(options, match, parser.get()[beast_http::field::content_type]);
  const std::string too_large = "the body is larger than " + std::to_string(limit) + " bytes";
  if (parser.content_length() && *parser.content_length() > limit) {
    co_return Refusal{beast_http::status::payload_too_large, too_large, version};
  }
  parser.body_limit(limit);

  Incoming incoming{Request{beast_http::request<beast_http::string_body>{parser.get().base()},
                            match.params,
                            {},
                            origin.request_id(parser.get()["X-Request-Id"]),
                            origin.remote_address,
                            {},
                            {},
                            {}},
                    std::move(match), std::nullopt, false};
  incoming.turned_away = co_await admit(incoming.match, incoming.request);
  if (incoming.turned_away && !parser.is_done()) {
    const bool small =
        parser.content_length() && *parser.content_length() <= options.json_body_limit_bytes;
    if (!small) {
      incoming.body_unread = true;
      co_return incoming;
    }
  }
  if (!parser.is_done()) {
    auto body_read = co_await (beast_http::async_read(stream, buffer, parser, kAsTuple) ||
                               deadline.async_wait(kAsTuple));
    if (body_read.index() == 1) co_return too_slow(options, version);
    auto [body_ec, body_bytes] = std::get<0>(body_read);
    if (body_ec == beast_http::error::body_limit) {
      co_return Refusal{beast_http::status::payload_too_large, too_large, version};
    }
    if (body_ec) {
      if (is_parse_error(body_ec))
        co_return Refusal{beast_http::status::bad_request, "malformed HTTP body", version};
      co_return std::monostate{};
    }
  }
  if (!incoming.turned_away) incoming.request.message.body() = std::move(parser.get().body());
  co_return incoming;
}

/// The answer to a routed request (step 4, Dispatch): 404/405 when no route took it, else the
/// decoded query and the handler. The one catch: domain::Error becomes its status, anything
/// else a logged 500. For a streaming route, the head, with the body left in `stream_body`.
boost::asio::awaitable<Response> respond(const RouteMatch& match, Request& request,
                                         StreamBody& stream_body);

}  // namespace gridcase::http
