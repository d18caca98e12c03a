#pragma once

#include <boost/asio/awaitable.hpp>
#include <chrono>
#include <cstddef>
#include <deque>
#include <map>
#include <memory>
#include <mutex>
#include <string>

#include "gridcase/service/wakeup.hpp"

namespace gridcase::service {

/// How many report computations that read the event log (not a stored snapshot) may run at once.
struct LiveComputationLimits {
  int concurrent = 2;   // running at once: fewer than the DB threads, so reads keep some
  int queued = 16;      // waiting for a turn; more: kUnavailable (503) with retry_after
  int per_account = 1;  // running or waiting for one account; more: kRateLimited (429); fewer
                        // than `concurrent`, so that one account never holds every turn
  std::chrono::seconds retry_after{5};
};

/// A bounded queue in front of the expensive report reads: `concurrent` run, `queued` wait in
/// arrival order, and anything beyond is refused at once rather than held (a full queue is the
/// server's state: kUnavailable; one account over its share is that account's: kRateLimited).
/// Thread-safe; waiters are resumed on their own executor.
class LiveComputations {
 public:
  /// A turn to compute; the slot is given to the next waiter when it is destroyed.
  class Permit {
   public:
    Permit() = default;
    Permit(Permit&& other) noexcept;
    Permit& operator=(Permit&& other) noexcept;
    Permit(const Permit&) = delete;
    Permit& operator=(const Permit&) = delete;
    ~Permit();

   private:
    friend class LiveComputations;
    Permit(LiveComputations* owner, std::string account)
        : owner_(owner), account_(std::move(account)) {}
    void release() noexcept;
    LiveComputations* owner_ = nullptr;
    std::string account_;
  };

  explicit LiveComputations(LiveComputationLimits limits) : limits_(limits) {}

  /// Waits for a turn for `account`; throws domain::Error (kRateLimited or kUnavailable, with
  /// retry_after) when the account's share or the queue is full.
  boost::asio::awaitable<Permit> enter(std::string account);

  /// Running and waiting now (for tests and metrics).
  int running() const;
  std::size_t waiting() const;

 private:
  void leave(const std::string& account);

  const LiveComputationLimits limits_;
  mutable std::mutex mutex_;
  int running_ = 0;
  std::deque<std::shared_ptr<Wakeup>> waiting_;
  std::map<std::string, int> per_account_;
};

}  // namespace gridcase::service
