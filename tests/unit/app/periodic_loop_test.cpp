#include "periodic_loop.hpp"

#include <gtest/gtest.h>

#include <boost/asio/awaitable.hpp>
#include <boost/asio/io_context.hpp>
#include <chrono>
#include <stdexcept>

#include "gridcase/domain/error.hpp"

namespace gridcase::app {
namespace {

using namespace std::chrono_literals;

TEST(PeriodicLoopTest, AStepThatThrowsAnyExceptionIsRetriedAndTheLoopGoesOn) {
  boost::asio::io_context io;
  int steps = 0;
  PeriodicLoop* running = nullptr;
  PeriodicLoop loop{io, "test loop", 1ms, [&]() -> boost::asio::awaitable<void> {
                      ++steps;
                      if (steps == 1) throw std::logic_error("not a domain::Error");
                      if (steps == 2) {
                        throw domain::Error(domain::ErrorCode::kUnavailable, "database away");
                      }
                      if (steps == 4) running->stop();
                      co_return;
                    }};
  running = &loop;

  loop.start();
  io.run_for(10s);

  EXPECT_EQ(steps, 4) << "the loop ended at the first exception that was not a domain::Error";
  EXPECT_FALSE(loop.is_running());
}

}  // namespace
}  // namespace gridcase::app
