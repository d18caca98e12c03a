#include "pg_report_repository.hpp"

#include <algorithm>
#include <array>
#include <charconv>
#include <optional>
#include <pqxx/pqxx>
#include <pqxx/stream_to>
#include <stdexcept>
#include <string>
#include <string_view>

#include "gridcase/domain/grid.hpp"
#include "pg_values.hpp"

namespace gridcase::storage {
namespace {

using domain::ReportDimension;

// Every scope of a period goes together: they are computed from the same facts.
constexpr const char* kDeleteSnapshot = R"sql(
  DELETE FROM report_snapshots
  WHERE period = $1 AND first_day = $2::date AND end_day = $3::date)sql";

// The stored row (sql/026): the counts as integers, `timers` each stage's on-time, late and
// running-overdue counts in kAllStageTimers order, `backlog` the ages then the lights.
constexpr const char* kSnapshotColumns[] = {"period",
                                            "first_day",
                                            "end_day",
                                            "scope",
                                            "dimension",
                                            "key",
                                            "name",
                                            "received",
                                            "registered",
                                            "dispatched",
                                            "dispatches_kept",
                                            "dispatches_suggested",
                                            "suggestions_followed",
                                            "handled",
                                            "closed",
                                            "closed_on_time",
                                            "closed_reworked",
                                            "closed_extended",
                                            "merged",
                                            "due",
                                            "timers",
                                            "handling_instances",
                                            "handling_work_hours",
                                            "callbacks_reached",
                                            "callbacks_satisfied",
                                            "backlog"};

// $4 scope; $5 only these dimensions (a text array), $6 only this key; NULL for every row.
// $7 the grid node of a scope that keeps no street, community or cell rows (sql/027): those are
// the district's ('') rows of the nodes under it; NULL when the scope keeps its own. Grid codes
// are digits, so the nodes under $7 are one key range in any collation (the LIKE only confirms).
constexpr const char* kSelectSnapshot = R"sql(
  SELECT dimension, key, name, received, registered, dispatched, dispatches_kept,
         dispatches_suggested, suggestions_followed, handled, closed,
         closed_on_time, closed_reworked, closed_extended, merged, due, timers::text,
         handling_instances, handling_work_hours, callbacks_reached, callbacks_satisfied,
         backlog::text
  FROM report_snapshots
  WHERE period = $1 AND first_day = $2::date AND end_day = $3::date
    AND ($5::text[] IS NULL OR dimension = ANY ($5::text[])) AND ($6::text IS NULL OR key = $6::text)
    AND ((scope = $4 AND ($7::text IS NULL OR dimension NOT IN ('street', 'community', 'cell')))
      OR (scope = '' AND $7::text IS NOT NULL AND dimension IN ('street', 'community', 'cell')
          AND key >= $7::text AND key <= $7::text || '999999' AND key LIKE $7::text || '%'))
  ORDER BY array_position(ARRAY['district', 'street', 'community', 'cell', 'unit', 'officer',
                                'channel', 'category'], dimension), key COLLATE "C")sql";

// The computed days of [$1, $2) with their rows of scope $3 and dimension $4 (subject $5 when not
// NULL; only the nodes under grid node $6 when not NULL, as kSelectSnapshot's $7): a day with none
// has one row of NULLs. The columns after the day are kSelectSnapshot's.
constexpr const char* kSelectSnapshotDays = R"sql(
  SELECT r.first_day::text, s.dimension, s.key, s.name, s.received, s.registered, s.dispatched,
         s.dispatches_kept, s.dispatches_suggested, s.suggestions_followed, s.handled, s.closed,
         s.closed_on_time, s.closed_reworked, s.closed_extended, s.merged, s.due, s.timers::text,
         s.handling_instances, s.handling_work_hours, s.callbacks_reached, s.callbacks_satisfied,
         s.backlog::text
  FROM report_runs r
  LEFT JOIN report_snapshots s
    ON s.period = 'day' AND s.first_day = r.first_day AND s.end_day = r.end_day AND s.scope = $3
       AND s.dimension = $4 AND ($5::text IS NULL OR s.key = $5::text)
       AND ($6::text IS NULL
            OR (s.key >= $6::text AND s.key <= $6::text || '999999' AND s.key LIKE $6::text || '%'))
  WHERE r.period = 'day' AND r.scope = '' AND r.first_day >= $1::date AND r.first_day < $2::date
    AND NOT r.stale
  ORDER BY r.first_day, s.key COLLATE "C")sql";

