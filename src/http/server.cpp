#include "gridcase/http/server.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/error.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/write.hpp>
#include <array>
#include <atomic>
#include <mutex>
#include <random>
#include <spdlog/spdlog.h>
#include <unordered_set>

#include "api.hpp"
#include "error_response.hpp"
#include "event_hub.hpp"
#include "metrics.hpp"
#include "router.hpp"

namespace gridcase::http {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
using asio::ip::tcp;
using Clock = std::chrono::steady_clock;

constexpr auto kAsTuple = asio::as_tuple(asio::use_awaitable);
/// How long the acceptor pauses after a failed accept (out of descriptors or memory).
constexpr std::chrono::milliseconds kAcceptRetry{100};

/// One accepted socket. `busy`, `closing` and `on_close` are touched only on the connection's
/// strand.
struct Connection {
  explicit Connection(tcp::socket socket) : stream(std::move(socket)) {
    boost::system::error_code ec;
    const tcp::endpoint peer = stream.socket().remote_endpoint(ec);
    if (!ec) remote_address = peer.address().to_string();
  }
  beast::tcp_stream stream;
  std::string remote_address;
  bool busy = false;
  bool closing = false;
  std::function<void()> on_close;  // set while a streaming body runs
};

/// The StreamWriter of a streaming answer: writes go straight to the connection.
class ConnectionWriter final : public StreamWriter {
 public:
  ConnectionWriter(Connection& connection, std::chrono::seconds write_timeout)
      : connection_(connection), write_timeout_(write_timeout) {}

  asio::awaitable<bool> write(std::string_view bytes) override {
    connection_.stream.expires_after(write_timeout_);
    auto [ec, written] =
        co_await asio::async_write(connection_.stream, asio::buffer(bytes.data(), bytes.size()), kAsTuple);
    co_return !ec;
  }

  void on_close(std::function<void()> hook) override {
    connection_.on_close = std::move(hook);
    if (connection_.closing) connection_.on_close();
  }

  void abort() override { connection_.stream.cancel(); }

 private:
  Connection& connection_;
  std::chrono::seconds write_timeout_;
};

/// Reads (and ignores) what the client sends on a streaming connection, to notice at once when
/// it goes away; the connection's on_close hook then ends the body. The raw socket is read, so
/// the stream's timeouts apply to the body's writes alone.
asio::awaitable<void> watch_peer(std::shared_ptr<Connection> connection) {
  std::array<char, 512> ignored;
  for (;;) {
    auto [ec, bytes] = co_await connection->stream.socket().async_read_some(asio::buffer(ignored), kAsTuple);
    if (ec) break;
  }
  connection->closing = true;
  if (connection->on_close) connection->on_close();
}

std::string_view trim(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
  return text;
}

bool iequals(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) == std::tolower(static_cast<unsigned char>(y));
         });
}

/// Why a request's framing is refused (smuggling defences, api.md), or empty when it is fine.
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

/// A request the parser refused (not a closed or timed-out connection): it deserves a 400.
bool is_parse_error(const boost::system::error_code& ec) {
  return ec.category() == beast_http::make_error_code(beast_http::error::bad_target).category() &&
         ec != beast_http::error::end_of_stream && ec != beast_http::error::partial_message;
}

std::string accepted_request_id(std::string_view given, std::atomic<std::uint64_t>& counter,
                                std::uint32_t prefix) {
  const bool usable = !given.empty() && given.size() <= 64 &&
                      std::all_of(given.begin(), given.end(), [](char ch) {
                        return std::isalnum(static_cast<unsigned char>(ch)) || ch == '-' || ch == '_' ||
                               ch == '.';
                      });
  if (usable) return std::string(given);
  return fmt::format("{:08x}-{:x}", prefix, counter.fetch_add(1) + 1);
}

}  // namespace

struct Server::State : std::enable_shared_from_this<State> {
  State(asio::io_context& context, ServerOptions server_options, Services server_services)
      : io(context),
        options(std::move(server_options)),
        services(std::move(server_services)),
        events(options.max_streams, options.stream_queue_events),
        router(make_api_router(services, options, metrics, events)),
        acceptor(asio::make_strand(context)),
        request_prefix(std::random_device{}()) {}

  asio::io_context& io;
  const ServerOptions options;
  const Services services;
  Metrics metrics;
  EventHub events;
  const Router router;
  tcp::acceptor acceptor;
  std::atomic<bool> stopping{false};
  std::atomic<std::uint64_t> request_counter{0};
  const std::uint32_t request_prefix;
  std::mutex connections_mutex;
  std::unordered_set<std::shared_ptr<Connection>> connections;

  std::size_t body_limit(BodyKind kind) const {
    return kind == BodyKind::kImport ? options.import_body_limit_bytes : options.json_body_limit_bytes;
  }

  asio::awaitable<void> accept_loop();
  asio::awaitable<void> serve(std::shared_ptr<Connection> connection);
  /// The answer; for a streaming route its head, with the body to run left in `stream_body`.
  asio::awaitable<Response> handle(const RouteMatch& match, Request& request, StreamBody& stream_body) const;
  asio::awaitable<void> run_stream(std::shared_ptr<Connection> connection, const StreamBody& body);
  asio::awaitable<void> refuse(Connection& connection, beast_http::status status,
                               std::string_view detail, unsigned version);
};

