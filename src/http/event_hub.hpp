#pragma once

#include <atomic>
#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/steady_timer.hpp>
#include <chrono>
#include <cstddef>
#include <deque>
#include <functional>
#include <limits>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_set>
#include <vector>

#include "gridcase/domain/access.hpp"

namespace gridcase::http {

/// A committed case event as the live feed needs it, read from a `gridcase_events` payload.
struct FeedEvent {
  long long id = 0;
  std::string case_no;
  std::optional<std::string> grid_path;  // ltree text of codes, district first; nullopt: unlocated
  std::optional<std::string> unit;       // the unit the case is dispatched to
  std::optional<std::string> cell;
  /// The whole Server-Sent Events message: `id: …\nevent: case_event\ndata: <json>\n\n`.
  std::string message;
};

/// Reads one NOTIFY payload (sql/003_cases.sql, gridcase_announce_event) and renders its SSE
/// message, with `at` in RFC 3339 UTC like every other time of the API. nullopt when the payload
/// is not such an event.
std::optional<FeedEvent> parse_feed_event(std::string_view payload);

/// What one stream receives: every condition set must hold.
struct FeedFilter {
  explicit FeedFilter(std::optional<std::string> grid_code = std::nullopt)
      : grid(std::move(grid_code)) {}
  /// A grid code: the case's cell lies in its subtree (codes nest by prefix, so the cell code
  /// starts with it), or the case is unlocated and this is the district code its number starts
  /// with.
  std::optional<std::string> grid;
  std::optional<std::string> unit;                // a unit's staff: cases dispatched to it
  std::optional<std::vector<std::string>> cells;  // an officer: cases in their cells
};

/// True when a subscriber with `filter` receives `event`.
bool is_in_feed(const FeedEvent& event, const FeedFilter& filter);

using FeedMessage = std::shared_ptr<const std::string>;

/// Who opened a stream: the token the stream check confirms again and again (still live, still
/// the same caller), and when that token expires, which ends the stream.
struct StreamOwner {
  std::string token;
  domain::Actor actor;
  std::chrono::steady_clock::time_point expires = std::chrono::steady_clock::time_point::max();
};

/// The `reset` message: more than `replay_limit` events may have been missed, so the client
/// reloads the cases it shows; `id:` is `newest_id`, the newest event read, where its
/// Last-Event-ID moves on to.
std::string feed_reset_message(long long newest_id, std::size_t replay_limit);

/// The event id a message rendered by parse_feed_event starts with (`id: N`), or nullopt.
std::optional<long long> feed_message_id(std::string_view message);

/// One open event stream: a bounded queue of messages, read by its connection's coroutine.
/// deliver() and close() may be called from any thread; next() runs on `executor`, the
/// connection's strand, where every member is touched.
class EventSubscription : public std::enable_shared_from_this<EventSubscription> {
 public:
  EventSubscription(boost::asio::any_io_executor executor, FeedFilter filter,
                    std::size_t queue_limit, StreamOwner owner = {});

  const FeedFilter& filter() const { return filter_; }
  const StreamOwner& owner() const { return owner_; }
  /// When the stream check last found the owner's token live (at first: when it was opened).
  std::chrono::steady_clock::time_point confirmed_at() const { return confirmed_at_.load(); }
  void confirm(std::chrono::steady_clock::time_point at) { confirmed_at_.store(at); }

  /// Queues a message. A subscriber with `queue_limit` messages waiting is not keeping up: it is
  /// closed (and its connection dropped) rather than its queue grown.
  void deliver(FeedMessage message);
  /// Ends the subscription: next() returns nullopt from now on.
  void close();
  /// What to call (on the executor) when the subscription closes for falling too far behind:
  /// its connection is to be dropped, not left to finish a write to a reader that is not
  /// reading. Set and cleared on the executor only.
  void on_overflow(std::function<void()> hook) { overflow_hook_ = std::move(hook); }
  /// Waits until a message is queued, `keepalive` passed or the subscription closed. Returns the
  /// queued messages (none when `keepalive` passed), or nullopt once closed; it closes when its
  /// owner's token expires.
  boost::asio::awaitable<std::optional<std::vector<FeedMessage>>> next(
      std::chrono::milliseconds keepalive);
  /// True when it was closed for falling `queue_limit` messages behind (read on the strand).
  bool overflowed() const { return overflowed_; }

 private:
  void on_message(FeedMessage message);
  void on_close();

  boost::asio::any_io_executor executor_;
  const FeedFilter filter_;
  const std::size_t queue_limit_;
  const StreamOwner owner_;
  std::atomic<std::chrono::steady_clock::time_point> confirmed_at_;
  boost::asio::steady_timer wake_;
  std::deque<FeedMessage> queue_;
  std::function<void()> overflow_hook_;
  bool closed_ = false;
  bool overflowed_ = false;
};

/// Fans committed case events out to the open event streams. Thread-safe.
class EventHub {
 public:
  EventHub(std::size_t max_streams, std::size_t queue_limit,
           std::size_t max_per_account = std::numeric_limits<std::size_t>::max());

  /// A new subscription delivering on `executor`. Throws kUnavailable when `max_streams` are
  /// open, and kRateLimited when the owner's account has `max_per_account` open; both with a
  /// retry_after. Both caps count this process's streams only (one hub per process).
  std::shared_ptr<EventSubscription> subscribe(boost::asio::any_io_executor executor,
                                               FeedFilter filter, StreamOwner owner = {});
  void unsubscribe(const std::shared_ptr<EventSubscription>& subscription);
  /// Delivers one `gridcase_events` payload to every subscription whose grid it falls in, unless
  /// an event of that id was delivered already (a catch-up replayed it first). Returns false when
  /// the payload is not an event (it is dropped). A `live` payload (a notification, in commit
  /// order) also moves the feed's position on; a replayed one does not.
  bool publish(std::string_view payload, bool live = true);
  /// Tells every subscription that events may have been lost (more than a catch-up replays):
  /// one `reset` message, `id:` the newest id read, after which clients reload what they show.
  void reset(long long newest_id, std::size_t replay_limit);
  /// The id of the last event notified (commit order) or the start set by start_at(): where a
  /// catch-up after the listener reconnects starts. nullopt before either.
  std::optional<long long> position() const;
  /// Sets the position when there is none yet (the newest event when the listener first listens).
  void start_at(long long newest_id);
  /// Open subscriptions.
  std::size_t size() const;
  /// The open subscriptions, for the stream check.
  std::vector<std::shared_ptr<EventSubscription>> subscriptions() const;

 private:
  const std::size_t max_streams_;
  const std::size_t max_per_account_;
  const std::size_t queue_limit_;
  mutable std::mutex mutex_;
  std::vector<std::shared_ptr<EventSubscription>> subscriptions_;
  std::optional<long long> position_;
  /// The ids of the last kRecentIds events delivered, oldest first, and the same as a set: a
  /// catch-up replays events some of which were notified too.
  std::deque<long long> recent_order_;
  std::unordered_set<long long> recent_;
};

/// How many delivered event ids the hub remembers to pass over a second copy.
inline constexpr std::size_t kRecentIds = 65'536;

}  // namespace gridcase::http
