#include "event_stream_client.hpp"

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/write.hpp>
#include <stdexcept>

namespace gridcase::testing {
namespace {

namespace asio = boost::asio;
using asio::ip::tcp;

std::string_view trim(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t' || text.back() == '\r')) {
    text.remove_suffix(1);
  }
  return text;
}

}  // namespace

struct EventStreamClient::State {
  explicit State() : socket(io) {}

  /// Reads what arrives within `timeout` into `pending`. False on timeout or when the server
  /// closed the connection (then `closed` is set).
  bool read_some(std::chrono::milliseconds timeout) {
    if (closed) return false;
    char chunk[4096];
    boost::system::error_code result = asio::error::would_block;
    std::size_t received = 0;
    socket.async_read_some(asio::buffer(chunk),
                           [&](boost::system::error_code ec, std::size_t bytes) {
                             result = ec;
                             received = bytes;
                           });
    io.restart();
    io.run_for(timeout);
    if (result == asio::error::would_block) {
      socket.cancel();  // nothing came: the connection stays usable
      io.restart();
      io.run();
      if (received == 0) return false;
    }
    pending.append(chunk, received);
    if (result && result != asio::error::operation_aborted) closed = true;
    return received > 0;
  }

  asio::io_context io;
  tcp::socket socket;
  std::string pending;
  HttpResponse response;
  int comments = 0;
  bool closed = false;
};

EventStreamClient::EventStreamClient(unsigned short port, std::string_view target,
                                     const HttpHeaders& headers, std::chrono::milliseconds timeout)
    : state_(std::make_unique<State>()) {
  state_->socket.connect(tcp::endpoint{asio::ip::make_address("127.0.0.1"), port});
  std::string request = "GET " + std::string(target) +
                        " HTTP/1.1\r\nHost: 127.0.0.1:" + std::to_string(port) +
                        "\r\nAccept: text/event-stream\r\n";
  for (const auto& [name, value] : headers) request += name + ": " + value + "\r\n";
  request += "\r\n";
  asio::write(state_->socket, asio::buffer(request));

  const auto deadline = std::chrono::steady_clock::now() + timeout;
  auto remaining = [&] {
    return std::chrono::duration_cast<std::chrono::milliseconds>(deadline -
                                                                 std::chrono::steady_clock::now());
  };
  std::size_t header_end = std::string::npos;
  while ((header_end = state_->pending.find("\r\n\r\n")) == std::string::npos) {
    if (remaining().count() <= 0 || (!state_->read_some(remaining()) && state_->closed)) {
      throw std::runtime_error("no answer header within the timeout; got: " + state_->pending);
    }
  }
  const std::string header = state_->pending.substr(0, header_end);
  state_->pending.erase(0, header_end + 4);
  std::size_t line_end = header.find("\r\n");
  const std::string status_line = header.substr(0, line_end);
  state_->response.status =
      static_cast<unsigned>(std::stoul(status_line.substr(status_line.find(' ') + 1, 3)));
  while (line_end != std::string::npos) {
    const std::size_t start = line_end + 2;
    line_end = header.find("\r\n", start);
    const std::string line =
        header.substr(start, line_end == std::string::npos ? std::string::npos : line_end - start);
    const std::size_t colon = line.find(':');
    if (colon == std::string::npos) continue;
    state_->response.headers.emplace_back(line.substr(0, colon),
                                          std::string(trim(line.substr(colon + 1))));
  }
  if (const std::optional<std::string> length = state_->response.header("Content-Length")) {
    const std::size_t bytes = std::stoul(*length);
    while (state_->pending.size() < bytes) {
      if (remaining().count() <= 0 || (!state_->read_some(remaining()) && state_->closed)) break;
    }
    state_->response.body = state_->pending.substr(0, bytes);
    state_->pending.erase(0, std::min(bytes, state_->pending.size()));
  }
}

EventStreamClient::~EventStreamClient() {
  boost::system::error_code ignored;
  state_->socket.shutdown(tcp::socket::shutdown_both, ignored);
  state_->socket.close(ignored);
}

const HttpResponse& EventStreamClient::response() const { return state_->response; }

std::optional<SseEvent> EventStreamClient::next(std::chrono::milliseconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  for (;;) {
    const std::size_t end = state_->pending.find("\n\n");
    if (end != std::string::npos) {
      const std::string block = state_->pending.substr(0, end);
      state_->pending.erase(0, end + 2);
      SseEvent event;
      bool has_data = false;
      std::size_t start = 0;
      while (start <= block.size()) {
        const std::size_t stop = std::min(block.find('\n', start), block.size());
        const std::string_view line = std::string_view(block).substr(start, stop - start);
        start = stop + 1;
        if (line.starts_with(":")) {
          ++state_->comments;
        } else if (line.starts_with("id:")) {
          event.id = trim(line.substr(3));
        } else if (line.starts_with("event:")) {
          event.event = trim(line.substr(6));
        } else if (line.starts_with("data:")) {
          event.data += (has_data ? "\n" : "") + std::string(trim(line.substr(5)));
          has_data = true;
        }
      }
      if (has_data) return event;
      continue;
    }
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0 || state_->closed) return std::nullopt;
    state_->read_some(left);
  }
}

int EventStreamClient::comments() const { return state_->comments; }

bool EventStreamClient::closed() const { return state_->closed; }

bool EventStreamClient::wait_closed(std::chrono::milliseconds within) {
  const auto deadline = std::chrono::steady_clock::now() + within;
  while (!state_->closed) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) return false;
    state_->read_some(left);
  }
  return true;
}

}  // namespace gridcase::testing