asio::awaitable<void> Server::State::accept_loop() {
  bool failing = false;
  for (;;) {
    auto [ec, socket] = co_await acceptor.async_accept(asio::make_strand(io), kAsTuple);
    if (ec) {
      if (ec == asio::error::operation_aborted || !acceptor.is_open()) co_return;
      // Out of descriptors (EMFILE) the pending connection stays queued and the next accept
      // fails at once: retrying straight away spins a core and floods the log. Pause instead,
      // and say so once per episode.
      if (!failing) spdlog::warn("accept failed: {}; retrying every {} ms", ec.message(), kAcceptRetry.count());
      failing = true;
      asio::steady_timer pause{acceptor.get_executor(), kAcceptRetry};
      co_await pause.async_wait(kAsTuple);
      continue;
    }
    if (failing) spdlog::warn("accepting connections again");
    failing = false;
    if (metrics.open_connections.load() >= options.max_connections) {
      ++metrics.refused_connections;
      boost::system::error_code ignored;
      socket.close(ignored);
      continue;
    }
    boost::system::error_code ignored;
    socket.set_option(tcp::no_delay(true), ignored);
    auto connection = std::make_shared<Connection>(std::move(socket));
    {
      std::lock_guard lock{connections_mutex};
      connections.insert(connection);
    }
    ++metrics.open_connections;
    auto session = serve(connection);
    asio::co_spawn(connection->stream.get_executor(), std::move(session),
                   [self = shared_from_this(), connection](std::exception_ptr failure) {
                     if (failure) {
                       try {
                         std::rethrow_exception(failure);
                       } catch (const std::exception& error) {
                         spdlog::error("connection ended by an exception: {}", error.what());
                       }
                     }
                     {
                       std::lock_guard lock{self->connections_mutex};
                       self->connections.erase(connection);
                     }
                     --self->metrics.open_connections;
                   });
  }
}

asio::awaitable<void> Server::State::refuse(Connection& connection, beast_http::status status,
                                            std::string_view detail, unsigned version) {
  Response response = problem_response(status, detail, version);
  response.keep_alive(false);
  connection.stream.expires_after(options.write_timeout);
  co_await beast_http::async_write(connection.stream, response, kAsTuple);
}

asio::awaitable<Response> Server::State::handle(const RouteMatch& match, Request& request,
                                                StreamBody& stream_body) const {
  std::optional<domain::Error> failure;
  try {
    if (match.route == nullptr) {
      if (!match.allowed.empty()) {
        throw domain::Error(domain::ErrorCode::kMethodNotAllowed,
                            std::string(request.message.method_string()) + " is not allowed here");
      }
      throw domain::Error(domain::ErrorCode::kNotFound, "no such resource");
    }
    const std::string_view target = request.message.target();
    const std::size_t question = target.find('?');
    if (question != std::string_view::npos) request.query = parse_query(target.substr(question + 1));
    if (match.route->stream) {
      StreamingResponse streaming = co_await match.route->stream(request);
      stream_body = std::move(streaming.body);
      co_return std::move(streaming.head);
    }
    co_return co_await match.route->handler(request);
  } catch (const domain::Error& error) {
    failure = error;
  } catch (const std::exception& error) {
    spdlog::error("[{}] unhandled: {}", request.request_id, error.what());
    failure = domain::Error(domain::ErrorCode::kInternal, "internal error");
  }
  Response response = problem_response(*failure, request);
  if (failure->code() == domain::ErrorCode::kMethodNotAllowed) {
    std::string allow;
    for (beast_http::verb verb : match.allowed) {
      allow += (allow.empty() ? "" : ", ") + std::string(beast_http::to_string(verb));
    }
    response.set(beast_http::field::allow, allow);
  }
  co_return response;
}

