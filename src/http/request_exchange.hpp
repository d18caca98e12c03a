#pragma once

// One request of a connection, apart from the socket (docs/architecture.md, Life of a request,
// steps 2-4): read it under the server's limits and smuggling checks, route it, answer it. The
// server's session loop drives these over TCP; tests/fuzz drives the same code over bytes.

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http/error.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/status.hpp>
#include <cstdint>
#include <string>
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

/// A request read whole, with the route it matched.
struct Incoming {
  beast_http::request<beast_http::string_body> message;
  RouteMatch match;
};

/// Nothing to answer (the peer closed or timed out mid-request), a refusal, or a request.
using ReadOutcome = std::variant<std::monostate, Refusal, Incoming>;

/// Why a request's framing is refused (smuggling defences, contract/api.md), or empty when it is
/// fine.
std::string framing_problem(const beast_http::request_parser<beast_http::string_body>& parser);

/// A request the parser refused (not a closed or timed-out connection): it deserves a 400.
bool is_parse_error(const boost::system::error_code& ec);

/// The body limit of a route (of the JSON routes when nothing matched).
std::size_t body_limit(const ServerOptions& options, const RouteMatch& match);

/// Reads one request from `stream` (bytes already in `buffer` first): the header under
/// `header_limit_bytes`, the framing checks, the route, then the body under the route's limit.
/// The caller sets the stream's timeout.
template <class AsyncReadStream>
boost::asio::awaitable<ReadOutcome> read_request(AsyncReadStream& stream,
                                                 boost::beast::flat_buffer& buffer,
                                                 const ServerOptions& options,
                                                 const Router& router) {
  constexpr auto kAsTuple = boost::asio::as_tuple(boost::asio::use_awaitable);
  beast_http::request_parser<beast_http::string_body> parser;
  parser.header_limit(static_cast<std::uint32_t>(options.header_limit_bytes));
  parser.body_limit(options.import_body_limit_bytes);  // the largest; the route's is checked below
  auto [header_ec, header_bytes] =
      co_await beast_http::async_read_header(stream, buffer, parser, kAsTuple);
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
  const std::size_t limit = body_limit(options, match);
  const std::string too_large = "the body is larger than " + std::to_string(limit) + " bytes";
  if (parser.content_length() && *parser.content_length() > limit) {
    co_return Refusal{beast_http::status::payload_too_large, too_large, version};
  }
  parser.body_limit(limit);
  if (!parser.is_done()) {
    auto [body_ec, body_bytes] = co_await beast_http::async_read(stream, buffer, parser, kAsTuple);
    if (body_ec == beast_http::error::body_limit) {
      co_return Refusal{beast_http::status::payload_too_large, too_large, version};
    }
    if (body_ec) {
      if (is_parse_error(body_ec))
        co_return Refusal{beast_http::status::bad_request, "malformed HTTP body", version};
      co_return std::monostate{};
    }
  }
  co_return Incoming{parser.release(), std::move(match)};
}

/// The answer to a routed request (step 4, Dispatch): 404/405 when no route took it, else the
/// decoded query and the handler. The one catch: domain::Error becomes its status, anything
/// else a logged 500. For a streaming route, the head, with the body left in `stream_body`.
boost::asio::awaitable<Response> respond(const RouteMatch& match, Request& request,
                                         StreamBody& stream_body);

}  // namespace gridcase::http
