#include "http_client.hpp"

#include <algorithm>
#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/http/write.hpp>
#include <cctype>
#include <stdexcept>

#include "api_contract.hpp"

namespace gridcase::testing {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace beast_http = boost::beast::http;
using asio::ip::tcp;

bool iequals(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) ==
                  std::tolower(static_cast<unsigned char>(y));
         });
}

// Answers can be large (a whole grid node with its geometry) but never this large.
constexpr std::uint64_t kMaxResponseBytes = 64 * 1024 * 1024;

}  // namespace

std::optional<std::string> HttpResponse::header(std::string_view name) const {
  for (const auto& [key, value] : headers) {
    if (iequals(key, name)) return value;
  }
  return std::nullopt;
}

std::size_t HttpResponse::header_count(std::string_view name) const {
  return static_cast<std::size_t>(
      std::count_if(headers.begin(), headers.end(),
                    [&](const auto& entry) { return iequals(entry.first, name); }));
}

struct HttpConnection::State {
  State(unsigned short server_port, std::chrono::milliseconds limit)
      : stream(io), port(server_port), timeout(limit) {}

  /// Runs the io_context until the pending operation completes; the stream's timer bounds it.
  void run() {
    io.restart();
    io.run();
  }

  asio::io_context io;
  beast::tcp_stream stream;
  beast::flat_buffer buffer;
  unsigned short port;
  std::chrono::milliseconds timeout;
};

HttpConnection::HttpConnection(unsigned short port, std::chrono::milliseconds timeout)
    : state_(std::make_unique<State>(port, timeout)) {
  boost::system::error_code result;
  state_->stream.expires_after(timeout);
  state_->stream.async_connect(tcp::endpoint{asio::ip::make_address("127.0.0.1"), port},
                               [&](boost::system::error_code ec) { result = ec; });
  state_->run();
  if (result)
    throw std::runtime_error("connect to port " + std::to_string(port) + ": " + result.message());
}

HttpConnection::~HttpConnection() = default;

HttpResponse HttpConnection::request(std::string_view method, std::string_view target,
                                     std::string_view body, const HttpHeaders& headers) {
  beast_http::request<beast_http::string_body> message;
  message.method_string(method);
  message.target(target);
  message.version(11);
  message.set(beast_http::field::host, "127.0.0.1:" + std::to_string(state_->port));
  for (const auto& [name, value] : headers) message.insert(name, value);
  message.body() = std::string(body);
  if (!body.empty() || method == "POST" || method == "PUT") message.prepare_payload();

  boost::system::error_code result;
  state_->stream.expires_after(state_->timeout);
  beast_http::async_write(state_->stream, message,
                          [&](boost::system::error_code ec, std::size_t) { result = ec; });
  state_->run();
  if (result) throw std::runtime_error("write: " + result.message());
  HttpResponse response = read_response();
  check_against_contract(method, target, response);
  return response;
}

void HttpConnection::send_raw(std::string_view bytes) {
  boost::system::error_code result;
  state_->stream.expires_after(state_->timeout);
  asio::async_write(state_->stream, asio::buffer(bytes.data(), bytes.size()),
                    [&](boost::system::error_code ec, std::size_t) { result = ec; });
  state_->run();
  if (result) throw std::runtime_error("write: " + result.message());
}

HttpResponse HttpConnection::read_response() {
  beast_http::response_parser<beast_http::string_body> parser;
  parser.body_limit(kMaxResponseBytes);
  boost::system::error_code result;
  state_->stream.expires_after(state_->timeout);
  beast_http::async_read(state_->stream, state_->buffer, parser,
                         [&](boost::system::error_code ec, std::size_t) { result = ec; });
  state_->run();
  if (result) throw std::runtime_error("read: " + result.message());
  beast_http::response<beast_http::string_body> message = parser.release();
  HttpResponse response;
  response.status = message.result_int();
  for (const auto& field : message) {
    response.headers.emplace_back(std::string(field.name_string()), std::string(field.value()));
  }
  response.body = std::move(message.body());
  return response;
}

bool HttpConnection::closed_by_peer(std::chrono::milliseconds within) {
  if (state_->buffer.size() > 0) return false;  // bytes beyond the last answer arrived
  boost::system::error_code result;
  std::size_t received = 0;
  state_->stream.expires_after(within);
  state_->stream.async_read_some(state_->buffer.prepare(1024),
                                 [&](boost::system::error_code ec, std::size_t bytes) {
                                   result = ec;
                                   received = bytes;
                                 });
  state_->run();
  state_->buffer.commit(received);
  return received == 0 && (result == asio::error::eof || result == asio::error::connection_reset);
}

HttpResponse http_request(unsigned short port, std::string_view method, std::string_view target,
                          std::string_view body, const HttpHeaders& headers) {
  HttpConnection connection{port};
  return connection.request(method, target, body, headers);
}

HttpResponse http_get(unsigned short port, std::string_view target) {
  return http_request(port, "GET", target);
}

}  // namespace gridcase::testing
