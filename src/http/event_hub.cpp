#include "event_hub.hpp"

#include <algorithm>
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <charconv>
#include <nlohmann/json.hpp>

#include "gridcase/domain/error.hpp"
#include "gridcase/domain/time_text.hpp"

namespace gridcase::http {
namespace {

namespace asio = boost::asio;
using nlohmann::json;

/// The Retry-After of a refused stream (either cap): a place frees when a stream ends.
constexpr std::chrono::seconds kStreamRetryAfter{5};

}  // namespace

std::optional<FeedEvent> parse_feed_event(std::string_view payload) {
  json document = json::parse(payload, nullptr, false);
  if (document.is_discarded() || !document.is_object()) return std::nullopt;
  const auto id = document.find("id");
  const auto case_no = document.find("case_no");
  if (id == document.end() || !id->is_number_integer() || case_no == document.end() ||
      !case_no->is_string()) {
    return std::nullopt;
  }
  FeedEvent event;
  event.id = id->get<long long>();
  event.case_no = case_no->get<std::string>();
  if (const auto path = document.find("grid_path"); path != document.end() && path->is_string()) {
    event.grid_path = path->get<std::string>();
  }
  if (const auto unit = document.find("unit"); unit != document.end() && unit->is_string()) {
    event.unit = unit->get<std::string>();
  }
  if (const auto cell = document.find("cell"); cell != document.end() && cell->is_string()) {
    event.cell = cell->get<std::string>();
  }
  // PostgreSQL writes a timestamptz in the session's zone as +00:00; the API says Z.
  if (const auto at = document.find("at"); at != document.end() && at->is_string()) {
    if (std::optional<domain::Timestamp> parsed = domain::parse_rfc3339(at->get<std::string>())) {
      *at = domain::format_rfc3339(*parsed);
    }
  }
  event.message = "id: " + std::to_string(event.id) + "\nevent: case_event\ndata: " +
                  document.dump(-1, ' ', false, json::error_handler_t::replace) + "\n\n";
  return event;
}

std::string feed_reset_message(long long newest_id, std::size_t replay_limit) {
  return "id: " + std::to_string(newest_id) + "\nevent: reset\ndata: {\"reason\":\"more than " +
         std::to_string(replay_limit) + " events missed: reload the cases shown\"}\n\n";
}

std::optional<long long> feed_message_id(std::string_view message) {
  constexpr std::string_view kPrefix = "id: ";
  if (!message.starts_with(kPrefix)) return std::nullopt;
  message.remove_prefix(kPrefix.size());
  long long id = 0;
  const auto [end, error] = std::from_chars(message.data(), message.data() + message.size(), id);
  if (error != std::errc{} || end == message.data() || end == message.data() + message.size() ||
      *end != '\n') {
    return std::nullopt;
  }
  return id;
}

bool is_in_feed(const FeedEvent& event, const FeedFilter& filter) {
  if (filter.unit && event.unit != filter.unit) return false;
  if (filter.cells && (!event.cell || std::find(filter.cells->begin(), filter.cells->end(),
                                                *event.cell) == filter.cells->end())) {
    return false;
  }
  const std::optional<std::string>& grid = filter.grid;
  if (!grid) return true;
  if (event.grid_path) {
    const std::string_view path = *event.grid_path;
    const std::string_view cell = path.substr(path.rfind('.') + 1);
    return cell.starts_with(*grid);
  }
  return std::string_view(event.case_no).substr(0, event.case_no.find('-')) == *grid;
}

EventSubscription::EventSubscription(asio::any_io_executor executor, FeedFilter filter,
                                     std::size_t queue_limit, StreamOwner owner)
    : executor_(std::move(executor)),
      filter_(std::move(filter)),
      queue_limit_(queue_limit),
      owner_(std::move(owner)),
      confirmed_at_(std::chrono::steady_clock::now()),
      wake_(executor_) {}

void EventSubscription::deliver(FeedMessage message) {
  asio::post(executor_, [self = shared_from_this(), message = std::move(message)]() mutable {
    self->on_message(std::move(message));
  });
}

void EventSubscription::close() {
  asio::post(executor_, [self = shared_from_this()] { self->on_close(); });
}

void EventSubscription::on_message(FeedMessage message) {
  if (closed_) return;
  if (queue_.size() >= queue_limit_) {
    overflowed_ = true;
    on_close();
    if (overflow_hook_) overflow_hook_();
    return;
  }
  queue_.push_back(std::move(message));
  wake_.cancel();
}

void EventSubscription::on_close() {
  closed_ = true;
  queue_.clear();
  wake_.cancel();
}

asio::awaitable<std::optional<std::vector<FeedMessage>>> EventSubscription::next(
    std::chrono::milliseconds keepalive) {
  const auto expired = [this] { return std::chrono::steady_clock::now() >= owner_.expires; };
  if (!closed_ && queue_.empty() && !expired()) {
    // A message or close() cancels the wait; either way the state below says what happened.
    const auto now = std::chrono::steady_clock::now();
    wake_.expires_at(owner_.expires - now > keepalive ? now + keepalive : owner_.expires);
    co_await wake_.async_wait(asio::as_tuple(asio::use_awaitable));
  }
  if (!closed_ && expired()) on_close();  // the token it was opened with is no longer good
  if (closed_) co_return std::nullopt;
  std::vector<FeedMessage> batch(queue_.begin(), queue_.end());
  queue_.clear();
  co_return batch;
}

EventHub::EventHub(std::size_t max_streams, std::size_t queue_limit, std::size_t max_per_account)
    : max_streams_(max_streams), max_per_account_(max_per_account), queue_limit_(queue_limit) {}

std::shared_ptr<EventSubscription> EventHub::subscribe(asio::any_io_executor executor,
                                                       FeedFilter filter, StreamOwner owner) {
  std::lock_guard lock{mutex_};
  if (subscriptions_.size() >= max_streams_) {
    throw domain::Error(domain::ErrorCode::kUnavailable,
                        "too many event streams are open; try again later",
                        {.retry_after = kStreamRetryAfter});
  }
  const auto same_account = [&owner](const std::shared_ptr<EventSubscription>& open) {
    return open->owner().actor.id == owner.actor.id;
  };
  if (static_cast<std::size_t>(std::count_if(subscriptions_.begin(), subscriptions_.end(),
                                             same_account)) >= max_per_account_) {
    // A place frees up when one of the account's own streams ends, which no time predicts; the
    // hint is the whole-server cap's (contract/api.md: every 429 says when to try again).
    throw domain::Error(domain::ErrorCode::kRateLimited,
                        "this account has " + std::to_string(max_per_account_) +
                            " event streams open on this server process already; close one first",
                        {.retry_after = kStreamRetryAfter});
  }
  auto subscription = std::make_shared<EventSubscription>(std::move(executor), std::move(filter),
                                                          queue_limit_, std::move(owner));
  subscriptions_.push_back(subscription);
  return subscription;
}

void EventHub::unsubscribe(const std::shared_ptr<EventSubscription>& subscription) {
  std::lock_guard lock{mutex_};
  std::erase(subscriptions_, subscription);
}

bool EventHub::publish(std::string_view payload, bool live) {
  std::optional<FeedEvent> event = parse_feed_event(payload);
  if (!event) return false;
  std::vector<std::shared_ptr<EventSubscription>> receivers;
  {
    std::lock_guard lock{mutex_};
    if (live) position_ = event->id;
    if (!recent_.insert(event->id).second) return true;  // delivered already
    recent_order_.push_back(event->id);
    if (recent_order_.size() > kRecentIds) {
      recent_.erase(recent_order_.front());
      recent_order_.pop_front();
    }
    for (const std::shared_ptr<EventSubscription>& subscription : subscriptions_) {
      if (is_in_feed(*event, subscription->filter())) receivers.push_back(subscription);
    }
  }
  const FeedMessage message = std::make_shared<const std::string>(std::move(event->message));
  for (const std::shared_ptr<EventSubscription>& receiver : receivers) receiver->deliver(message);
  return true;
}

void EventHub::reset(long long newest_id, std::size_t replay_limit) {
  const FeedMessage message =
      std::make_shared<const std::string>(feed_reset_message(newest_id, replay_limit));
  for (const std::shared_ptr<EventSubscription>& receiver : subscriptions()) {
    receiver->deliver(message);
  }
}

std::optional<long long> EventHub::position() const {
  std::lock_guard lock{mutex_};
  return position_;
}

void EventHub::start_at(long long newest_id) {
  std::lock_guard lock{mutex_};
  if (!position_) position_ = newest_id;
}

std::size_t EventHub::size() const {
  std::lock_guard lock{mutex_};
  return subscriptions_.size();
}

std::vector<std::shared_ptr<EventSubscription>> EventHub::subscriptions() const {
  std::lock_guard lock{mutex_};
  return subscriptions_;
}

}  // namespace gridcase::http
