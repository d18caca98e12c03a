#pragma once

#include <boost/asio/awaitable.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/use_future.hpp>
#include <future>
#include <utility>

namespace gridcase::testing {

/// Drives one awaitable to completion on a private io_context and returns its result, or
/// rethrows what it threw. For tests only: it blocks the calling thread.
template <class T>
T run_sync(boost::asio::awaitable<T> work) {
  boost::asio::io_context io;
  std::future<T> result = boost::asio::co_spawn(io, std::move(work), boost::asio::use_future);
  io.run();
  return result.get();
}

}  // namespace gridcase::testing
