#include "pg_case_repository.hpp"

#include <pqxx/pqxx>
#include <sstream>

#include "gridcase/domain/time_text.hpp"
#include "pg_grid_repository.hpp"
#include "pg_values.hpp"

namespace gridcase::storage {
namespace {

using domain::Timestamp;

// A case's record (find_record); locked for an action with kForUpdate's clause.
constexpr const char* kSelectRecord = R"sql(
  SELECT id, case_no, status, version, channel, cell_code, category_key, condition_id,
         limit_value, limit_unit, unit_code, assignee, gridcase_reporter_to_answer(id), outcome,
         extension_pending, rework_count, escalation_level,
         (extract(epoch FROM suspension_requested_until) * 1000)::bigint,
         (extract(epoch FROM suspended_until) * 1000)::bigint,
         cycle_no, (extract(epoch FROM cycle_started_at) * 1000)::bigint,
         (extract(epoch FROM cycle_deadline) * 1000)::bigint,
         (extract(epoch FROM cycle_paused_at) * 1000)::bigint, cycle_extensions,
         (SELECT string_agg(key || ' ' || (value->>'value') || ' ' || (value->>'unit'), ',')
          FROM jsonb_each(stage_limits))
  FROM cases
  WHERE case_no = $1 AND gridcase_in_scope(grid_path, unit_code, cell_code, $2::text, $3::text)
    AND ($4::text IS NULL OR received_by = $4::text))sql";
constexpr const char* kForUpdate = " FOR UPDATE";

// The case and the original it is merged into, locked in id order: two merges naming each other
// queue on the first row instead of each holding one and waiting for the other.
constexpr const char* kLockMergePair = R"sql(
  SELECT id, case_no, status FROM cases
  WHERE case_no IN ($1, $2)
    AND gridcase_in_scope(grid_path, unit_code, cell_code, $3::text, $4::text)
    AND ($5::text IS NULL OR received_by = $5::text)
  ORDER BY id
  FOR UPDATE)sql";

constexpr const char* kOpenTimers = R"sql(
  SELECT id, timer, (extract(epoch FROM started_at) * 1000)::bigint,
         (extract(epoch FROM deadline) * 1000)::bigint, limit_value, limit_unit
  FROM case_timers WHERE case_id = $1 AND ended_at IS NULL ORDER BY id)sql";

constexpr const char* kTimersOfCase = R"sql(
  SELECT t.timer, t.cycle_no, (extract(epoch FROM t.started_at) * 1000)::bigint,
         (extract(epoch FROM t.deadline) * 1000)::bigint, t.limit_value, t.limit_unit,
         (extract(epoch FROM t.paused_at) * 1000)::bigint,
         (extract(epoch FROM t.ended_at) * 1000)::bigint, t.outcome,
         (extract(epoch FROM t.overdue_at) * 1000)::bigint,
         CASE WHEN t.timer = 'handling' AND t.cycle_no = c.cycle_no THEN c.cycle_extensions ELSE 0 END
  FROM case_timers t JOIN cases c ON c.id = t.case_id
  WHERE c.case_no = $1 ORDER BY t.id)sql";

