#pragma once

#include <boost/asio/awaitable.hpp>
#include <functional>

#include "gridcase/service/repositories.hpp"

namespace gridcase::service {

/// Port: runs blocking database work off the I/O threads. Exceptions thrown by `work` (or
/// the database, translated to domain::Error) rethrow in the awaiting coroutine.
class TransactionRunner {
 public:
  using Work = std::function<void(Repositories&)>;
  virtual ~TransactionRunner() = default;
  /// One read-write transaction: committed when `work` returns, rolled back when it throws.
  virtual boost::asio::awaitable<void> run(Work work) = 0;
  /// Reads whose every statement stands alone (no BEGIN/COMMIT round trips).
  virtual boost::asio::awaitable<void> read(Work work) = 0;
};

}  // namespace gridcase::service
