#include "gridcase/storage/event_listener.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <mutex>
#include <pqxx/pqxx>
#include <thread>

#include "connection_pool.hpp"

namespace gridcase::storage {
namespace {

class Receiver final : public pqxx::notification_receiver {
 public:
  Receiver(pqxx::connection_base& connection, const std::string& channel,
           const EventListener::Callback& on_payload)
      : pqxx::notification_receiver(connection, channel), on_payload_(on_payload) {}

  void operator()(const std::string& payload, int /*backend_pid*/) override {
    on_payload_(payload);
  }

 private:
  const EventListener::Callback& on_payload_;
};

}  // namespace

struct EventListener::State {
  State(DatabaseOptions database, std::string listen_channel)
      : options(std::move(database)), channel(std::move(listen_channel)) {}

  void run();
  /// Waits `delay` unless asked to stop first; false when asked to stop.
  bool pause(std::chrono::milliseconds delay);

  const DatabaseOptions options;
  const std::string channel;
  Callback on_payload;             // set by start(), before the thread
  ListeningCallback on_listening;  // likewise; may be empty
  std::thread thread;
  std::atomic<bool> stopping{false};
  std::atomic<bool> listening{false};
  std::mutex mutex;
  std::condition_variable wake;
};

void EventListener::State::run() {
  const std::chrono::milliseconds first_backoff =
      std::clamp(options.reconnect_backoff, std::chrono::milliseconds{100}, kMaxListenerBackoff);
  std::chrono::milliseconds backoff = first_backoff;
  bool was_lost = false;
  const long poll_us = static_cast<long>(std::chrono::microseconds{kListenerPollInterval}.count());
  while (!stopping) {
    try {
      std::unique_ptr<pqxx::connection> connection = connect(options);
      {
        // Its own name in pg_stat_activity: the pool's sessions are "gridcase".
        pqxx::nontransaction setup{*connection};
        setup.exec("SET application_name = 'gridcase_listener'");
        setup.commit();
      }
      const Receiver receiver{*connection, channel, on_payload};
      listening = true;
      if (on_listening) on_listening();
      backoff = first_backoff;
      if (was_lost) spdlog::info("listening for case events again");
      was_lost = false;
      while (!stopping) {
        connection->await_notification(0, poll_us);
        // libpqxx returns 0 at once, without waiting, on a connection that has closed.
        if (!connection->is_open())
          throw pqxx::broken_connection{"the listener's connection closed"};
      }
      listening = false;
    } catch (const std::exception& error) {
      if (!was_lost) {
        spdlog::warn("event listener: {} ({}); retrying",
                     listening ? "connection lost" : "database unreachable", error.what());
      }
      listening = false;
      was_lost = true;
    }
    if (!stopping && !pause(backoff)) break;
    backoff = std::min(backoff * 2, kMaxListenerBackoff);
  }
}

bool EventListener::State::pause(std::chrono::milliseconds delay) {
  std::unique_lock lock{mutex};
  return !wake.wait_for(lock, delay, [&] { return stopping.load(); });
}

EventListener::EventListener(DatabaseOptions options, std::string channel)
    : state_(std::make_unique<State>(std::move(options), std::move(channel))) {}

EventListener::~EventListener() { stop(); }

void EventListener::start(Callback on_payload, ListeningCallback on_listening) {
  if (state_->thread.joinable()) return;
  state_->on_payload = std::move(on_payload);
  state_->on_listening = std::move(on_listening);
  state_->thread = std::thread([state = state_.get()] { state->run(); });
}

void EventListener::request_stop() {
  {
    std::lock_guard lock{state_->mutex};
    state_->stopping = true;
  }
  state_->wake.notify_all();
}

void EventListener::stop() {
  request_stop();
  if (state_->thread.joinable()) state_->thread.join();
}

bool EventListener::is_listening() const { return state_->listening; }

}  // namespace gridcase::storage