// One statement: the case inside the caller's scope ($4, $5; NULL: any) and, for an integration,
// one it submitted ($10), as every action's lookup confines it; its JSON as the reader
// ($8, $9, $10: domain::CaseConfinement) may see it, and a row in reporter_disclosures when the
// answer shows the reporter in full ($2: domain::ReporterAccess). The other case an event names
// (a merge's `into`, a reply's `via`: the original) is null unless the reader may read it, as
// the case's merged_into (gridcase_case_json, gridcase_readable_cases). An integration ($10) sees
// each event's public fields (gridcase_public_event_json), as its webhooks do.
constexpr const char* kCaseJson = R"sql(
  WITH target AS (
    SELECT c.id, c.reporter_name, c.reporter_phone, c.reporter_confidential FROM cases c
    WHERE c.case_no = $1
      AND ($4::text IS NULL OR gridcase_in_scope(c.grid_path, c.unit_code, c.cell_code, $4::text, $5::text))
      AND ($10::text IS NULL OR c.received_by = $10::text)
  ),
  disclosed AS (
    INSERT INTO reporter_disclosures (case_id, username, role)
    SELECT id, $6::text, $7::text FROM target
    WHERE (reporter_name IS NOT NULL OR reporter_phone IS NOT NULL)
      AND gridcase_reveals($2::int, reporter_confidential)
  )
  SELECT c.version, CASE WHEN $3::boolean THEN
           (gridcase_case_json(c, gridcase_reveals($2::int, c.reporter_confidential),
                               $8::text, $9::text, $10::text)::jsonb ||
            jsonb_build_object('events', (
              SELECT coalesce(jsonb_agg(CASE WHEN $10::text IS NOT NULL
                     THEN gridcase_public_event_json(e)
                     ELSE jsonb_build_object(
                       'id', e.id, 'at', gridcase_iso(e.at), 'actor', e.actor, 'role', e.actor_role,
                       'action', e.action, 'from', e.from_status, 'to', e.to_status,
                       'params', e.params
                         || CASE WHEN e.params ? 'into' THEN jsonb_build_object('into',
                              (gridcase_readable_cases(ARRAY[e.params->>'into'], $8::text, $9::text,
                                                       $10::text))[1]) ELSE '{}'::jsonb END
                         || CASE WHEN e.params ? 'via' THEN jsonb_build_object('via',
                              (gridcase_readable_cases(ARRAY[e.params->>'via'], $8::text, $9::text,
                                                       $10::text))[1]) ELSE '{}'::jsonb END,
                       'note', e.note, 'attachments', e.attachments) END
                     ORDER BY e.id), '[]'::jsonb)
              FROM case_events e WHERE e.case_id = c.id)))::text
         ELSE gridcase_case_json(c, gridcase_reveals($2::int, c.reporter_confidential),
                                 $8::text, $9::text, $10::text)::text END
  FROM cases c JOIN target ON target.id = c.id)sql";

constexpr const char* kPointInScope = R"sql(
  SELECT EXISTS (
    SELECT 1 FROM grid_nodes n
    WHERE n.level = 'cell' AND n.valid_to IS NULL
      AND ST_Intersects(n.geom, ST_SetSRID(ST_MakePoint($1::float8, $2::float8), 4326))
      AND gridcase_in_scope(n.path, NULL, n.code, $3::text, $4::text)))sql";

// closed_at is when the case reached its final status: an action that leaves it there (a
// callback on a closed case) keeps it, so reporter retention counts from the closing itself.
constexpr const char* kUpdateCase = R"sql(
  UPDATE cases SET
    status = $2, version = $3, cell_code = $4,
    grid_path = (SELECT path FROM grid_nodes WHERE code = $4),
    location = CASE WHEN $5::float8 IS NULL THEN location
                    ELSE ST_SetSRID(ST_MakePoint($5::float8, $6::float8), 4326) END,
    address = coalesce($7, address),
    category_key = $8, condition_id = $9, limit_value = $10::int, limit_unit = $11,
    unit_code = $12, assignee = $13, outcome = $14, extension_pending = $15::boolean,
    rework_count = $16::int, escalation_level = $17::int,
    suspension_requested_until = to_timestamp($18::bigint / 1000.0),
    suspended_until = to_timestamp($19::bigint / 1000.0),
    cycle_no = $20::int, cycle_started_at = to_timestamp($21::bigint / 1000.0),
    cycle_deadline = to_timestamp($22::bigint / 1000.0),
    cycle_paused_at = to_timestamp($23::bigint / 1000.0), cycle_extensions = $24::int,
    closed_at = CASE WHEN $2 NOT IN ('closed', 'rejected') THEN NULL
                     WHEN status = $2 AND closed_at IS NOT NULL THEN closed_at
                     ELSE to_timestamp($25::bigint / 1000.0) END,
    merged_into = coalesce($26::bigint, merged_into),
    updated_at = to_timestamp($25::bigint / 1000.0)
  WHERE id = $1)sql";

// Verification and check tasks go to the cell's grid officer: the event names them.
constexpr const char* kInsertEvent = R"sql(
  INSERT INTO case_events (case_id, at, actor, actor_role, action, from_status, to_status, params,
                           note, attachments)
  SELECT $1, to_timestamp($2::bigint / 1000.0), $3, $4, $5, $6, $7,
         jsonb_object($8::text[], $9::text[]) || CASE WHEN $5 IN ('request_verification', 'complete') THEN
           coalesce((SELECT jsonb_build_object('officer', o.code)
                     FROM cases c JOIN officer_cells oc ON oc.cell_code = c.cell_code
                       AND oc.duty = 'grid_officer' AND gridcase_in_force(oc.valid_from, oc.valid_to)
                     JOIN officers o ON o.id = oc.officer_id AND o.active WHERE c.id = $1 LIMIT 1), '{}'::jsonb)
           ELSE '{}'::jsonb END,
         $10, $11::text[])sql";

