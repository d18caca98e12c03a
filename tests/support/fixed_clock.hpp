#pragma once

#include <atomic>
#include <chrono>

#include "gridcase/domain/clock.hpp"

namespace gridcase::testing {

/// The one clock of the tests: it stands still until the test sets or advances it. Services read
/// it on database threads while the test moves it, hence atomic.
class FixedClock final : public domain::Clock {
 public:
  explicit FixedClock(domain::Timestamp at = domain::Timestamp{})
      : epoch_ms_(at.time_since_epoch().count()) {}

  domain::Timestamp now() const override {
    return domain::Timestamp{std::chrono::milliseconds{epoch_ms_.load()}};
  }
  void set(domain::Timestamp at) { epoch_ms_.store(at.time_since_epoch().count()); }
  template <class Rep, class Period>
  void advance(std::chrono::duration<Rep, Period> by) {
    epoch_ms_.fetch_add(std::chrono::duration_cast<std::chrono::milliseconds>(by).count());
  }

 private:
  std::atomic<long long> epoch_ms_;
};

}  // namespace gridcase::testing