constexpr const char* kHasRun = R"sql(
  SELECT 1 FROM report_runs
  WHERE period = $1 AND first_day = $2::date AND end_day = $3::date AND scope = $4
    AND NOT stale)sql";

// The transaction that last wrote the run (every computation and every stale mark rewrites it),
// and the newest administrative change (the audit's key, from its index).
constexpr const char* kSnapshotVersion = R"sql(
  SELECT xmin::text::bigint,
         (SELECT coalesce(max(id), 0) FROM admin_audit)
  FROM report_runs
  WHERE period = $1 AND first_day = $2::date AND end_day = $3::date AND scope = $4
    AND NOT stale)sql";

constexpr const char* kRecordRun = R"sql(
  INSERT INTO report_runs (period, first_day, end_day, scope, computed_at, row_count)
  VALUES ($1, $2::date, $3::date, $4, to_timestamp($5::bigint / 1000.0), $6::int)
  ON CONFLICT (period, first_day, scope, end_day)
  DO UPDATE SET computed_at = EXCLUDED.computed_at, row_count = EXCLUDED.row_count,
                stale = false)sql";

// The oldest stale period (sql/024: computed before a correction of the report rules).
constexpr const char* kStalePeriod = R"sql(
  SELECT period, (end_day - 1)::text FROM report_runs
  WHERE stale AND period <> 'days' AND end_day <= $1::date
  ORDER BY first_day, end_day, period LIMIT 1)sql";

constexpr const char* kLatestDaysSum = R"sql(
  SELECT max(end_day)::text FROM report_runs
  WHERE period = 'days' AND first_day = $1::date AND scope = $2 AND end_day < $3::date)sql";

constexpr const char* kDeleteDaysSums = R"sql(
  WITH gone AS (
    DELETE FROM report_runs WHERE period = 'days' AND first_day = $1::date AND scope = $2
    RETURNING end_day)
  DELETE FROM report_snapshots s USING gone g
  WHERE s.period = 'days' AND s.first_day = $1::date AND s.scope = $2 AND s.end_day = g.end_day)sql";

constexpr const char* kPurgeDaysSums = R"sql(
  WITH gone AS (
    DELETE FROM report_runs WHERE period = 'days' AND end_day < $1::date
    RETURNING first_day, end_day, scope)
  DELETE FROM report_snapshots s USING gone g
  WHERE s.period = 'days' AND s.first_day = g.first_day AND s.end_day = g.end_day
    AND s.scope = g.scope)sql";

constexpr const char* kFirstCase = R"sql(
  SELECT (extract(epoch FROM min(received_at)) * 1000)::bigint FROM cases)sql";

// Ids are taken before commit, so an event can commit after one with a higher id: the highest id
// alone would miss it. The events since $1 (the day before today: no case transaction lasts a
// day) only grow, and any commit adds one; with the highest id, the sum grows with every commit.
// An index-only range scan of two days' events.
constexpr const char* kEventsVersion = R"sql(
  SELECT coalesce((SELECT max(id) FROM case_events), 0)
       + (SELECT count(*) FROM case_events WHERE at >= to_timestamp($1::bigint / 1000.0)))sql";

// Every subject of a ranking level (ReportRepository::subjects). $1 dimension, $2 first day,
// $3 end day (exclusive), $4 grid code, $5 unit code, $6 officer code (NULL: not confined).
constexpr const char* kSubjects = R"sql(
  SELECT code, name FROM (
  SELECT g.code, g.name FROM grid_nodes g
  WHERE $1 IN ('district', 'street', 'community', 'cell') AND g.level = $1
    AND $5::text IS NULL AND $6::text IS NULL
    AND (g.valid_to IS NULL OR g.valid_to > $2::date)
    AND ($4::text IS NULL OR g.code LIKE $4::text || '%')
  UNION ALL
  SELECT u.code, u.name FROM units u
  WHERE $1 = 'unit' AND u.active AND $6::text IS NULL AND ($5::text IS NULL OR u.code = $5::text)
    AND ($4::text IS NULL OR u.scope_code LIKE $4::text || '%' OR $4::text LIKE u.scope_code || '%')
  UNION ALL
  SELECT o.code, o.name FROM officers o
  WHERE $1 = 'officer' AND $5::text IS NULL AND ($6::text IS NULL OR o.code = $6::text)
    AND EXISTS (SELECT 1 FROM officer_cells oc
                WHERE oc.officer_id = o.id AND oc.duty = 'grid_officer'
                  AND oc.valid_from < $3::date AND (oc.valid_to IS NULL OR oc.valid_to > $2::date)
                  AND ($4::text IS NULL OR oc.cell_code LIKE $4::text || '%'))
  ) subjects
  ORDER BY code COLLATE "C")sql";

