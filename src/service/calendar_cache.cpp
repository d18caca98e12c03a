#include "gridcase/service/calendar_cache.hpp"

#include <optional>
#include <utility>

#include "gridcase/service/case_repository.hpp"

namespace gridcase::service {

CalendarCache::CalendarCache(const domain::Clock& clock, std::chrono::minutes utc_offset,
                             std::chrono::milliseconds max_age)
    : clock_(clock), utc_offset_(utc_offset), max_age_(max_age) {}

std::shared_ptr<const domain::WorkCalendar> CalendarCache::current(Repositories& repos) {
  const domain::Timestamp now = clock_.now();
  {
    std::lock_guard lock{mutex_};
    if (calendar_ && now - loaded_at_ < max_age_) return calendar_;
  }
  // Read outside the lock: a slow read must not hold up the threads with a fresh copy.
  std::optional<domain::WorkCalendarSpec> spec = repos.calendar.load();
  std::shared_ptr<const domain::WorkCalendar> loaded;
  if (spec) {
    loaded = std::make_shared<const domain::WorkCalendar>(std::move(*spec));
  } else {
    domain::WorkCalendarSpec demo = domain::WorkCalendar::demo().spec();
    demo.utc_offset = utc_offset_;
    loaded = std::make_shared<const domain::WorkCalendar>(std::move(demo));
  }
  std::lock_guard lock{mutex_};
  calendar_ = loaded;
  loaded_at_ = now;
  return loaded;
}

void CalendarCache::forget() {
  std::lock_guard lock{mutex_};
  calendar_.reset();
}

}  // namespace gridcase::service