// When an original is replied to, so are the reporters of the duplicates merged into it, and of
// those merged into them, transitively (a merged into b merged into c: replying to c answers a
// and b). A merged case is closed and cannot be merged into, so the links form no cycle; UNION
// would end one anyway.
constexpr const char* kReplyToDuplicates = R"sql(
  WITH RECURSIVE duplicates AS (
    SELECT d.id FROM cases d WHERE d.merged_into = $1
    UNION
    SELECT d.id FROM cases d JOIN duplicates ON d.merged_into = duplicates.id
  )
  INSERT INTO case_events (case_id, at, actor, actor_role, action, from_status, to_status, params, note)
  SELECT d.id, to_timestamp($2::bigint / 1000.0), $3, $4, 'reply', d.status, d.status,
         jsonb_build_object('via', (SELECT case_no FROM cases WHERE id = $1)), $5
  FROM cases d JOIN duplicates ON duplicates.id = d.id
  ORDER BY d.id)sql";

constexpr const char* kEndTimer = R"sql(
  UPDATE case_timers SET ended_at = to_timestamp($2::bigint / 1000.0), ended_by = $3, outcome = $4
  WHERE id = $1)sql";

constexpr const char* kMoveHandlingDeadline = R"sql(
  UPDATE case_timers SET deadline = to_timestamp($2::bigint / 1000.0),
                         paused_at = to_timestamp($3::bigint / 1000.0),
                         overdue_at = CASE WHEN to_timestamp($2::bigint / 1000.0) > deadline
                                           THEN NULL ELSE overdue_at END
  WHERE case_id = $1 AND timer = 'handling' AND ended_at IS NULL)sql";

// A handling instance that re-enters its cycle (a rework, a failed check) keeps the escalation
// levels already announced against the cycle's deadline: the scheduler announces each level once
// per handling cycle, not once per instance (docs/case-lifecycle.md, "The scheduler").
constexpr const char* kStartTimer = R"sql(
  INSERT INTO case_timers (case_id, timer, cycle_no, started_at, deadline, limit_value, limit_unit,
                           escalated)
  VALUES ($1, $2, $3::int, to_timestamp($4::bigint / 1000.0), to_timestamp($5::bigint / 1000.0),
          $6::int, $7,
          CASE WHEN $2 = 'handling' THEN coalesce(
            (SELECT max(p.escalated) FROM case_timers p
             WHERE p.case_id = $1 AND p.timer = 'handling' AND p.cycle_no = $3::int), 0)
          ELSE 0 END))sql";

// The stage limits fixed at `register` (sql/022_catalogue_versions.sql).
constexpr const char* kFixStageLimits = R"sql(
  UPDATE cases SET stage_limits = (
    SELECT jsonb_object_agg(t, jsonb_build_object('value', v, 'unit', u))
    FROM unnest($2::text[], $3::int[], $4::text[]) AS x(t, v, u))
  WHERE id = $1)sql";

constexpr const char* kUnitScope = "SELECT scope_code FROM units WHERE code = $1 AND active";
// One row when the category exists: whether it is current, the condition's limit (NULL: no such
// condition) and whether it is current, and the category's stage-limit overrides as
// "timer value unit" items.
constexpr const char* kFilingChoice = R"sql(
  SELECT k.retired_at IS NULL, f.limit_value, f.limit_unit, f.retired_at IS NULL,
         (SELECT string_agg(o.timer || ' ' || o.limit_value || ' ' || o.limit_unit, ',')
          FROM category_time_limits o WHERE o.category_key = k.key)
  FROM categories k LEFT JOIN filing_conditions f ON f.category_key = k.key AND f.id = $2
  WHERE k.key = $1)sql";
constexpr const char* kCellAt = R"sql(
  SELECT code FROM grid_nodes
  WHERE level = 'cell' AND valid_to IS NULL
    AND ST_Intersects(geom, ST_SetSRID(ST_MakePoint($1::float8, $2::float8), 4326))
  ORDER BY code LIMIT 1)sql";

std::optional<domain::TimerOutcome> optional_timer_outcome(const pqxx::field& field) {
  if (field.is_null()) return std::nullopt;
  return domain::parse_timer_outcome(field.as<std::string>());
}

domain::TimeLimit limit_of(const pqxx::field& value, const pqxx::field& unit) {
  return domain::TimeLimit{value.as<int>(), *domain::parse_limit_unit(unit.as<std::string>())};
}

