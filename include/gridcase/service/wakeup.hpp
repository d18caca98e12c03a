#pragma once

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/steady_timer.hpp>
#include <memory>

namespace gridcase::service {

/// A one-shot signal that one coroutine waits for and any thread sets: set() before or during
/// wait() both end it. Held by shared_ptr, since the setter may outlive the waiter's interest.
class Wakeup : public std::enable_shared_from_this<Wakeup> {
 public:
  /// The waiter's executor: wait() resumes there.
  explicit Wakeup(const boost::asio::any_io_executor& executor);

  /// A Wakeup for the calling coroutine's executor.
  static boost::asio::awaitable<std::shared_ptr<Wakeup>> for_this_coroutine();

  /// Returns once set() has been called (at once if it has been already).
  boost::asio::awaitable<void> wait();
  /// Thread-safe; idempotent.
  void set();

 private:
  // Never fires by itself: set() moves its expiry to the past on its own executor.
  boost::asio::steady_timer timer_;
};

}  // namespace gridcase::service