// Two computations of one stored thing wait for each other instead of colliding on its keys.
constexpr const char* kLockSnapshot =
    "SELECT pg_advisory_xact_lock(hashtextextended('gridcase report ' || $1, 7301946209))";

// One night's report at a time across every server process (the scheduler's is 7301946208).
constexpr const char* kTryLock = "SELECT pg_try_advisory_xact_lock(7301946209)";

// A stored row's arrays (sql/026): `timers` holds each stage's on-time, late and running-overdue
// counts, stage after stage in kAllStageTimers order; `backlog` the age buckets, then the lights.
constexpr std::size_t kAgeBuckets =
    std::tuple_size_v<decltype(domain::ReportCounts::backlog_by_age)>;
constexpr std::size_t kLights = std::tuple_size_v<decltype(domain::ReportCounts::backlog_by_light)>;
using TimerArray = std::array<std::int64_t, 3 * std::size(domain::kAllStageTimers)>;
using BacklogArray = std::array<std::int64_t, kAgeBuckets + kLights>;

template <class Array>
std::string integer_array(const Array& values) {
  std::string text = "{";
  for (const auto& value : values) {
    if (text.size() > 1) text += ',';
    text += std::to_string(value);
  }
  return text + '}';
}

/// The text of a one-dimensional integer array, "{1,2,3}", into `values`: exactly as many.
/// Read in place, no copies.
template <class Array>
void read_integer_array(const pqxx::field& field, Array& values) {
  const std::string_view text{field.c_str(), field.size()};
  const auto refuse = [&] {
    throw std::runtime_error("report_snapshots: not an array of " + std::to_string(values.size()) +
                             " integers: " + std::string(text));
  };
  if (text.size() < 2 || text.front() != '{' || text.back() != '}') refuse();
  std::size_t index = 0;
  std::size_t pos = 1;
  while (pos < text.size()) {
    const std::size_t next = text.find_first_of(",}", pos);
    if (next == std::string_view::npos || next == pos || index == values.size()) refuse();
    std::int64_t value = 0;
    const auto [end, error] = std::from_chars(text.data() + pos, text.data() + next, value);
    if (error != std::errc{} || end != text.data() + next) refuse();
    values[index++] = value;
    pos = next + 1;
  }
  if (index != values.size()) refuse();
}

TimerArray timer_array_of(const domain::ReportCounts& counts) {
  TimerArray values{};
  for (std::size_t i = 0; i < counts.timers.size(); ++i) {
    values[3 * i] = counts.timers[i].on_time;
    values[3 * i + 1] = counts.timers[i].late;
    values[3 * i + 2] = counts.timers[i].overdue_running;
  }
  return values;
}

BacklogArray backlog_array_of(const domain::ReportCounts& counts) {
  BacklogArray values{};
  std::copy(counts.backlog_by_age.begin(), counts.backlog_by_age.end(), values.begin());
  std::copy(counts.backlog_by_light.begin(), counts.backlog_by_light.end(),
            values.begin() + kAgeBuckets);
  return values;
}

