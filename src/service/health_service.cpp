#include "gridcase/service/health_service.hpp"

#include <array>
#include <mutex>
#include <optional>

#include "gridcase/domain/clock.hpp"
#include "gridcase/domain/error.hpp"

namespace gridcase::service {
namespace {

/// The gauges of `open` at `now`: every open status and every light, zero when none, so that a
/// series never disappears from a scrape.
std::vector<Gauge> open_case_gauges(const OpenCases& open, domain::Timestamp now,
                                    const domain::WorkCalendar& calendar,
                                    std::chrono::milliseconds max_age) {
  const std::string how_often = "counted at most every " + std::to_string(max_age.count()) + " ms.";
  std::vector<Gauge> gauges;
  long long total = 0;
  for (domain::CaseStatus status : domain::kAllCaseStatuses) {
    if (!domain::is_open(status)) continue;
    long long count = 0;
    for (const auto& [counted, value] : open.by_status) {
      if (counted == status) count = value;
    }
    total += count;
    gauges.push_back({"gridcase_open_cases", "status", std::string(to_string(status)), count,
                      "Open cases of the whole district by status, " + how_often});
  }
  std::array<long long, 3> lights{};  // green, yellow, red
  for (const domain::TimerState& timer : open.handling) {
    ++lights.at(static_cast<std::size_t>(domain::light_at(timer, now, calendar)));
  }
  const std::string help =
      "Open cases of the whole district by the light of their running handling timer (none: "
      "no handling timer runs), " +
      how_often;
  long long lit = 0;
  for (domain::Light light : {domain::Light::kGreen, domain::Light::kYellow, domain::Light::kRed}) {
    const long long count = lights.at(static_cast<std::size_t>(light));
    lit += count;
    gauges.push_back(
        {"gridcase_open_cases_by_light", "light", std::string(to_string(light)), count, help});
  }
  gauges.push_back(
      {"gridcase_open_cases_by_light", "light", "none", total > lit ? total - lit : 0, help});
  return gauges;
}

}  // namespace

/// The open-case gauges last counted and when; shared by every scrape of the process.
struct HealthService::OpenCaseCounts {
  std::mutex mutex;
  std::optional<domain::Timestamp> counted_at;
  std::vector<Gauge> gauges;
};

HealthService::HealthService(TransactionRunner& transactions, CalendarCache& calendar,
                             const domain::Clock& clock, std::chrono::milliseconds max_age)
    : transactions_(transactions),
      calendar_(&calendar),
      clock_(&clock),
      max_age_(max_age),
      counts_(std::make_shared<OpenCaseCounts>()) {}

boost::asio::awaitable<Readiness> HealthService::readiness() const {
  std::vector<std::string> pending;
  std::optional<std::chrono::milliseconds> offset;
  try {
    co_await transactions_.read([&](Repositories& repos) {
      pending = repos.health.pending_migrations();
      if (clock_ == nullptr) return;
      const domain::Timestamp before = clock_->now();
      const std::optional<domain::Timestamp> database = repos.health.database_now();
      if (database) offset = domain::clock_offset(before, *database, clock_->now());
    });
  } catch (const domain::Error& error) {
    co_return Readiness{false, std::string("database: ") + error.what()};
  }
  if (!pending.empty()) {
    std::string reason = "pending migrations:";
    for (const std::string& name : pending) reason += " " + name;
    co_return Readiness{false, reason};
  }
  // `serve` refuses to start beyond the offset; this catches a process started while the
  // database was unreachable, and a clock that drifts later: the balancer takes it out.
  if (offset) {
    if (std::optional<std::string> problem = domain::clock_offset_problem(*offset)) {
      co_return Readiness{false, "clock: " + *problem};
    }
  }
  co_return Readiness{true, {}};
}

boost::asio::awaitable<std::vector<Gauge>> HealthService::gauges() const {
  std::vector<Gauge> gauges;
  std::optional<domain::Timestamp> now;
  if (counts_) {
    now = clock_->now();
    std::lock_guard lock{counts_->mutex};
    if (counts_->counted_at && *now - *counts_->counted_at < max_age_) now.reset();
  }
  // `now` is set when the open cases must be counted again.
  OpenCases open;
  std::shared_ptr<const domain::WorkCalendar> calendar;
  co_await transactions_.read([&](Repositories& repos) {
    gauges = repos.health.gauges();
    if (now) {
      open = repos.health.open_cases();
      calendar = calendar_->current(repos);
    }
  });
  if (!counts_) co_return gauges;
  std::lock_guard lock{counts_->mutex};
  if (now) {
    counts_->gauges = open_case_gauges(open, *now, *calendar, max_age_);
    counts_->counted_at = now;
  }
  gauges.insert(gauges.end(), counts_->gauges.begin(), counts_->gauges.end());
  co_return gauges;
}

}  // namespace gridcase::service
