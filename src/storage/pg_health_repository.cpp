#include "pg_health_repository.hpp"

#include <pqxx/pqxx>

#include "migrations.hpp"

namespace gridcase::storage {
namespace {

constexpr const char* kCountsForMetrics = R"sql(
  SELECT level, count(*) FROM grid_nodes WHERE valid_to IS NULL GROUP BY level ORDER BY level)sql";

}  // namespace

std::vector<std::string> PgHealthRepository::pending_migrations() {
  return storage::pending_migrations(tx_);
}

std::vector<service::Gauge> PgHealthRepository::gauges() {
  std::vector<service::Gauge> gauges;
  for (const pqxx::row& row : tx_.exec(kCountsForMetrics)) {
    gauges.push_back(
        {"gridcase_grid_nodes", "level", row[0].as<std::string>(), row[1].as<long long>()});
  }
  return gauges;
}

}  // namespace gridcase::storage