/// A snapshot row from kSelectSnapshot's columns, starting at column `first` of `row`.
domain::ReportRow snapshot_row_of(const pqxx::row& row, pqxx::row::size_type first) {
  domain::ReportRow out;
  out.dimension =
      domain::parse_report_dimension(std::string_view{row[first].c_str(), row[first].size()})
          .value_or(ReportDimension::kDistrict);
  out.label =
      domain::ReportLabel{row[first + 1].as<std::string>(), row[first + 2].as<std::string>()};
  domain::ReportCounts& c = out.counts;
  c.received = row[first + 3].as<std::int64_t>();
  c.registered = row[first + 4].as<std::int64_t>();
  c.dispatched = row[first + 5].as<std::int64_t>();
  c.dispatches_kept = row[first + 6].as<std::int64_t>();
  c.dispatches_suggested = row[first + 7].as<std::int64_t>();
  c.suggestions_followed = row[first + 8].as<std::int64_t>();
  c.handled = row[first + 9].as<std::int64_t>();
  c.closed = row[first + 10].as<std::int64_t>();
  c.closed_on_time = row[first + 11].as<std::int64_t>();
  c.closed_reworked = row[first + 12].as<std::int64_t>();
  c.closed_extended = row[first + 13].as<std::int64_t>();
  c.merged = row[first + 14].as<std::int64_t>();
  c.due = row[first + 15].as<std::int64_t>();
  TimerArray timers{};
  read_integer_array(row[first + 16], timers);
  for (std::size_t i = 0; i < c.timers.size(); ++i) {
    c.timers[i] = {timers[3 * i], timers[3 * i + 1], timers[3 * i + 2]};
  }
  c.handling_instances = row[first + 17].as<std::int64_t>();
  c.handling_work_hours = row[first + 18].as<double>();
  c.callbacks_reached = row[first + 19].as<std::int64_t>();
  c.callbacks_satisfied = row[first + 20].as<std::int64_t>();
  BacklogArray backlog{};
  read_integer_array(row[first + 21], backlog);
  std::copy_n(backlog.begin(), kAgeBuckets, c.backlog_by_age.begin());
  std::copy_n(backlog.begin() + kAgeBuckets, kLights, c.backlog_by_light.begin());
  return out;
}

std::optional<domain::ReportLabel> label_of(const pqxx::row& row, const char* key,
                                            const char* name) {
  if (row[key].is_null()) return std::nullopt;
  auto code = row[key].as<std::string>();
  std::string shown = row[name].is_null() ? code : row[name].as<std::string>();
  return domain::ReportLabel{std::move(code), std::move(shown)};
}

std::vector<std::pair<domain::Timestamp, domain::Timestamp>> pauses_of(const pqxx::field& field) {
  std::vector<std::pair<domain::Timestamp, domain::Timestamp>> pauses;
  if (field.is_null()) return pauses;
  std::vector<domain::Timestamp> instants;
  const auto text = field.as<std::string>();
  std::size_t pos = 0;
  while (pos < text.size()) {
    std::size_t next = text.find(',', pos);
    if (next == std::string::npos) next = text.size();
    instants.push_back(
        domain::Timestamp{std::chrono::milliseconds{std::stoll(text.substr(pos, next - pos))}});
    pos = next + 1;
  }
  for (std::size_t i = 0; i + 1 < instants.size(); i += 2)
    pauses.emplace_back(instants[i], instants[i + 1]);
  return pauses;
}

/// "{street,channel}" for `dimension = ANY($n::text[])`; nullopt (every dimension) when empty.
std::optional<std::string> dimension_array(const std::vector<domain::ReportDimension>& dimensions) {
  if (dimensions.empty()) return std::nullopt;
  std::string text = "{";
  for (const domain::ReportDimension dimension : dimensions) {
    if (text.size() > 1) text += ',';
    text += to_string(dimension);
  }
  return text + '}';
}

std::string period_name(const domain::PeriodBounds& period) {
  return std::string(to_string(period.period));
}

bool is_grid_below_district(ReportDimension dimension) {
  return dimension == ReportDimension::kStreet || dimension == ReportDimension::kCommunity ||
         dimension == ReportDimension::kCell;
}

/// The grid node whose stored scope keeps no street, community or cell rows, for they are the
/// district's rows of the nodes under it (sql/027): a street's, community's or cell's scope of a
/// period stored with every scope at once. nullopt for every other scope, and for the sums of a
/// running period's days ("days"), which are stored one scope at a time.
std::optional<std::string> node_reading_the_district(std::string_view period,
                                                     std::string_view scope) {
  if (period == "days" || !scope.starts_with(service::kGridScopePrefix)) return std::nullopt;
  std::string code{scope.substr(service::kGridScopePrefix.size())};
  const std::optional<domain::GridLevel> level = domain::level_of_code(code);
  if (!level || *level == domain::GridLevel::kDistrict) return std::nullopt;
  return code;
}

}  // namespace

void PgReportRepository::prepare_heavy_read() {
  if (heavy_read_prepared_) return;
  // SET LOCAL: the transaction's own; the pooled connection keeps its serving timeout.
  tx_.exec0("SET LOCAL statement_timeout = " + std::to_string(statement_timeout_.count()) +
            "; SET LOCAL jit = off");
  heavy_read_prepared_ = true;
}

