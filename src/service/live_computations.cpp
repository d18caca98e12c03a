#include "gridcase/service/live_computations.hpp"

#include <utility>

#include "gridcase/domain/error.hpp"

namespace gridcase::service {

namespace asio = boost::asio;

LiveComputations::Permit::Permit(Permit&& other) noexcept
    : owner_(std::exchange(other.owner_, nullptr)), account_(std::move(other.account_)) {}

LiveComputations::Permit& LiveComputations::Permit::operator=(Permit&& other) noexcept {
  if (this != &other) {
    release();
    owner_ = std::exchange(other.owner_, nullptr);
    account_ = std::move(other.account_);
  }
  return *this;
}

LiveComputations::Permit::~Permit() { release(); }

void LiveComputations::Permit::release() noexcept {
  if (owner_ == nullptr) return;
  try {
    std::exchange(owner_, nullptr)->leave(account_);
  } catch (...) {  // NOLINT(bugprone-empty-catch)
    // Only a failing mutex or allocation can throw here, and a destructor must not: the slot is
    // then lost, which narrows the queue but never lets more computations run than allowed.
  }
}

asio::awaitable<LiveComputations::Permit> LiveComputations::enter(std::string account) {
  std::shared_ptr<Wakeup> waiter = co_await Wakeup::for_this_coroutine();
  {
    const std::lock_guard lock{mutex_};
    int& mine = per_account_[account];
    if (mine >= limits_.per_account) {
      if (mine == 0) per_account_.erase(account);
      throw domain::Error(domain::ErrorCode::kRateLimited,
                          "too many report computations of this account at once: wait for one "
                          "to finish",
                          domain::ErrorDetails{{}, {}, limits_.retry_after});
    }
    if (running_ < limits_.concurrent) {
      ++running_;
      ++mine;
      co_return Permit{this, std::move(account)};
    }
    if (waiting_.size() >= static_cast<std::size_t>(limits_.queued)) {
      if (mine == 0) per_account_.erase(account);
      throw domain::Error(domain::ErrorCode::kUnavailable,
                          "too many reports are being computed: try again later",
                          domain::ErrorDetails{{}, {}, limits_.retry_after});
    }
    ++mine;
    waiting_.push_back(waiter);
  }
  // leave() counts the slot as ours before it ends the wait, so nothing is left to do here.
  co_await waiter->wait();
  co_return Permit{this, std::move(account)};
}

void LiveComputations::leave(const std::string& account) {
  const std::lock_guard lock{mutex_};
  if (const auto mine = per_account_.find(account);
      mine != per_account_.end() && --mine->second <= 0) {
    per_account_.erase(mine);
  }
  if (waiting_.empty()) {
    --running_;
    return;
  }
  // The slot passes to the oldest waiter as it is: running_ stays.
  std::shared_ptr<Wakeup> next = std::move(waiting_.front());
  waiting_.pop_front();
  next->set();
}

int LiveComputations::running() const {
  const std::lock_guard lock{mutex_};
  return running_;
}

std::size_t LiveComputations::waiting() const {
  const std::lock_guard lock{mutex_};
  return waiting_.size();
}

}  // namespace gridcase::service
