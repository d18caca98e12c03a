#include "periodic_loop.hpp"

#include <spdlog/spdlog.h>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <exception>

#include "gridcase/domain/error.hpp"

namespace gridcase::app {

namespace asio = boost::asio;

PeriodicLoop::PeriodicLoop(asio::io_context& io, std::string name,
                           std::chrono::milliseconds interval, Step step)
    : name_(std::move(name)),
      interval_(interval),
      step_(std::move(step)),
      strand_(asio::make_strand(io)),
      timer_(strand_) {}

void PeriodicLoop::start() {
  running_ = true;
  auto loop = run();
  asio::co_spawn(strand_, std::move(loop), [this](const std::exception_ptr& failure) {
    if (failure) {
      try {
        std::rethrow_exception(failure);
      } catch (const std::exception& error) {
        spdlog::error("the {} stopped: {}", name_, error.what());
      }
    }
    running_ = false;
  });
}

void PeriodicLoop::stop() {
  stopping_ = true;
  asio::post(strand_, [this] { timer_.cancel(); });
}

asio::awaitable<void> PeriodicLoop::run() {
  bool failing = false;
  while (!stopping_) {
    try {
      co_await step_();
      if (failing) spdlog::info("{}: running again", name_);
      failing = false;
    } catch (const domain::Error& error) {
      // Once per outage: the database being away is logged by the pool as well.
      if (!failing) spdlog::warn("{}: failed ({}); retrying", name_, error.what());
      failing = true;
    } catch (const std::exception& error) {
      // A bug rather than an outage, but the loop holds streams to their tokens and runs the
      // scheduler: ending it for good would fail open. Logged at error, once per run of failures.
      if (!failing) spdlog::error("{}: failed ({}); retrying", name_, error.what());
      failing = true;
    }
    if (stopping_) break;
    timer_.expires_after(interval_);
    co_await timer_.async_wait(asio::as_tuple(asio::use_awaitable));
  }
}

}  // namespace gridcase::app