asio::awaitable<void> Server::State::serve(std::shared_ptr<Connection> connection) {
  beast::tcp_stream& stream = connection->stream;
  beast::flat_buffer buffer;
  for (;;) {
    if (buffer.size() == 0) {
      if (connection->closing) break;
      stream.expires_after(options.idle_timeout);
      auto [ec, bytes] = co_await stream.async_read_some(buffer.prepare(4096), kAsTuple);
      if (ec) break;  // idle timeout, peer closed, or stop(): nobody is waiting for an answer
      buffer.commit(bytes);
    }
    connection->busy = true;
    beast_http::request_parser<beast_http::string_body> parser;
    parser.header_limit(static_cast<std::uint32_t>(options.header_limit_bytes));
    parser.body_limit(options.import_body_limit_bytes);  // the largest; the route's is checked below
    stream.expires_after(options.read_timeout);
    auto [header_ec, header_bytes] = co_await beast_http::async_read_header(stream, buffer, parser, kAsTuple);
    if (header_ec == beast_http::error::header_limit) {
      co_await refuse(*connection, beast_http::status::request_header_fields_too_large,
                      "the request header is larger than " + std::to_string(options.header_limit_bytes) + " bytes", 11);
      break;
    }
    if (header_ec) {
      if (is_parse_error(header_ec)) {
        co_await refuse(*connection, beast_http::status::bad_request, "malformed HTTP request", 11);
      }
      break;
    }
    const unsigned version = parser.get().version();
    if (std::string problem = framing_problem(parser); !problem.empty()) {
      co_await refuse(*connection, beast_http::status::bad_request, problem, version);
      break;
    }
    const std::string_view target = parser.get().target();
    const RouteMatch match =
        router.match(parser.get().method(), target.substr(0, target.find('?')));
    const std::size_t limit = body_limit(match.route ? match.route->body : BodyKind::kJson);
    if (parser.content_length() && *parser.content_length() > limit) {
      co_await refuse(*connection, beast_http::status::payload_too_large,
                      "the body is larger than " + std::to_string(limit) + " bytes", version);
      break;
    }
    parser.body_limit(limit);
    if (!parser.is_done()) {
      auto [body_ec, body_bytes] = co_await beast_http::async_read(stream, buffer, parser, kAsTuple);
      if (body_ec == beast_http::error::body_limit) {
        co_await refuse(*connection, beast_http::status::payload_too_large,
                        "the body is larger than " + std::to_string(limit) + " bytes", version);
        break;
      }
      if (body_ec) {
        if (is_parse_error(body_ec)) {
          co_await refuse(*connection, beast_http::status::bad_request, "malformed HTTP body", version);
        }
        break;
      }
    }
    const Clock::time_point started = Clock::now();
    Request request{parser.release(), match.params, {}, {}, connection->remote_address, {}, {}};
    request.request_id =
        accepted_request_id(request.message["X-Request-Id"], request_counter, request_prefix);
    StreamBody stream_body;
    Response response = co_await handle(match, request, stream_body);
    // A stream's body ends when the connection closes: it carries no length.
    const bool keep_alive = !stream_body && request.message.keep_alive() && !connection->closing &&
                            !stopping.load();
    response.keep_alive(keep_alive);
    response.set("X-Request-Id", request.request_id);
    const unsigned status = response.result_int();
    const auto elapsed = std::chrono::duration_cast<std::chrono::microseconds>(Clock::now() - started);
    metrics.record(match.route ? match.route->pattern : "unmatched", status, elapsed);
    if (options.access_log) {
      spdlog::info("[{}] {} {} {} {}B {:.3f}ms", request.request_id, request.message.method_string(),
                   request.message.target(), status, response.body().size(),
                   static_cast<double>(elapsed.count()) / 1000.0);
    }
    stream.expires_after(options.write_timeout);
    auto [write_ec, written] = co_await beast_http::async_write(stream, response, kAsTuple);
    if (stream_body && !write_ec) co_await run_stream(connection, stream_body);
    connection->busy = false;
    if (write_ec || !keep_alive) break;
  }
  boost::system::error_code ignored;
  stream.socket().shutdown(tcp::socket::shutdown_send, ignored);
  stream.close();
}

asio::awaitable<void> Server::State::run_stream(std::shared_ptr<Connection> connection,
                                                const StreamBody& body) {
  auto watching = watch_peer(connection);
  asio::co_spawn(connection->stream.get_executor(), std::move(watching), asio::detached);
  ConnectionWriter writer{*connection, options.write_timeout};
  co_await body(writer);
  connection->on_close = nullptr;
}

Server::Server(asio::io_context& io, ServerOptions options, Services services)
    : state_(std::make_shared<State>(io, std::move(options), std::move(services))) {}

Server::~Server() = default;

void Server::start() {
  const tcp::endpoint endpoint{asio::ip::make_address(state_->options.address), state_->options.port};
  tcp::acceptor& acceptor = state_->acceptor;
  acceptor.open(endpoint.protocol());
  acceptor.set_option(asio::socket_base::reuse_address(true));
  acceptor.bind(endpoint);
  acceptor.listen(asio::socket_base::max_listen_connections);
  auto loop = state_->accept_loop();
  asio::co_spawn(acceptor.get_executor(), std::move(loop), asio::detached);
}

unsigned short Server::port() const { return state_->acceptor.local_endpoint().port(); }

void Server::stop() {
  auto state = state_;
  state->stopping = true;
  asio::post(state->acceptor.get_executor(), [state] {
    boost::system::error_code ignored;
    state->acceptor.close(ignored);
  });
  std::lock_guard lock{state->connections_mutex};
  for (const std::shared_ptr<Connection>& connection : state->connections) {
    asio::post(connection->stream.get_executor(), [connection] {
      connection->closing = true;
      if (connection->on_close) connection->on_close();  // an event stream ends now
      if (!connection->busy) connection->stream.cancel();
    });
  }
}

std::size_t Server::open_connections() const { return state_->metrics.open_connections.load(); }

void Server::publish_event(std::string_view payload) {
  if (!state_->events.publish(payload)) spdlog::warn("not a case event, dropped: {:.200}", payload);
}

}  // namespace gridcase::http
