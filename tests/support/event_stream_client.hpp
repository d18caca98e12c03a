#pragma once

#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "http_client.hpp"

namespace gridcase::testing {

/// One Server-Sent Events message (its `id`, `event` and `data` fields).
struct SseEvent {
  std::string id;
  std::string event;
  std::string data;
};

/// A GET of an event stream on a connection of its own (127.0.0.1:`port`). The constructor
/// sends the request and reads the answer's header, and the whole body when the answer is not
/// a stream (a refusal); it throws std::runtime_error when that does not arrive within
/// `timeout`. Waiting for an event that does not come leaves the connection usable.
class EventStreamClient {
 public:
  EventStreamClient(unsigned short port, std::string_view target, const HttpHeaders& headers,
                    std::chrono::milliseconds timeout = std::chrono::seconds{10});
  ~EventStreamClient();
  EventStreamClient(const EventStreamClient&) = delete;
  EventStreamClient& operator=(const EventStreamClient&) = delete;

  /// The answer's status line, headers and (for a refusal) body.
  const HttpResponse& response() const;
  /// The next message carrying data (comment lines are skipped and counted), or nullopt when
  /// none arrives within `timeout` or the server closed the stream.
  std::optional<SseEvent> next(std::chrono::milliseconds timeout);
  /// Comment lines (": …") read so far, e.g. ": connected" and ": keep-alive".
  int comments() const;
  /// True once the server has closed the connection.
  bool closed() const;
  /// True when the server closes the connection within `within`.
  bool wait_closed(std::chrono::milliseconds within);

 private:
  struct State;
  std::unique_ptr<State> state_;
};

}  // namespace gridcase::testing
