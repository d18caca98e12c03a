#include "pg_scheduler_repository.hpp"

#include <pqxx/pqxx>

#include "pg_values.hpp"

namespace gridcase::storage {
namespace {

// One scheduler tick at a time across every server process (the migration lock is 7301946207).
constexpr const char* kTryLock = "SELECT pg_try_advisory_xact_lock(7301946208)";

// The timer and its case are locked together, skipping any an action holds (actions lock the
// case first, then its timers: taking both without waiting cannot deadlock with them). The
// status comes from the locked row, so the event records the state the timer ran out in.
// `overdue_at IS NULL` in the UPDATE itself makes a second marking impossible.
constexpr const char* kMarkOverdue = R"sql(
  WITH due AS (
    SELECT t.id, c.status
    FROM case_timers t JOIN cases c ON c.id = t.case_id
    WHERE t.ended_at IS NULL AND t.paused_at IS NULL AND t.overdue_at IS NULL
      AND t.deadline < to_timestamp($1::bigint / 1000.0)
    ORDER BY t.deadline, t.id
    LIMIT $2::int
    FOR UPDATE OF t, c SKIP LOCKED
  ), marked AS (
    UPDATE case_timers t SET overdue_at = to_timestamp($1::bigint / 1000.0)
    FROM due
    WHERE t.id = due.id AND t.ended_at IS NULL AND t.paused_at IS NULL AND t.overdue_at IS NULL
    RETURNING t.id, t.case_id, t.timer, t.deadline, due.status
  )
  INSERT INTO case_events (case_id, at, actor, actor_role, action, from_status, to_status, params)
  SELECT case_id, to_timestamp($1::bigint / 1000.0), 'system', 'system', 'overdue', status, status,
         jsonb_build_object('timer', timer, 'deadline', gridcase_iso(deadline))
  FROM marked ORDER BY deadline, id)sql";

// Level 2 needs elapsed ≥ 2 × limit, so at least the limit of working time after the deadline,
// and working time never exceeds wall time: the wall-time test below is a necessary condition
// that keeps timers waiting for level 2 from filling every batch. The domain decides exactly.
constexpr const char* kEscalationCandidates = R"sql(
  SELECT t.id, c.case_no, (extract(epoch FROM t.started_at) * 1000)::bigint,
         (extract(epoch FROM t.deadline) * 1000)::bigint, t.limit_value, t.limit_unit,
         c.cycle_extensions, t.escalated
  FROM case_timers t JOIN cases c ON c.id = t.case_id
  WHERE t.timer = 'handling' AND t.ended_at IS NULL AND t.paused_at IS NULL AND t.escalated < 2
    AND t.deadline <= to_timestamp($1::bigint / 1000.0)
    AND (t.escalated = 0 OR
         extract(epoch FROM to_timestamp($1::bigint / 1000.0) - t.deadline) * 1000 >=
           (1 + c.cycle_extensions)::float8 * t.limit_value *
           CASE t.limit_unit WHEN 'urgent_hour' THEN $2::float8 WHEN 'work_hour' THEN $3::float8
                             WHEN 'work_day' THEN $4::float8 ELSE $5::float8 END)
  ORDER BY t.escalated, t.deadline, t.id
  LIMIT $6::int
  FOR UPDATE OF t, c SKIP LOCKED)sql";

// Level 1 tells the case's street, level 2 its district (domain.md §6).
constexpr const char* kEscalate = R"sql(
  WITH raised AS (
    UPDATE case_timers SET escalated = $2::int
    WHERE id = $1::bigint AND escalated < $2::int
    RETURNING case_id
  ), bumped AS (
    UPDATE cases c SET escalation_level = greatest(c.escalation_level, $2::int)
    FROM raised WHERE c.id = raised.case_id
    RETURNING c.id, c.status, c.cell_code
  )
  INSERT INTO case_events (case_id, at, actor, actor_role, action, from_status, to_status, params)
  SELECT id, to_timestamp($3::bigint / 1000.0), 'system', 'system', 'escalated', status, status,
         jsonb_build_object('level', $2::int, 'notify',
                            CASE WHEN $2::int = 1 THEN left(cell_code, 9) ELSE left(cell_code, 6) END)
  FROM bumped)sql";

constexpr const char* kDueResumptions = R"sql(
  SELECT case_no FROM cases
  WHERE status = 'suspended' AND suspended_until <= to_timestamp($1::bigint / 1000.0)
  ORDER BY suspended_until, id
  LIMIT $2::int
  FOR UPDATE SKIP LOCKED)sql";

double unit_ms(const domain::WorkCalendar& calendar, domain::LimitUnit unit) {
  return static_cast<double>(calendar.unit_length(unit).count());
}

}  // namespace

bool PgSchedulerRepository::try_lock() { return tx_.exec1(kTryLock)[0].as<bool>(); }

int PgSchedulerRepository::mark_overdue(domain::Timestamp now, int limit) {
  return static_cast<int>(tx_.exec_params(kMarkOverdue, epoch_ms(now), limit).affected_rows());
}

std::vector<service::EscalationCandidate> PgSchedulerRepository::escalation_candidates(
    domain::Timestamp now, const domain::WorkCalendar& calendar, int limit) {
  using domain::LimitUnit;
  const pqxx::result rows = tx_.exec_params(
      kEscalationCandidates, epoch_ms(now), unit_ms(calendar, LimitUnit::kUrgentHour),
      unit_ms(calendar, LimitUnit::kWorkHour), unit_ms(calendar, LimitUnit::kWorkDay),
      unit_ms(calendar, LimitUnit::kNaturalDay), limit);
  std::vector<service::EscalationCandidate> candidates;
  candidates.reserve(rows.size());
  for (const pqxx::row& row : rows) {
    const domain::TimeLimit time_limit{row[4].as<int>(),
                                       *domain::parse_limit_unit(row[5].as<std::string>())};
    candidates.push_back(service::EscalationCandidate{
        row[0].as<long long>(), row[1].as<std::string>(),
        domain::TimerState{timestamp_of(row[2]), time_limit, timestamp_of(row[3]), row[6].as<int>(),
                           std::nullopt},
        row[7].as<int>()});
  }
  return candidates;
}

bool PgSchedulerRepository::escalate(long long timer_id, int level, domain::Timestamp now) {
  return tx_.exec_params(kEscalate, timer_id, level, epoch_ms(now)).affected_rows() > 0;
}

std::vector<std::string> PgSchedulerRepository::due_resumptions(domain::Timestamp now, int limit) {
  std::vector<std::string> case_numbers;
  for (const pqxx::row& row : tx_.exec_params(kDueResumptions, epoch_ms(now), limit)) {
    case_numbers.push_back(row[0].as<std::string>());
  }
  return case_numbers;
}

}  // namespace gridcase::storage