/// "check 2 work_hour,close 1 work_hour": stage limits as kFilingChoice and kSelectRecord
/// read them. Items the domain does not know are skipped (the table's CHECKs keep them out).
std::map<domain::StageTimer, domain::TimeLimit> stage_limits_of(const pqxx::field& field) {
  std::map<domain::StageTimer, domain::TimeLimit> limits;
  if (field.is_null()) return limits;
  std::istringstream items{field.as<std::string>()};
  std::string item;
  while (std::getline(items, item, ',')) {
    std::istringstream parts{item};
    std::string timer;
    int value = 0;
    std::string unit;
    parts >> timer >> value >> unit;
    const std::optional<domain::StageTimer> stage = domain::parse_stage_timer(timer);
    const std::optional<domain::LimitUnit> limit_unit = domain::parse_limit_unit(unit);
    if (stage && limit_unit) limits[*stage] = domain::TimeLimit{value, *limit_unit};
  }
  return limits;
}

std::optional<std::string> optional_number(const std::optional<int>& value) {
  if (!value) return std::nullopt;
  return std::to_string(*value);
}

}  // namespace

service::IntakeResult PgCaseRepository::insert(const domain::NewCase& intake,
                                               const service::IntakeRecord& record) {
  const domain::TimerStart& registration = record.timers.at(0);
  const std::optional<std::string> lon =
      intake.point ? std::optional<std::string>(decimal(intake.point->lon)) : std::nullopt;
  const std::optional<std::string> lat =
      intake.point ? std::optional<std::string>(decimal(intake.point->lat)) : std::nullopt;
  const std::optional<domain::Reporter>& reporter = intake.reporter;
  const pqxx::result rows = tx_.exec_prepared(
      "insert_case", domain::format_iso_date(record.local_date), record.district_code,
      std::string(to_string(intake.channel)), intake.description, nullable(intake.address),
      nullable(lon), nullable(lat), nullable(intake.category_key),
      nullable(reporter ? reporter->name : std::nullopt),
      nullable(reporter ? reporter->phone : std::nullopt), reporter && reporter->confidential,
      domain::has_reporter_to_answer(intake.channel, reporter),
      nullable(intake.call ? epoch_ms(intake.call->started_at) : std::optional<std::string>()),
      nullable(intake.call ? epoch_ms(intake.call->ended_at) : std::optional<std::string>()),
      nullable(intake.call ? std::optional<std::string>(intake.call->operator_name) : std::nullopt),
      nullable(intake.officer_code),
      nullable(intake.letter ? std::optional<std::string>(intake.letter->subject) : std::nullopt),
      nullable(intake.letter ? std::optional<std::string>(intake.letter->body) : std::nullopt),
      text_array(intake.photos), record.actor.id, std::string(to_string(record.actor.acting_as)),
      epoch_ms(record.now), nullable(epoch_ms(intake.occurred_at)), epoch_ms(registration.deadline),
      registration.limit.value, std::string(to_string(registration.limit.unit)),
      record.duplicate_radius_m, static_cast<int>(record.reporter_access),
      std::string(domain::to_string(record.reader.scope.kind)),
      nullable(scope_code_of(record.reader.scope)), nullable(record.reader.received_by));
  service::IntakeResult result;
  const pqxx::row row = rows.at(0);
  result.category_known = row[0].as<bool>();
  result.point_in_grid = row[1].as<bool>();
  result.officer_known = row[5].as<bool>();
  if (!row[2].is_null()) {
    result.case_no = row[2].as<std::string>();
    result.case_id = row[3].as<long long>();
    result.case_json = service::JsonText{row[4].as<std::string>()};
    result.version = row[6].as<int>();
  }
  return result;
}

