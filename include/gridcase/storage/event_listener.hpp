#pragma once

#include <chrono>
#include <functional>
#include <memory>
#include <string>

#include "gridcase/storage/database.hpp"

namespace gridcase::storage {

/// The channel on which every committed case event is announced (sql/003_cases.sql).
inline constexpr const char* kEventsChannel = "gridcase_events";

/// The one LISTEN/NOTIFY listener of a process. libpqxx 6.4 blocks in await_notification, so
/// it owns a connection and a thread: it LISTENs on `channel` and hands every payload, as
/// PostgreSQL sent it, to the callback given to start(), on that thread. When the database goes
/// away it reconnects, waiting database.reconnect_backoff_ms at first and twice as long after each
/// failure (at most kMaxListenerBackoff). Notifications sent while it is away never reach it:
/// each time LISTEN is in force again it calls `on_listening`, whose owner reads what was
/// committed meanwhile (http::Server::catch_up_events).
class EventListener {
 public:
  using Callback = std::function<void(std::string payload)>;
  using ListeningCallback = std::function<void()>;

  EventListener(DatabaseOptions options, std::string channel);
  /// stop().
  ~EventListener();
  EventListener(const EventListener&) = delete;
  EventListener& operator=(const EventListener&) = delete;

  /// Starts the thread, which hands payloads to `on_payload`, and calls `on_listening` (if set)
  /// each time LISTEN is in force, the first time included, before any payload received on that
  /// connection; the first connection is made there (an unreachable database is not an error:
  /// it keeps trying). Once only.
  void start(Callback on_payload, ListeningCallback on_listening = {});
  /// Asks the thread to end without waiting for it (it ends within kListenerPollInterval, or
  /// when a connection attempt in progress gives up). Thread-safe.
  void request_stop();
  /// request_stop(), then waits for the thread. No callback runs after it returns. Idempotent.
  void stop();
  /// True while LISTEN is in force on a live connection.
  bool is_listening() const;

 private:
  struct State;
  std::unique_ptr<State> state_;
};

/// How long the listener blocks in await_notification before it looks at request_stop().
inline constexpr std::chrono::milliseconds kListenerPollInterval{250};
/// The longest wait between two reconnection attempts: short, because every event committed
/// while the listener is away misses the live feed, and after a database failover the new
/// primary takes writes as soon as the pool reconnects (one attempt every 2 s of one session is
/// no load on a database that is down).
inline constexpr std::chrono::milliseconds kMaxListenerBackoff{2'000};

}  // namespace gridcase::storage