std::vector<domain::ReportCaseFact> PgReportRepository::case_facts(
    domain::Timestamp start, domain::Timestamp end, std::chrono::year_month_day last_day) {
  prepare_heavy_read();
  std::vector<domain::ReportCaseFact> facts;
  const pqxx::result rows = tx_.exec_prepared("report_case_facts", epoch_ms(start), epoch_ms(end),
                                              domain::format_iso_date(last_day));
  facts.reserve(rows.size());
  for (const pqxx::row& row : rows) {
    domain::ReportCaseFact fact;
    fact.case_id = row["id"].as<long long>();
    fact.received_at = timestamp_of(row["received_at_ms"]);
    const auto set = [&](ReportDimension dimension, std::optional<domain::ReportLabel> label) {
      fact.labels[static_cast<std::size_t>(dimension)] = std::move(label);
    };
    set(ReportDimension::kDistrict, label_of(row, "district", "district_name"));
    set(ReportDimension::kStreet, label_of(row, "street", "street_name"));
    set(ReportDimension::kCommunity, label_of(row, "community", "community_name"));
    set(ReportDimension::kCell, label_of(row, "cell", "cell_name"));
    set(ReportDimension::kUnit, label_of(row, "unit", "unit_name"));
    set(ReportDimension::kOfficer, label_of(row, "officer", "officer_name"));
    set(ReportDimension::kChannel, label_of(row, "channel", "channel"));
    set(ReportDimension::kCategory, label_of(row, "category", "category_name"));
    fact.received = row["received"].as<bool>();
    fact.registered = row["registered"].as<bool>();
    fact.handled = row["handled"].as<bool>();
    fact.closed = row["closed"].as<bool>();
    fact.merged = row["merged"].as<bool>();
    fact.merged_by_end = row["merged_by_end"].as<bool>();
    fact.closed_on_time = row["closed_on_time"].as<bool>();
    fact.closed_reworked = row["closed_reworked"].as<bool>();
    fact.closed_extended = row["closed_extended"].as<bool>();
    fact.open_at_end = row["open_at_end"].as<bool>();
    fact.open_past_deadline = row["open_past_deadline"].as<bool>();
    fact.callbacks_reached = row["callbacks_reached"].as<int>();
    fact.callbacks_satisfied = row["callbacks_satisfied"].as<int>();
    if (row["handling_running"].as<bool>()) {
      const std::optional<domain::LimitUnit> unit =
          domain::parse_limit_unit(row["limit_unit"].as<std::string>());
      domain::TimerState state;
      state.started_at = timestamp_of(row["cycle_started_ms"]);
      state.limit = domain::TimeLimit{row["limit_value"].as<int>(),
                                      unit.value_or(domain::LimitUnit::kWorkHour)};
      state.deadline = timestamp_of(row["deadline_ms"]);
      state.approved_extensions = row["cycle_extensions"].as<int>();
      state.paused_at = optional_timestamp_of(row["paused_ms"]);
      fact.running_handling = state;
    }
    facts.push_back(std::move(fact));
  }
  return facts;
}