std::optional<domain::CaseRecord> PgCaseRepository::find_record(
    std::string_view case_no, const domain::CaseConfinement& confinement, service::RowLock lock) {
  static const std::string select_for_update = std::string(kSelectRecord) + kForUpdate;
  const pqxx::result rows = tx_.exec_params(
      lock == service::RowLock::kForUpdate ? select_for_update.c_str() : kSelectRecord,
      std::string(case_no), std::string(domain::to_string(confinement.scope.kind)),
      confinement.scope.code, nullable(confinement.received_by));
  if (rows.empty()) return std::nullopt;
  const pqxx::row row = rows[0];
  domain::CaseRecord record;
  record.id = row[0].as<long long>();
  record.case_no = row[1].as<std::string>();
  record.status = *domain::parse_case_status(row[2].as<std::string>());
  record.version = row[3].as<int>();
  record.channel = *domain::parse_channel(row[4].as<std::string>());
  record.cell_code = optional_text_of(row[5]);
  record.category_key = optional_text_of(row[6]);
  record.condition_id = optional_text_of(row[7]);
  if (!row[8].is_null()) record.handling_limit = limit_of(row[8], row[9]);
  record.unit_code = optional_text_of(row[10]);
  record.assignee = optional_text_of(row[11]);
  record.reporter_to_answer = row[12].as<bool>();
  if (!row[13].is_null()) record.outcome = domain::parse_case_outcome(row[13].as<std::string>());
  record.extension_pending = row[14].as<bool>();
  record.rework_count = row[15].as<int>();
  record.escalation_level = row[16].as<int>();
  record.suspension_requested_until = optional_timestamp_of(row[17]);
  record.suspended_until = optional_timestamp_of(row[18]);
  const int cycle_no = row[19].as<int>();
  record.last_cycle = cycle_no;
  if (!row[20].is_null() && record.handling_limit) {
    record.cycle = domain::HandlingCycle{
        cycle_no,
        domain::TimerState{timestamp_of(row[20]), *record.handling_limit, timestamp_of(row[21]),
                           row[23].as<int>(), optional_timestamp_of(row[22])}};
  }
  if (!row[24].is_null()) {
    record.stage_limits = domain::StageLimits{}.overridden_by(stage_limits_of(row[24]));
  }
  for (const pqxx::row& timer : tx_.exec_params(kOpenTimers, record.id)) {
    record.timers.push_back(domain::OpenTimer{
        timer[0].as<long long>(), *domain::parse_stage_timer(timer[1].as<std::string>()),
        timestamp_of(timer[2]), timestamp_of(timer[3]), limit_of(timer[4], timer[5])});
  }
  return record;
}

std::optional<service::CaseJson> PgCaseRepository::find_json(std::string_view case_no,
                                                             const service::CaseReading& reading) {
  const std::optional<std::string> kind =
      reading.scope ? std::optional<std::string>(domain::to_string(reading.scope->kind))
                    : std::nullopt;
  const std::optional<std::string> code =
      reading.scope ? std::optional<std::string>(reading.scope->code) : std::nullopt;
  const pqxx::result rows = tx_.exec_params(
      kCaseJson, std::string(case_no), static_cast<int>(reading.reporter_access),
      reading.with_events, nullable(kind), nullable(code), reading.actor_id,
      std::string(domain::to_string(reading.actor_role)),
      std::string(domain::to_string(reading.reader.scope.kind)),
      nullable(scope_code_of(reading.reader.scope)), nullable(reading.reader.received_by));
  if (rows.empty()) return std::nullopt;
  return service::CaseJson{service::JsonText{rows[0][1].as<std::string>()}, rows[0][0].as<int>()};
}

namespace {

/// A running timer from the eight columns at `first`: timer, cycle, started at, deadline, limit
/// value and unit, paused at (epoch ms), approved extensions (as kRunningTimersOfPage and
/// open_case_timers.sql select them).
service::TimerRow running_timer_of(const pqxx::row& row, int first) {
  return service::TimerRow{*domain::parse_stage_timer(row[first].as<std::string>()),
                           row[first + 1].as<int>(),
                           timestamp_of(row[first + 2]),
                           timestamp_of(row[first + 3]),
                           limit_of(row[first + 4], row[first + 5]),
                           optional_timestamp_of(row[first + 6]),
                           std::nullopt,
                           std::nullopt,
                           std::nullopt,
                           row[first + 7].as<int>()};
}

}  // namespace

// The running timers of the cases a page of list_cases.sql names ($1: that page's text).
constexpr const char* kRunningTimersOfPage = R"sql(
  SELECT c.case_no, t.timer, t.cycle_no, (extract(epoch FROM t.started_at) * 1000)::bigint,
         (extract(epoch FROM t.deadline) * 1000)::bigint, t.limit_value, t.limit_unit,
         (extract(epoch FROM t.paused_at) * 1000)::bigint,
         CASE WHEN t.timer = 'handling' AND t.cycle_no = c.cycle_no THEN c.cycle_extensions ELSE 0 END
  FROM json_array_elements($1::json -> 'items') i
  JOIN cases c ON c.case_no = i ->> 'case_no'
  JOIN case_timers t ON t.case_id = c.id AND t.ended_at IS NULL)sql";

