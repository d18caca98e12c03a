#pragma once

#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace gridcase::testing {

struct HttpResponse {
  unsigned status = 0;
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;

  /// The first header named `name` (case-insensitive), or nullopt.
  std::optional<std::string> header(std::string_view name) const;
  /// How many headers are named `name` (case-insensitive).
  std::size_t header_count(std::string_view name) const;
};

using HttpHeaders = std::vector<std::pair<std::string, std::string>>;

/// One keep-alive connection to 127.0.0.1:`port`. Every call blocks until it completes or
/// `timeout` passes (then it throws std::runtime_error). Beast stays inside the .cpp.
class HttpConnection {
 public:
  explicit HttpConnection(unsigned short port,
                          std::chrono::milliseconds timeout = std::chrono::seconds{10});
  ~HttpConnection();
  HttpConnection(const HttpConnection&) = delete;
  HttpConnection& operator=(const HttpConnection&) = delete;

  /// Sends a well-formed HTTP/1.1 request (Host and Content-Length are added) and reads the answer.
  HttpResponse request(std::string_view method, std::string_view target, std::string_view body = {},
                       const HttpHeaders& headers = {});
  /// Writes `bytes` as they are: for framing and smuggling tests.
  void send_raw(std::string_view bytes);
  /// Reads one response.
  HttpResponse read_response();
  /// True when the server closes the connection within `within` (no more bytes arrive).
  bool closed_by_peer(std::chrono::milliseconds within = std::chrono::seconds{3});

 private:
  struct State;
  std::unique_ptr<State> state_;
};

/// One request on a connection of its own.
HttpResponse http_request(unsigned short port, std::string_view method, std::string_view target,
                          std::string_view body = {}, const HttpHeaders& headers = {});
HttpResponse http_get(unsigned short port, std::string_view target);

}  // namespace gridcase::testing
