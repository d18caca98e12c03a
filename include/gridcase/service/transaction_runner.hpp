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
  /// Work whose every statement stands alone and commits by itself (no BEGIN/COMMIT round
  /// trips): reads, and writes that are a single statement.
  virtual boost::asio::awaitable<void> autocommit(Work work) = 0;
  /// Reads: autocommit under a name that says what the caller does.
  boost::asio::awaitable<void> read(Work work) { return autocommit(std::move(work)); }
};

}  // namespace gridcase::service
