#include "stream_check.hpp"

#include <vector>

namespace gridcase::http {

boost::asio::awaitable<void> check_streams(const EventHub& hub, const service::AuthService& auth,
                                           std::chrono::milliseconds patience) {
  const std::vector<std::shared_ptr<EventSubscription>> open = hub.subscriptions();
  if (open.empty()) co_return;
  std::vector<service::OpenStream> streams;
  streams.reserve(open.size());
  for (const std::shared_ptr<EventSubscription>& stream : open) {
    streams.push_back(
        service::OpenStream{stream->owner().token, stream->owner().actor, stream->filter().cells});
  }
  const std::chrono::steady_clock::time_point now = std::chrono::steady_clock::now();
  std::vector<bool> confirmed;
  try {
    confirmed = co_await auth.confirm_streams(std::move(streams));
  } catch (const domain::Error&) {
    // A request would be refused once its cached lookup ran out: so is a stream, with a little
    // more patience, since ending it makes every client reconnect.
    for (const std::shared_ptr<EventSubscription>& stream : open) {
      if (now - stream->confirmed_at() > patience) stream->close();
    }
    throw;
  }
  for (std::size_t i = 0; i < open.size(); ++i) {
    if (confirmed[i]) {
      open[i]->confirm(now);
    } else {
      open[i]->close();
    }
  }
}

}  // namespace gridcase::http