std::vector<domain::ReportTimerFact> PgReportRepository::timer_facts(domain::Timestamp start,
                                                                     domain::Timestamp end) {
  prepare_heavy_read();
  std::vector<domain::ReportTimerFact> facts;
  const pqxx::result rows = tx_.exec_prepared("report_timer_facts", epoch_ms(start), epoch_ms(end));
  facts.reserve(rows.size());
  for (const pqxx::row& row : rows) {
    domain::ReportTimerFact fact;
    fact.case_id = row["case_id"].as<long long>();
    fact.timer = domain::parse_stage_timer(row["timer"].as<std::string>())
                     .value_or(domain::StageTimer::kHandling);
    if (!row["outcome"].is_null()) {
      // The query keeps on_time and late only.
      fact.outcome_in_period = domain::parse_timer_outcome(row["outcome"].as<std::string>());
    }
    fact.overdue_running = row["overdue_running"].as<bool>();
    fact.completed_in_period = row["completed"].as<bool>();
    fact.started_at = timestamp_of(row["started_ms"]);
    if (fact.completed_in_period) {
      fact.ended_at = timestamp_of(row["ended_ms"]);
      fact.pauses = pauses_of(row["pauses"]);
    }
    fact.merged_by_end = row["merged_by_end"].as<bool>();
    fact.dispatched = row["dispatched"].as<bool>();
    fact.dispatch_kept = row["dispatch_kept"].as<bool>();
    if (!row["suggestion"].is_null()) {
      fact.suggestion_followed = row["suggestion"].as<std::string>() == "followed";
    }
    if (row["held"].as<bool>()) {
      auto labels = std::make_shared<domain::ReportLabels>();
      const auto set = [&](ReportDimension dimension, const char* key, const char* name) {
        (*labels)[static_cast<std::size_t>(dimension)] = label_of(row, key, name);
      };
      set(ReportDimension::kDistrict, "district", "district_name");
      set(ReportDimension::kStreet, "street", "street_name");
      set(ReportDimension::kCommunity, "community", "community_name");
      set(ReportDimension::kCell, "cell", "cell_name");
      set(ReportDimension::kUnit, "unit", "unit_name");
      set(ReportDimension::kOfficer, "officer", "officer_name");
      set(ReportDimension::kChannel, "channel", "channel");
      set(ReportDimension::kCategory, "category", "category_name");
      fact.held_by = std::move(labels);
    }
    facts.push_back(std::move(fact));
  }
  return facts;
}

namespace {

/// One stored row as COPY text fields, in the order of kSnapshotColumns (an array: pqxx streams
/// a tuple-like row).
std::array<std::string, std::size(kSnapshotColumns)> snapshot_fields(const std::string& period,
                                                                     const std::string& first,
                                                                     const std::string& end,
                                                                     std::string_view scope,
                                                                     const domain::ReportRow& row) {
  const domain::ReportCounts& c = row.counts;
  const auto n = [](std::int64_t value) { return std::to_string(value); };
  return {period,
          first,
          end,
          std::string(scope),
          std::string(to_string(row.dimension)),
          row.label.key,
          row.label.name,
          n(c.received),
          n(c.registered),
          n(c.dispatched),
          n(c.dispatches_kept),
          n(c.dispatches_suggested),
          n(c.suggestions_followed),
          n(c.handled),
          n(c.closed),
          n(c.closed_on_time),
          n(c.closed_reworked),
          n(c.closed_extended),
          n(c.merged),
          n(c.due),
          integer_array(timer_array_of(c)),
          n(c.handling_instances),
          decimal(c.handling_work_hours),
          n(c.callbacks_reached),
          n(c.callbacks_satisfied),
          integer_array(backlog_array_of(c))};
}

}  // namespace

std::size_t PgReportRepository::write_rows(
    const std::string& period, const std::string& first, const std::string& end,
    const std::map<std::string, std::vector<domain::ReportRow>>& scopes) {
  // COPY: a night stores tens of thousands of rows over every scope.
  pqxx::stream_to stream{
      tx_, "report_snapshots",
      std::vector<std::string>(std::begin(kSnapshotColumns), std::end(kSnapshotColumns))};
  std::size_t written = 0;
  for (const auto& [scope, rows] : scopes) {
    const bool from_district = node_reading_the_district(period, scope).has_value();
    for (const domain::ReportRow& row : rows) {
      if (from_district && is_grid_below_district(row.dimension)) continue;
      stream << snapshot_fields(period, first, end, scope, row);
      ++written;
    }
  }
  stream.complete();
  return written;
}

void PgReportRepository::replace_snapshot(
    const domain::PeriodBounds& period,
    const std::map<std::string, std::vector<domain::ReportRow>>& scopes,
    domain::Timestamp computed_at) {
  const std::string name = period_name(period);
  const std::string first = domain::format_iso_date(period.first_day);
  const std::string end = domain::format_iso_date(period.end_day);
  tx_.exec_params0(kDeleteSnapshot, name, first, end);
  const std::size_t stored = write_rows(name, first, end, scopes);
  tx_.exec_params0(kRecordRun, name, first, end, std::string{}, epoch_ms(computed_at),
                   static_cast<int>(stored));
}

std::vector<domain::ReportRow> PgReportRepository::snapshot(
    const domain::PeriodBounds& period, std::string_view scope,
    const std::vector<domain::ReportDimension>& dimensions) {
  return snapshot_rows(period_name(period), domain::format_iso_date(period.first_day),
                       domain::format_iso_date(period.end_day), scope, dimension_array(dimensions),
                       std::nullopt);
}

