#pragma once

#include <boost/asio/awaitable.hpp>

#include "gridcase/service/transaction_runner.hpp"
#include "in_memory_repositories.hpp"

namespace gridcase::testing {

/// service::TransactionRunner over InMemoryRepositories: the work runs at once on the caller's
/// coroutine (no database thread), and a transaction whose work throws leaves the repositories as
/// they were before it, as a rollback would.
class InlineTransactionRunner final : public service::TransactionRunner {
 public:
  explicit InlineTransactionRunner(InMemoryRepositories& repositories)
      : repositories_(repositories) {}

  boost::asio::awaitable<void> run(Work work) override {
    ++transactions;
    const InMemoryRepositories::State before = repositories_.state();
    try {
      work(repositories_.ports());
    } catch (...) {
      repositories_.restore(before);
      ++rolled_back;
      throw;
    }
    co_return;
  }

  boost::asio::awaitable<void> autocommit(Work work) override {
    ++autocommits;
    work(repositories_.ports());
    co_return;
  }

  int transactions = 0;  // run() calls
  int rolled_back = 0;   // of them, the ones whose work threw
  int autocommits = 0;   // autocommit() and read() calls

 private:
  InMemoryRepositories& repositories_;
};

}  // namespace gridcase::testing