std::optional<std::vector<service::OpenCaseTimer>> PgCaseRepository::open_case_timers(
    std::string_view code, const domain::Scope& reader) {
  const pqxx::result rows = tx_.exec_prepared("open_case_timers", std::string(code),
                                              std::string(domain::to_string(reader.kind)),
                                              nullable(scope_code_of(reader)));
  if (rows.empty()) return std::nullopt;  // the first row stands for the node
  std::vector<service::OpenCaseTimer> open;
  for (std::size_t i = 1; i < rows.size(); ++i) {
    const pqxx::row& row = rows[i];
    service::OpenCaseTimer item{row[0].as<long long>(),
                                *domain::parse_case_status(row[1].as<std::string>()), std::nullopt};
    if (!row[2].is_null()) {
      item.timer = running_timer_of(row, 2);
    }
    open.push_back(item);
  }
  return open;
}

std::vector<std::pair<std::string, service::TimerRow>> PgCaseRepository::running_timers_of(
    const service::JsonText& page) {
  std::vector<std::pair<std::string, service::TimerRow>> rows;
  for (const pqxx::row& row : tx_.exec_params(kRunningTimersOfPage, page.text)) {
    rows.emplace_back(row[0].as<std::string>(), running_timer_of(row, 1));
  }
  return rows;
}

std::vector<service::TimerRow> PgCaseRepository::timers(std::string_view case_no) {
  std::vector<service::TimerRow> rows;
  for (const pqxx::row& row : tx_.exec_params(kTimersOfCase, std::string(case_no))) {
    rows.push_back(service::TimerRow{*domain::parse_stage_timer(row[0].as<std::string>()),
                                     row[1].as<int>(), timestamp_of(row[2]), timestamp_of(row[3]),
                                     limit_of(row[4], row[5]), optional_timestamp_of(row[6]),
                                     optional_timestamp_of(row[7]), optional_timer_outcome(row[8]),
                                     optional_timestamp_of(row[9]), row[10].as<int>()});
  }
  return rows;
}

service::JsonText PgCaseRepository::list(const service::CaseFilter& filter,
                                         const service::CasePage& page,
                                         const domain::CaseConfinement& reader) {
  const domain::Scope& scope = reader.scope;
  const std::optional<std::string> overdue =
      filter.overdue ? std::optional<std::string>(*filter.overdue ? "true" : "false")
                     : std::nullopt;
  const std::optional<std::string> after =
      page.after_id ? std::optional<std::string>(std::to_string(*page.after_id)) : std::nullopt;
  const std::optional<std::string> scope_code = scope.kind == domain::ScopeKind::kDistrict
                                                    ? std::nullopt
                                                    : std::optional<std::string>(scope.code);
  return single_json(tx_.exec_prepared(
                         "list_cases", nullable(filter.grid), nullable(filter.status),
                         nullable(filter.channel), nullable(filter.category), nullable(filter.unit),
                         nullable(filter.officer), nullable(overdue),
                         nullable(epoch_ms(filter.from)), nullable(epoch_ms(filter.to)),
                         nullable(filter.text), nullable(after), page.limit,
                         std::string(domain::to_string(scope.kind)), nullable(scope_code),
                         std::string(service::to_string(page.order)),
                         nullable(page.after_key
                                      ? std::optional<std::string>(std::to_string(*page.after_key))
                                      : std::nullopt),
                         nullable(reader.received_by)))
      .value_or(service::JsonText{R"({"items":[],"next_cursor":null})"});
}

