#pragma once

#include <chrono>
#include <memory>
#include <mutex>

#include "gridcase/domain/calendar.hpp"
#include "gridcase/domain/clock.hpp"
#include "gridcase/service/repositories.hpp"

namespace gridcase::service {

/// The stored work calendar, shared by every service that measures time in it (cases, the
/// scheduler, reports): one per server process, built in the composition root. A process trusts
/// its copy for `max_age`, so another process's edit shows after at most that long. Thread-safe.
class CalendarCache {
 public:
  /// `utc_offset`: the local time of the demo calendar used until one is stored.
  CalendarCache(const domain::Clock& clock, std::chrono::minutes utc_offset,
                std::chrono::milliseconds max_age);

  /// The work calendar for use inside a transaction: the cached copy, or read through `repos`
  /// when it is older than max_age.
  std::shared_ptr<const domain::WorkCalendar> current(Repositories& repos);

  /// Drops the cached copy: the next current() reads what is stored.
  void forget();

 private:
  const domain::Clock& clock_;
  const std::chrono::minutes utc_offset_;
  const std::chrono::milliseconds max_age_;
  std::mutex mutex_;
  std::shared_ptr<const domain::WorkCalendar> calendar_;
  domain::Timestamp loaded_at_{};
};

}  // namespace gridcase::service
