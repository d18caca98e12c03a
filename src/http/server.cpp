#include "gridcase/http/server.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <array>
#include <atomic>
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/error.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/write.hpp>
#include <mutex>
#include <random>
#include <unordered_set>

#include "api.hpp"
#include "error_response.hpp"
#include "event_hub.hpp"
#include "metrics.hpp"
#include "query_parameters.hpp"
#include "request_exchange.hpp"
#include "router.hpp"
#include "stream_check.hpp"

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
    auto [ec, written] = co_await asio::async_write(
        connection_.stream, asio::buffer(bytes.data(), bytes.size()), kAsTuple);
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
  std::array<char, 512> ignored{};
  for (;;) {
    auto [ec, bytes] =
        co_await connection->stream.socket().async_read_some(asio::buffer(ignored), kAsTuple);
    if (ec) break;
  }
  connection->closing = true;
  if (connection->on_close) connection->on_close();
}

std::string accepted_request_id(std::string_view given, std::atomic<std::uint64_t>& counter,
                                std::uint32_t prefix) {
  const bool usable =
      !given.empty() && given.size() <= 64 && std::all_of(given.begin(), given.end(), [](char ch) {
        return std::isalnum(static_cast<unsigned char>(ch)) || ch == '-' || ch == '_' || ch == '.';
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
        events(options.max_streams, options.stream_queue_events, options.max_streams_per_account),
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

  asio::awaitable<void> accept_loop();
  asio::awaitable<void> serve(std::shared_ptr<Connection> connection);
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
      if (!failing)
        spdlog::warn("accept failed: {}; retrying every {} ms", ec.message(), kAcceptRetry.count());
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
                   [self = shared_from_this(), connection](const std::exception_ptr& failure) {
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
  const std::string request_id = accepted_request_id({}, request_counter, request_prefix);
  Response response = problem_response(status, detail, version, request_id);
  response.keep_alive(false);
  if (options.access_log) {
    spdlog::info("[{}] refused before routing: {} {}", request_id, response.result_int(), detail);
  }
  connection.stream.expires_after(options.write_timeout);
  co_await beast_http::async_write(connection.stream, response, kAsTuple);
}

asio::awaitable<void> Server::State::serve(std::shared_ptr<Connection> connection) {
  beast::tcp_stream& stream = connection->stream;
  beast::flat_buffer buffer;
  const RequestOrigin origin{connection->remote_address, [this](std::string_view given) {
                               return accepted_request_id(given, request_counter, request_prefix);
                             }};
  for (;;) {
    if (buffer.size() == 0) {
      if (connection->closing) break;
      stream.expires_after(options.idle_timeout);
      auto [ec, bytes] = co_await stream.async_read_some(buffer.prepare(4096), kAsTuple);
      if (ec) break;  // idle timeout, peer closed, or stop(): nobody is waiting for an answer
      buffer.commit(bytes);
    }
    connection->busy = true;
    // read_request answers 408 at read_timeout; the stream's own expiry (which closes the
    // socket, so nothing could be answered) is a backstop a little later.
    stream.expires_after(options.read_timeout + std::chrono::seconds{2});
    ReadOutcome outcome = co_await read_request(stream, buffer, options, router, origin);
    if (const Refusal* refusal = std::get_if<Refusal>(&outcome)) {
      co_await refuse(*connection, refusal->status, refusal->detail, refusal->version);
      break;
    }
    Incoming* incoming = std::get_if<Incoming>(&outcome);
    if (incoming == nullptr) break;
    const RouteMatch& match = incoming->match;
    Request& request = incoming->request;
    const Clock::time_point started = Clock::now();
    StreamBody stream_body;
    Response response;
    if (incoming->turned_away) {
      response = std::move(*incoming->turned_away);
    } else {
      response = co_await respond(match, request, stream_body);
    }
    // A stream's body ends when the connection closes: it carries no length.
    const bool keep_alive = !stream_body && !incoming->body_unread &&
                            request.message.keep_alive() && !connection->closing &&
                            !stopping.load();
    response.keep_alive(keep_alive);
    response.set("X-Request-Id", request.request_id);
    const unsigned status = response.result_int();
    const auto elapsed =
        std::chrono::duration_cast<std::chrono::microseconds>(Clock::now() - started);
    metrics.record(match.route ? match.route->pattern : "unmatched", status, elapsed);
    if (options.access_log) {
      spdlog::info("[{}] {} {} {} {}B {:.3f}ms", request.request_id,
                   request.message.method_string(), redacted_target(request.message.target()),
                   status, response.body().size(), static_cast<double>(elapsed.count()) / 1000.0);
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
  const tcp::endpoint endpoint{asio::ip::make_address(state_->options.address),
                               state_->options.port};
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

namespace {

/// `read()` again while the pool answers that the database is unreachable: right after the
/// listener reconnects, the pool may still be waiting out its reconnect backoff
/// (database.reconnect_backoff_ms) from the outage. Up to kCatchUpPatience, then its error.
template <class Read>
auto read_when_reachable(Read read) -> decltype(read()) {
  constexpr std::chrono::milliseconds kCatchUpPatience{15'000};
  constexpr std::chrono::milliseconds kPause{250};
  const auto give_up = std::chrono::steady_clock::now() + kCatchUpPatience;
  while (true) {
    try {
      co_return co_await read();
    } catch (const domain::Error& error) {
      if (error.code() != domain::ErrorCode::kUnavailable ||
          std::chrono::steady_clock::now() + kPause > give_up) {
        throw;
      }
    }
    asio::steady_timer pause{co_await asio::this_coro::executor, kPause};
    co_await pause.async_wait(asio::use_awaitable);
  }
}

}  // namespace

asio::awaitable<void> Server::catch_up_events() {
  const std::shared_ptr<State> state = state_;
  EventHub& hub = state->events;
  // Taken before the first wait: live events published meanwhile move the hub's position on,
  // and the catch-up is of what was committed before LISTEN was in force again.
  const std::optional<long long> position = hub.position();
  const service::CaseService& cases = state->services.cases;
  if (!position) {
    hub.start_at(co_await read_when_reachable([&cases] { return cases.newest_event_id(); }));
    co_return;
  }
  const std::size_t limit = state->options.stream_replay_events;
  const std::vector<service::JsonText> missed =
      co_await read_when_reachable([&cases, &position, limit] {
        return cases.missed_events(*position, static_cast<int>(limit + 1));
      });
  if (missed.size() > limit) {
    if (const std::optional<FeedEvent> newest = parse_feed_event(missed.back().text)) {
      spdlog::warn("live feed: more than {} events since event {}: every stream told to reload",
                   limit, *position);
      hub.reset(newest->id, limit);
    }
    co_return;
  }
  for (const service::JsonText& payload : missed) hub.publish(payload.text, false);
  if (!missed.empty()) {
    spdlog::info("live feed: {} events since event {} replayed", missed.size(), *position);
  }
}

asio::awaitable<void> Server::check_streams(std::chrono::milliseconds patience) {
  const std::shared_ptr<State> state = state_;
  co_await http::check_streams(state->events, state->services.auth, patience);
}

}  // namespace gridcase::http
