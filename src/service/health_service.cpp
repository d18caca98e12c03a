#include "gridcase/service/health_service.hpp"

#include "gridcase/domain/error.hpp"

namespace gridcase::service {

boost::asio::awaitable<Readiness> HealthService::readiness() const {
  std::vector<std::string> pending;
  try {
    co_await transactions_.read(
        [&](Repositories& repos) { pending = repos.health.pending_migrations(); });
  } catch (const domain::Error& error) {
    co_return Readiness{false, std::string("database: ") + error.what()};
  }
  if (!pending.empty()) {
    std::string reason = "pending migrations:";
    for (const std::string& name : pending) reason += " " + name;
    co_return Readiness{false, reason};
  }
  co_return Readiness{true, {}};
}

boost::asio::awaitable<std::vector<Gauge>> HealthService::gauges() const {
  std::vector<Gauge> gauges;
  co_await transactions_.read([&](Repositories& repos) { gauges = repos.health.gauges(); });
  co_return gauges;
}

}  // namespace gridcase::service
