#include "event_handlers.hpp"

#include <boost/asio/this_coro.hpp>
#include <unordered_set>

#include "authentication.hpp"
#include "case_codec.hpp"
#include "query_parameters.hpp"

namespace gridcase::http {
namespace {

using boost::asio::awaitable;

/// A subscription for as long as its stream lasts: out of the hub when the stream ends, or when
/// it never starts (the header could not be written).
class Subscribed {
 public:
  Subscribed(EventHub& hub, std::shared_ptr<EventSubscription> subscription)
      : hub_(hub), subscription_(std::move(subscription)) {}
  ~Subscribed() { hub_.unsubscribe(subscription_); }
  Subscribed(const Subscribed&) = delete;
  Subscribed& operator=(const Subscribed&) = delete;

  const std::shared_ptr<EventSubscription>& subscription() const { return subscription_; }

 private:
  EventHub& hub_;
  std::shared_ptr<EventSubscription> subscription_;
};

/// Clears a subscription's overflow hook when the body that set it ends, on the same strand, so
/// that a message delivered later never reaches a writer that is gone.
class OverflowHookReset {
 public:
  explicit OverflowHookReset(EventSubscription& subscription) : subscription_(subscription) {}
  ~OverflowHookReset() { subscription_.on_overflow(nullptr); }
  OverflowHookReset(const OverflowHookReset&) = delete;
  OverflowHookReset& operator=(const OverflowHookReset&) = delete;

 private:
  EventSubscription& subscription_;
};

/// What a reconnecting stream sends before its live events: the messages it missed, or a reset.
struct Replay {
  std::string text;
  std::unordered_set<long long> sent;  // ids replayed, passed over when they also arrive live
};

/// The `Last-Event-ID` a reconnecting EventSource sends: the id of the last event it received.
/// Absent or empty: a new stream. Anything but an event id is 400.
std::optional<long long> last_event_id(const Request& request) {
  const std::string_view given = request.message["Last-Event-ID"];
  if (given.empty()) return std::nullopt;
  const std::optional<long long> id = parse_id(given);
  if (!id) domain::throw_malformed("Last-Event-ID", "the id of an event this stream sent (digits)");
  return id;
}

/// The replay of `payloads` (the events after the client's last, oldest first) for `filter`.
/// More than `limit` events since: one `reset` event instead, carrying the newest id read, which
/// tells the client to reload what it shows and moves its Last-Event-ID on.
Replay replay_after(const std::vector<service::JsonText>& payloads, const FeedFilter& filter,
                    std::size_t limit) {
  Replay replay;
  if (payloads.size() > limit) {
    if (const std::optional<FeedEvent> newest = parse_feed_event(payloads.back().text)) {
      replay.text = feed_reset_message(newest->id, limit);
    }
    return replay;
  }
  for (const service::JsonText& payload : payloads) {
    std::optional<FeedEvent> event = parse_feed_event(payload.text);
    if (!event || !is_in_feed(*event, filter)) continue;
    replay.text += event->message;
    replay.sent.insert(event->id);
  }
  return replay;
}

/// The stream's owner: the token it was opened with, the caller, and the token's expiry as a
/// moment of the steady clock that the stream's waits run on.
StreamOwner owner_of(const Request& request) {
  const auto left = request.token_expires_at - std::chrono::system_clock::now();
  return StreamOwner{request.bearer_token, caller_of(request),
                     std::chrono::steady_clock::now() +
                         std::chrono::duration_cast<std::chrono::steady_clock::duration>(left)};
}

}  // namespace

StreamHandler stream_events(const service::GridService& grid, const service::CaseService& cases,
                            EventHub& hub, StreamOptions options) {
  return [&grid, &cases, &hub, options](Request& request) -> awaitable<StreamingResponse> {
    require_known_parameters(request, {"grid"});
    const domain::Actor& caller = caller_of(request);
    domain::require_case_reader(caller);
    const std::optional<long long> last_seen = last_event_id(request);
    domain::ReadConfinement confined = co_await confined_read(request, grid);
    FeedFilter filter{std::move(confined.grid)};
    filter.unit = std::move(confined.unit);
    if (confined.officer) filter.cells = co_await grid.officer_cells(*confined.officer);
    const boost::asio::any_io_executor strand = co_await boost::asio::this_coro::executor;
    auto subscribed = std::make_shared<Subscribed>(
        hub, hub.subscribe(strand, std::move(filter), owner_of(request)));
    // Subscribed first, then read: an event committed meanwhile is both replayed and queued, and
    // its queued copy is passed over.
    auto replay = std::make_shared<Replay>();
    if (last_seen) {
      *replay = replay_after(co_await cases.events_after(
                                 *last_seen, static_cast<int>(options.replay_limit + 1), caller),
                             subscribed->subscription()->filter(), options.replay_limit);
    }

    Response head{beast_http::status::ok, request.message.version()};
    head.set(beast_http::field::content_type, "text/event-stream; charset=utf-8");
    head.set(beast_http::field::cache_control, "no-store");
    head.set("X-Accel-Buffering", "no");  // a buffering reverse proxy would hold events back
    StreamBody body = [subscribed, replay,
                       keepalive = options.keepalive](StreamWriter& writer) -> awaitable<void> {
      const std::shared_ptr<EventSubscription>& feed = subscribed->subscription();
      writer.on_close([feed] { feed->close(); });
      feed->on_overflow([&writer] { writer.abort(); });
      const OverflowHookReset reset{*feed};  // the writer ends with this body
      if (!co_await writer.write(": connected\n\n" + replay->text)) co_return;
      for (;;) {
        std::optional<std::vector<FeedMessage>> batch = co_await feed->next(keepalive);
        if (!batch) break;
        std::string text;
        for (const FeedMessage& message : *batch) {
          if (!replay->sent.empty()) {
            const std::optional<long long> id = feed_message_id(*message);
            if (id && replay->sent.contains(*id)) continue;  // already replayed
          }
          text += *message;
        }
        if (text.empty()) text = ": keep-alive\n\n";
        if (!co_await writer.write(text)) break;
      }
    };
    co_return StreamingResponse{std::move(head), std::move(body)};
  };
}

}  // namespace gridcase::http
