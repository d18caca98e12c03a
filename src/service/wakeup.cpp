#include "gridcase/service/wakeup.hpp"

#include <boost/asio/post.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>

namespace gridcase::service {

namespace asio = boost::asio;

Wakeup::Wakeup(const asio::any_io_executor& executor)
    : timer_(executor, asio::steady_timer::time_point::max()) {}

asio::awaitable<std::shared_ptr<Wakeup>> Wakeup::for_this_coroutine() {
  co_return std::make_shared<Wakeup>(co_await asio::this_coro::executor);
}

asio::awaitable<void> Wakeup::wait() {
  boost::system::error_code ignored;  // operation_aborted: set() moved the expiry meanwhile
  co_await timer_.async_wait(asio::redirect_error(asio::use_awaitable, ignored));
}

void Wakeup::set() {
  asio::post(timer_.get_executor(), [self = shared_from_this()] {
    self->timer_.expires_at(asio::steady_timer::time_point::min());
  });
}

}  // namespace gridcase::service
