#pragma once

#include <atomic>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <chrono>
#include <functional>
#include <string>

namespace gridcase::app {

/// Runs `step` again and again, `interval` apart, on a strand of the io_context until stop():
/// the scheduler's ticks and the nightly report's checks. Each step is a transaction on a DB
/// thread; the I/O threads never block. A step that fails is retried: a domain::Error (the database
/// is away) is logged as a warning, any other exception as an error; neither ends the loop.
class PeriodicLoop {
 public:
  using Step = std::function<boost::asio::awaitable<void>()>;

  PeriodicLoop(boost::asio::io_context& io, std::string name, std::chrono::milliseconds interval,
               Step step);

  void start();

  /// Thread-safe. A step in flight finishes first.
  void stop();

  bool is_running() const { return running_; }

 private:
  boost::asio::awaitable<void> run();

  const std::string name_;
  const std::chrono::milliseconds interval_;
  const Step step_;
  boost::asio::strand<boost::asio::io_context::executor_type> strand_;
  boost::asio::steady_timer timer_;
  std::atomic<bool> stopping_{false};
  std::atomic<bool> running_{false};
};

}  // namespace gridcase::app