void PgCaseRepository::save_action(const domain::CaseRecord& before,
                                   const domain::ActionOutcome& outcome, domain::CaseAction action,
                                   const domain::ActionInput& input, const domain::Actor& actor,
                                   Timestamp now, std::optional<long long> merge_into_id) {
  const domain::CaseRecord& after = outcome.updated;
  const std::optional<domain::HandlingCycle>& cycle = after.cycle;
  const bool locate_point = action == domain::CaseAction::kLocate && input.point;
  const std::optional<std::string> merge_into =
      merge_into_id ? std::optional<std::string>(std::to_string(*merge_into_id)) : std::nullopt;
  tx_.exec_params0(
      kUpdateCase, after.id, std::string(to_string(after.status)), after.version,
      nullable(after.cell_code),
      nullable(locate_point ? std::optional<std::string>(decimal(input.point->lon)) : std::nullopt),
      nullable(locate_point ? std::optional<std::string>(decimal(input.point->lat)) : std::nullopt),
      nullable(action == domain::CaseAction::kLocate ? input.address : std::nullopt),
      nullable(after.category_key), nullable(after.condition_id),
      nullable(after.handling_limit ? optional_number(after.handling_limit->value) : std::nullopt),
      nullable(after.handling_limit
                   ? std::optional<std::string>(std::string(to_string(after.handling_limit->unit)))
                   : std::nullopt),
      nullable(after.unit_code), nullable(after.assignee),
      nullable(after.outcome ? std::optional<std::string>(to_string(*after.outcome))
                             : std::nullopt),
      after.extension_pending, after.rework_count, after.escalation_level,
      nullable(epoch_ms(after.suspension_requested_until)),
      nullable(epoch_ms(after.suspended_until)), cycle ? cycle->number : after.last_cycle,
      nullable(cycle ? std::optional<std::string>(epoch_ms(cycle->state.started_at))
                     : std::nullopt),
      nullable(cycle ? std::optional<std::string>(epoch_ms(cycle->state.deadline)) : std::nullopt),
      nullable(cycle ? epoch_ms(cycle->state.paused_at) : std::nullopt),
      cycle ? cycle->state.approved_extensions : 0, epoch_ms(now), nullable(merge_into));

  if (after.stage_limits && after.stage_limits != before.stage_limits) {
    std::vector<std::string> stage_timers;
    std::vector<std::string> limit_values;
    std::vector<std::string> limit_units;
    for (const auto& [timer, limit] : after.stage_limits->limits) {
      stage_timers.emplace_back(to_string(timer));
      limit_values.push_back(std::to_string(limit.value));
      limit_units.emplace_back(to_string(limit.unit));
    }
    tx_.exec_params0(kFixStageLimits, after.id, text_array(stage_timers), text_array(limit_values),
                     text_array(limit_units));
  }

  std::vector<std::string> keys;
  std::vector<std::string> values;
  for (const auto& [key, value] : outcome.event_params) {
    keys.push_back(key);
    values.push_back(value);
  }
  const std::string role{to_string(actor.acting_as)};
  tx_.exec_params0(kInsertEvent, after.id, epoch_ms(now), actor.id, role,
                   std::string(to_string(action)), std::string(to_string(before.status)),
                   std::string(to_string(after.status)), text_array(keys), text_array(values),
                   nullable(input.note), text_array(input.attachments));
  if (action == domain::CaseAction::kReply) {
    tx_.exec_params0(kReplyToDuplicates, after.id, epoch_ms(now), actor.id, role,
                     nullable(input.note));
  }
  for (const domain::TimerEnd& ended : outcome.ended) {
    tx_.exec_params0(kEndTimer, ended.id, epoch_ms(now), std::string(to_string(action)),
                     std::string(to_string(ended.outcome)));
  }
  if (outcome.handling_deadline_moved && cycle) {
    tx_.exec_params0(kMoveHandlingDeadline, after.id, epoch_ms(*outcome.handling_deadline_moved),
                     nullable(epoch_ms(cycle->state.paused_at)));
  }
  for (const domain::TimerStart& started : outcome.started) {
    tx_.exec_params0(kStartTimer, after.id, std::string(to_string(started.timer)), started.cycle,
                     epoch_ms(now), epoch_ms(started.deadline), started.limit.value,
                     std::string(to_string(started.limit.unit)));
  }
}

std::optional<std::string> PgCaseRepository::unit_scope(std::string_view unit_code) {
  const pqxx::result rows = tx_.exec_params(kUnitScope, std::string(unit_code));
  if (rows.empty()) return std::nullopt;
  return rows[0][0].as<std::string>();
}

service::FilingChoice PgCaseRepository::filing_choice(std::string_view category_key,
                                                      std::string_view condition_id) {
  const pqxx::result rows =
      tx_.exec_params(kFilingChoice, std::string(category_key), std::string(condition_id));
  service::FilingChoice choice;
  if (rows.empty()) return choice;
  const pqxx::row row = rows[0];
  choice.category_known = true;
  choice.category_current = row[0].as<bool>();
  if (!row[1].is_null()) {
    choice.condition_limit = limit_of(row[1], row[2]);
    choice.condition_current = row[3].as<bool>();
  }
  choice.stage_overrides = stage_limits_of(row[4]);
  return choice;
}

