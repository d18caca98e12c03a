#include "pg_health_repository.hpp"

#include <pqxx/pqxx>

#include "migrations.hpp"
#include "pg_values.hpp"

namespace gridcase::storage {
namespace {

constexpr const char* kCountsForMetrics = R"sql(
  SELECT level, count(*) FROM grid_nodes WHERE valid_to IS NULL GROUP BY level ORDER BY level)sql";

// The webhook outbox: deliveries waiting and parked, and how old the oldest waiting one is (a
// receiver that is down, or a sender that is not running, makes it grow). Both from the
// partial indexes' rows only: delivered ones are not counted.
constexpr const char* kWebhookOutbox = R"sql(
  SELECT count(*) FILTER (WHERE state = 'pending'), count(*) FILTER (WHERE state = 'dead'),
         coalesce(extract(epoch FROM now() - min(tried_since) FILTER (WHERE state = 'pending')), 0)::bigint
  FROM webhook_deliveries WHERE state IN ('pending', 'dead'))sql";

// The newest night the nightly job computed, when (report_runs: one row per computed period).
constexpr const char* kLastNightlyReport = R"sql(
  SELECT coalesce(extract(epoch FROM max(computed_at)), 0)::bigint FROM report_runs
  WHERE period = 'day')sql";

// The standbys streaming from this server (none on a single box or a standby) and how far the
// furthest behind has yet to replay, in bytes of WAL. Lag columns need pg_read_all_stats (or a
// superuser); without it they read NULL, counted as 0.
constexpr const char* kReplication = R"sql(
  SELECT count(*) FILTER (WHERE sync_state IN ('sync', 'quorum')), count(*),
         coalesce(max(pg_wal_lsn_diff(CASE WHEN pg_is_in_recovery() THEN NULL
                                           ELSE pg_current_wal_lsn() END, replay_lsn)), 0)::bigint
  FROM pg_stat_replication WHERE state = 'streaming')sql";

// Open cases by status: an index-only walk of cases_status_idx over the open statuses.
constexpr const char* kOpenCasesByStatus = R"sql(
  SELECT status, count(*) FROM cases
  WHERE status IN ('received', 'verifying', 'registered', 'dispatched', 'handling', 'suspended',
                   'handled', 'resolved', 'replied')
  GROUP BY status)sql";

// The running handling timer of each open case (case_timers_case_idx: running timers only).
constexpr const char* kRunningHandlingTimers = R"sql(
  SELECT (extract(epoch FROM t.started_at) * 1000)::bigint,
         (extract(epoch FROM t.deadline) * 1000)::bigint, t.limit_value, t.limit_unit,
         c.cycle_extensions, (extract(epoch FROM t.paused_at) * 1000)::bigint
  FROM case_timers t JOIN cases c ON c.id = t.case_id
  WHERE t.ended_at IS NULL AND t.timer = 'handling' AND c.status NOT IN ('closed', 'rejected'))sql";

}  // namespace

std::vector<std::string> PgHealthRepository::pending_migrations() {
  return storage::pending_migrations(tx_);
}

std::vector<service::Gauge> PgHealthRepository::gauges() {
  std::vector<service::Gauge> gauges;
  for (const pqxx::row& row : tx_.exec(kCountsForMetrics)) {
    gauges.push_back({"gridcase_grid_nodes", "level", row[0].as<std::string>(),
                      row[1].as<long long>(),
                      "Grid nodes in force, by level (district, street, community, cell)"});
  }
  const pqxx::row outbox = tx_.exec1(kWebhookOutbox);
  const std::string help = "Webhook deliveries not delivered, by state (docs/integrations.md)";
  gauges.push_back(
      {"gridcase_webhook_deliveries", "state", "pending", outbox[0].as<long long>(), help});
  gauges.push_back(
      {"gridcase_webhook_deliveries", "state", "dead", outbox[1].as<long long>(), help});
  gauges.push_back({"gridcase_webhook_oldest_pending_seconds", "", "", outbox[2].as<long long>(),
                    "Age of the oldest webhook delivery still waiting to be delivered"});
  gauges.push_back({"gridcase_report_last_nightly_run_timestamp_seconds", "", "",
                    tx_.exec1(kLastNightlyReport)[0].as<long long>(),
                    "When the nightly job last computed a day's report (0: never)"});
  const pqxx::row replication = tx_.exec1(kReplication);
  const std::string standby_help = "Standbys streaming from the primary, synchronous or not";
  gauges.push_back(
      {"gridcase_db_standbys", "mode", "sync", replication[0].as<long long>(), standby_help});
  gauges.push_back(
      {"gridcase_db_standbys", "mode", "any", replication[1].as<long long>(), standby_help});
  gauges.push_back({"gridcase_db_replication_lag_bytes", "", "", replication[2].as<long long>(),
                    "WAL the furthest-behind standby has yet to replay"});
  return gauges;
}

std::optional<domain::Timestamp> PgHealthRepository::database_now() {
  return domain::Timestamp{
      std::chrono::milliseconds{tx_.exec_prepared1("database_now").at(0).as<long long>()}};
}

service::OpenCases PgHealthRepository::open_cases() {
  service::OpenCases open;
  for (const pqxx::row& row : tx_.exec(kOpenCasesByStatus)) {
    if (std::optional<domain::CaseStatus> status =
            domain::parse_case_status(row[0].as<std::string>())) {
      open.by_status.emplace_back(*status, row[1].as<long long>());
    }
  }
  const pqxx::result timers = tx_.exec(kRunningHandlingTimers);
  open.handling.reserve(timers.size());
  for (const pqxx::row& row : timers) {
    const domain::TimeLimit limit{row[2].as<int>(),
                                  *domain::parse_limit_unit(row[3].as<std::string>())};
    open.handling.push_back(domain::TimerState{timestamp_of(row[0]), limit, timestamp_of(row[1]),
                                               row[4].as<int>(), optional_timestamp_of(row[5])});
  }
  return open;
}

}  // namespace gridcase::storage
