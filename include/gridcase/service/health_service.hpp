#pragma once

#include <boost/asio/awaitable.hpp>
#include <chrono>
#include <memory>
#include <string>
#include <vector>

#include "gridcase/domain/clock.hpp"
#include "gridcase/service/calendar_cache.hpp"
#include "gridcase/service/repositories.hpp"
#include "gridcase/service/transaction_runner.hpp"

namespace gridcase::service {

struct Readiness {
  bool ready = false;
  std::string reason;  // empty when ready
};

/// How long /metrics shows the open-case counts it last took before it counts again.
inline constexpr std::chrono::milliseconds kOpenCaseCountsMaxAge{5000};

class HealthService {
 public:
  /// Readiness and the grid gauges only.
  explicit HealthService(TransactionRunner& transactions) : transactions_(transactions) {}
  /// Also the open-case gauges: the district's open cases by status and by the light of their
  /// handling timer (`calendar`, at `clock`'s now), counted at most once per `max_age`.
  HealthService(TransactionRunner& transactions, CalendarCache& calendar,
                const domain::Clock& clock,
                std::chrono::milliseconds max_age = kOpenCaseCountsMaxAge);

  /// Never throws: an unreachable database or pending migrations make it not ready.
  boost::asio::awaitable<Readiness> readiness() const;
  boost::asio::awaitable<std::vector<Gauge>> gauges() const;

 private:
  struct OpenCaseCounts;

  TransactionRunner& transactions_;
  CalendarCache* calendar_ = nullptr;
  const domain::Clock* clock_ = nullptr;
  std::chrono::milliseconds max_age_{0};
  std::shared_ptr<OpenCaseCounts> counts_;
};

}  // namespace gridcase::service