service::DispatchCandidates PgCaseRepository::dispatch_candidates(std::string_view cell_code,
                                                                  std::string_view category_key,
                                                                  std::string_view condition_id,
                                                                  Timestamp now) {
  service::DispatchCandidates candidates;
  const Timestamp since = now - domain::kSuggestionWindow;
  for (const pqxx::row& row :
       tx_.exec_prepared("dispatch_candidates", std::string(cell_code), std::string(category_key),
                         std::string(condition_id), epoch_ms(now), epoch_ms(since))) {
    candidates.unit_type = row["wanted_type"].as<std::string>();
    candidates.units.push_back(domain::UnitCandidate{
        row["code"].as<std::string>(), row["name"].as<std::string>(), row["type"].as<std::string>(),
        row["scope_code"].as<std::string>(), row["scope_name"].as<std::string>(),
        row["open_handling"].as<std::int64_t>(), row["on_time"].as<std::int64_t>(),
        row["late"].as<std::int64_t>(), row["overdue_running"].as<std::int64_t>()});
  }
  return candidates;
}

std::optional<std::optional<domain::CaseClaim>> PgCaseRepository::lock_claim(
    std::string_view case_no, const domain::CaseConfinement& confinement) {
  const pqxx::result rows =
      tx_.exec_params(R"sql(
    SELECT k.claimed_by, (extract(epoch FROM k.claimed_until) * 1000)::bigint
    FROM cases c LEFT JOIN case_claims k ON k.case_id = c.id
    WHERE c.case_no = $1
      AND gridcase_in_scope(c.grid_path, c.unit_code, c.cell_code, $2::text, $3::text)
      AND ($4::text IS NULL OR c.received_by = $4::text)
    FOR UPDATE OF c)sql",
                      std::string(case_no), std::string(domain::to_string(confinement.scope.kind)),
                      confinement.scope.code, nullable(confinement.received_by));
  if (rows.empty()) return std::nullopt;
  if (rows[0][0].is_null()) return std::optional<domain::CaseClaim>{};
  return std::optional<domain::CaseClaim>{
      domain::CaseClaim{rows[0][0].as<std::string>(), timestamp_of(rows[0][1])}};
}

void PgCaseRepository::save_claim(std::string_view case_no, const domain::CaseClaim& claim) {
  tx_.exec_params(R"sql(
    INSERT INTO case_claims (case_id, claimed_by, claimed_until)
    SELECT id, $2, to_timestamp($3::bigint / 1000.0) FROM cases WHERE case_no = $1
    ON CONFLICT (case_id) DO UPDATE
      SET claimed_by = EXCLUDED.claimed_by, claimed_until = EXCLUDED.claimed_until)sql",
                  std::string(case_no), claim.claimed_by, epoch_ms(claim.claimed_until));
}

void PgCaseRepository::delete_claim(std::string_view case_no) {
  tx_.exec_params(
      "DELETE FROM case_claims WHERE case_id = (SELECT id FROM cases WHERE case_no = $1)",
      std::string(case_no));
}

std::optional<std::pair<long long, domain::CaseStatus>> PgCaseRepository::lock_merge_target(
    std::string_view case_no, std::string_view into, const domain::CaseConfinement& confinement) {
  const pqxx::result rows =
      tx_.exec_params(kLockMergePair, std::string(case_no), std::string(into),
                      std::string(domain::to_string(confinement.scope.kind)),
                      confinement.scope.code, nullable(confinement.received_by));
  for (const pqxx::row& row : rows) {
    if (row[1].as<std::string>() != into) continue;
    return std::make_pair(row[0].as<long long>(),
                          *domain::parse_case_status(row[2].as<std::string>()));
  }
  return std::nullopt;
}

bool PgCaseRepository::point_in_scope(const domain::Point& point, const domain::Scope& scope) {
  return tx_
      .exec_params1(kPointInScope, point.lon, point.lat, std::string(domain::to_string(scope.kind)),
                    scope.code)[0]
      .as<bool>();
}

std::optional<std::string> PgCaseRepository::cell_at(const domain::Point& point) {
  const pqxx::result rows = tx_.exec_params(kCellAt, point.lon, point.lat);
  if (rows.empty()) return std::nullopt;
  return rows[0][0].as<std::string>();
}

std::vector<service::JsonText> PgCaseRepository::events_after(long long after_id, int limit) {
  std::vector<service::JsonText> payloads;
  const pqxx::result rows = tx_.exec_prepared("events_after", after_id, limit);
  payloads.reserve(rows.size());
  for (const pqxx::row& row : rows) payloads.push_back(service::JsonText{row[0].as<std::string>()});
  return payloads;
}

long long PgCaseRepository::newest_event_id() {
  return tx_.exec_prepared1("newest_event").at(0).as<long long>();
}

}  // namespace gridcase::storage