std::optional<domain::ReportRow> PgReportRepository::snapshot_row(
    const domain::PeriodBounds& period, std::string_view scope, domain::ReportDimension dimension,
    std::string_view key) {
  std::vector<domain::ReportRow> rows =
      snapshot_rows(period_name(period), domain::format_iso_date(period.first_day),
                    domain::format_iso_date(period.end_day), scope, dimension_array({dimension}),
                    std::string(key));
  if (rows.empty()) return std::nullopt;
  return std::move(rows.front());
}

std::vector<domain::ReportRow> PgReportRepository::snapshot_rows(
    const std::string& period, const std::string& first, const std::string& end,
    std::string_view scope, const std::optional<std::string>& dimensions,
    const std::optional<std::string>& key) {
  std::vector<domain::ReportRow> rows;
  const pqxx::result result =
      tx_.exec_params(kSelectSnapshot, period, first, end, std::string(scope), dimensions, key,
                      nullable(node_reading_the_district(period, scope)));
  rows.reserve(result.size());
  // By position, in kSelectSnapshot's order: a report by cell is thousands of rows, and a lookup
  // by name searches the columns for every field of every row.
  for (const pqxx::row& row : result) {
    rows.push_back(snapshot_row_of(row, 0));
  }
  return rows;
}

std::optional<std::pair<domain::ReportPeriod, std::chrono::year_month_day>>
PgReportRepository::stale_period(std::chrono::year_month_day ended_by) {
  const pqxx::result rows = tx_.exec_params(kStalePeriod, domain::format_iso_date(ended_by));
  if (rows.empty()) return std::nullopt;
  const std::optional<domain::ReportPeriod> period =
      domain::parse_report_period(rows[0][0].as<std::string>());
  const std::optional<std::chrono::year_month_day> last =
      domain::parse_iso_date(rows[0][1].as<std::string>());
  if (!period || !last) return std::nullopt;
  return std::pair{*period, *last};
}

std::vector<domain::ReportLabel> PgReportRepository::subjects(
    domain::ReportDimension dimension, const domain::PeriodBounds& period,
    const std::optional<std::string>& grid, const std::optional<std::string>& unit,
    const std::optional<std::string>& officer) {
  std::vector<domain::ReportLabel> labels;
  for (const pqxx::row& row : tx_.exec_params(kSubjects, std::string(to_string(dimension)),
                                              domain::format_iso_date(period.first_day),
                                              domain::format_iso_date(period.end_day),
                                              nullable(grid), nullable(unit), nullable(officer))) {
    labels.push_back({row[0].as<std::string>(), row[1].as<std::string>()});
  }
  return labels;
}

bool PgReportRepository::try_lock() { return tx_.exec1(kTryLock)[0].as<bool>(); }

std::vector<std::pair<std::chrono::year_month_day, std::vector<domain::ReportRow>>>
PgReportRepository::snapshot_days(std::chrono::year_month_day first_day,
                                  std::chrono::year_month_day end_day, std::string_view scope,
                                  domain::ReportDimension dimension,
                                  const std::optional<std::string>& key) {
  std::vector<std::pair<std::chrono::year_month_day, std::vector<domain::ReportRow>>> days;
  // A street's, community's or cell's grid rows are the district's (sql/027).
  std::optional<std::string> node = node_reading_the_district("day", scope);
  if (!is_grid_below_district(dimension)) node.reset();
  const std::string stored_scope = node ? std::string{} : std::string(scope);
  for (const pqxx::row& row :
       tx_.exec_params(kSelectSnapshotDays, domain::format_iso_date(first_day),
                       domain::format_iso_date(end_day), stored_scope,
                       std::string(to_string(dimension)), nullable(key), nullable(node))) {
    const std::optional<std::chrono::year_month_day> day =
        domain::parse_iso_date(row[0].as<std::string>());
    if (!day) throw std::runtime_error("report_runs: not a date: " + row[0].as<std::string>());
    if (days.empty() || days.back().first != *day)
      days.emplace_back(*day, std::vector<domain::ReportRow>{});
    if (!row[1].is_null()) days.back().second.push_back(snapshot_row_of(row, 1));
  }
  return days;
}

bool PgReportRepository::has_snapshot(const domain::PeriodBounds& period) {
  return !tx_.exec_params(kHasRun, period_name(period), domain::format_iso_date(period.first_day),
                          domain::format_iso_date(period.end_day), std::string{})
              .empty();
}

