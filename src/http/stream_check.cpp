#include "stream_check.hpp"

#include <string>
#include <unordered_map>
#include <vector>

namespace gridcase::http {
namespace {

bool same_caller(const domain::Actor& now, const domain::Actor& then) {
  return now.id == then.id && now.roles == then.roles && now.scope == then.scope;
}

}  // namespace

boost::asio::awaitable<void> check_streams(const EventHub& hub, const service::AuthService& auth,
                                           std::chrono::milliseconds patience) {
  const std::vector<std::shared_ptr<EventSubscription>> open = hub.subscriptions();
  if (open.empty()) co_return;
  std::vector<std::string> tokens;
  std::unordered_map<std::string, std::size_t> index;  // a token's place in `tokens`
  for (const std::shared_ptr<EventSubscription>& stream : open) {
    if (index.emplace(stream->owner().token, tokens.size()).second)
      tokens.push_back(stream->owner().token);
  }
  const std::chrono::steady_clock::time_point now = std::chrono::steady_clock::now();
  std::vector<std::optional<service::Authenticated>> confirmed;
  try {
    confirmed = co_await auth.confirm(std::move(tokens));
  } catch (const domain::Error&) {
    // A request would be refused once its cached lookup ran out: so is a stream, with a little
    // more patience, since ending it makes every client reconnect.
    for (const std::shared_ptr<EventSubscription>& stream : open) {
      if (now - stream->confirmed_at() > patience) stream->close();
    }
    throw;
  }
  for (const std::shared_ptr<EventSubscription>& stream : open) {
    const std::optional<service::Authenticated>& found = confirmed[index.at(stream->owner().token)];
    if (found && same_caller(found->actor, stream->owner().actor)) {
      stream->confirm(now);
    } else {
      stream->close();
    }
  }
}

}  // namespace gridcase::http
