#include "event_handlers.hpp"

#include <boost/asio/this_coro.hpp>

#include "case_codec.hpp"
#include "authentication.hpp"
#include "json_codec.hpp"

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

}  // namespace

StreamHandler stream_events(const service::GridService& grid, EventHub& hub,
                            std::chrono::milliseconds keepalive) {
  return [&grid, &hub, keepalive](Request& request) -> awaitable<StreamingResponse> {
    require_known_parameters(request, {"grid"});
    const domain::Actor& caller = caller_of(request);
    domain::require_case_reader(caller);
    const std::optional<std::string> requested = query_text(request, "grid");
    domain::ReadConfinement confined = domain::confine_read(caller.scope, requested);
    if (requested) co_await grid.node(*requested, false);  // kNotFound for a code the grid does not have
    FeedFilter filter{std::move(confined.grid)};
    filter.unit = std::move(confined.unit);
    if (confined.officer) filter.cells = co_await grid.officer_cells(*confined.officer);
    const boost::asio::any_io_executor strand = co_await boost::asio::this_coro::executor;
    std::shared_ptr<EventSubscription> subscription = hub.subscribe(strand, std::move(filter));
    if (!subscription) {
      throw domain::Error(domain::ErrorCode::kUnavailable,
                          "too many event streams are open; try again later",
                          {.retry_after = std::chrono::seconds{5}});
    }
    auto subscribed = std::make_shared<Subscribed>(hub, std::move(subscription));

    Response head{beast_http::status::ok, request.message.version()};
    head.set(beast_http::field::content_type, "text/event-stream; charset=utf-8");
    head.set(beast_http::field::cache_control, "no-store");
    head.set("X-Accel-Buffering", "no");  // a buffering reverse proxy would hold events back
    StreamBody body = [subscribed, keepalive](StreamWriter& writer) -> awaitable<void> {
      const std::shared_ptr<EventSubscription>& feed = subscribed->subscription();
      writer.on_close([feed] { feed->close(); });
      feed->on_overflow([&writer] { writer.abort(); });
      const OverflowHookReset reset{*feed};  // the writer ends with this body
      if (!co_await writer.write(": connected\n\n")) co_return;
      for (;;) {
        std::optional<std::vector<FeedMessage>> batch = co_await feed->next(keepalive);
        if (!batch) break;
        std::string text;
        for (const FeedMessage& message : *batch) text += *message;
        if (text.empty()) text = ": keep-alive\n\n";
        if (!co_await writer.write(text)) break;
      }
    };
    co_return StreamingResponse{std::move(head), std::move(body)};
  };
}

}  // namespace gridcase::http