std::optional<service::SnapshotVersion> PgReportRepository::snapshot_version(
    const domain::PeriodBounds& period) {
  const pqxx::result rows = tx_.exec_params(kSnapshotVersion, period_name(period),
                                            domain::format_iso_date(period.first_day),
                                            domain::format_iso_date(period.end_day), std::string{});
  if (rows.empty()) return std::nullopt;
  return service::SnapshotVersion{rows[0][0].as<long long>(), rows[0][1].as<long long>()};
}

std::optional<domain::Timestamp> PgReportRepository::first_case_received() {
  return optional_timestamp_of(tx_.exec1(kFirstCase)[0]);
}

long long PgReportRepository::events_version(domain::Timestamp since) {
  return tx_.exec_params1(kEventsVersion, epoch_ms(since))[0].as<long long>();
}

std::vector<domain::ReportCaseFact> PgReportRepository::overturned_dispatches(
    domain::Timestamp start, domain::Timestamp today_start, std::chrono::year_month_day first_day) {
  prepare_heavy_read();
  std::vector<domain::ReportCaseFact> facts;
  const pqxx::result rows =
      tx_.exec_prepared("report_overturned_dispatches", epoch_ms(start), epoch_ms(today_start),
                        domain::format_iso_date(first_day));
  facts.reserve(rows.size());
  for (const pqxx::row& row : rows) {
    domain::ReportCaseFact fact;
    fact.case_id = row["id"].as<long long>();
    fact.dispatches_kept = row["overturned"].as<int>();
    const auto set = [&](ReportDimension dimension, const char* column) {
      fact.labels[static_cast<std::size_t>(dimension)] = label_of(row, column, column);
    };
    set(ReportDimension::kDistrict, "district");
    set(ReportDimension::kStreet, "street");
    set(ReportDimension::kCommunity, "community");
    set(ReportDimension::kCell, "cell");
    set(ReportDimension::kUnit, "unit");
    set(ReportDimension::kOfficer, "officer");
    set(ReportDimension::kChannel, "channel");
    set(ReportDimension::kCategory, "category");
    facts.push_back(std::move(fact));
  }
  return facts;
}

std::optional<std::vector<domain::ReportRow>> PgReportRepository::days_sum(
    std::chrono::year_month_day first_day, std::chrono::year_month_day end_day,
    std::string_view scope, const std::vector<domain::ReportDimension>& dimensions) {
  const std::string first = domain::format_iso_date(first_day);
  const std::string end = domain::format_iso_date(end_day);
  if (tx_.exec_params(kHasRun, "days", first, end, std::string(scope)).empty()) {
    return std::nullopt;
  }
  return snapshot_rows("days", first, end, scope, dimension_array(dimensions), std::nullopt);
}

std::optional<std::chrono::year_month_day> PgReportRepository::latest_days_sum(
    std::chrono::year_month_day first_day, std::string_view scope,
    std::chrono::year_month_day before) {
  const pqxx::row row = tx_.exec_params1(kLatestDaysSum, domain::format_iso_date(first_day),
                                         std::string(scope), domain::format_iso_date(before));
  if (row[0].is_null()) return std::nullopt;
  return domain::parse_iso_date(row[0].as<std::string>());
}

void PgReportRepository::store_days_sum(std::chrono::year_month_day first_day,
                                        std::chrono::year_month_day end_day, std::string_view scope,
                                        const std::vector<domain::ReportRow>& rows,
                                        domain::Timestamp computed_at) {
  const std::string first = domain::format_iso_date(first_day);
  const std::string end = domain::format_iso_date(end_day);
  const std::string scope_key{scope};
  tx_.exec_params0(kDeleteDaysSums, first, scope_key);
  const std::size_t stored = write_rows("days", first, end, {{scope_key, rows}});
  tx_.exec_params0(kRecordRun, "days", first, end, scope_key, epoch_ms(computed_at),
                   static_cast<int>(stored));
}

void PgReportRepository::purge_days_sums(std::chrono::year_month_day day) {
  tx_.exec_params0(kPurgeDaysSums, domain::format_iso_date(day));
}

void PgReportRepository::lock_snapshot(std::string_view what) {
  tx_.exec_params1(kLockSnapshot, std::string(what));
}

}  // namespace gridcase::storage
