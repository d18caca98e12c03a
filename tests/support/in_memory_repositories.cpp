#include "in_memory_repositories.hpp"

#include <algorithm>
#include <stdexcept>

namespace gridcase::testing {
namespace {

/// Whether a case of `record` lies inside `scope`, by what the record itself says: a grid
/// node's code prefixes the codes of its cells, a unit scope is the dispatched unit.
bool in_scope(const domain::CaseRecord& record, const domain::Scope& scope) {
  switch (scope.kind) {
    case domain::ScopeKind::kDistrict:
      return true;
    case domain::ScopeKind::kGrid:
      return record.cell_code && record.cell_code->starts_with(scope.code);
    case domain::ScopeKind::kUnit:
      return record.unit_code == scope.code;
    case domain::ScopeKind::kOfficer:
      break;
  }
  not_in_memory("an officer's scope (it needs the officer's cell duties)");
}

InMemoryIdempotencyRepository::Key key_of(std::string_view caller, std::string_view route,
                                          std::string_view key) {
  return {std::string(caller), std::string(route), std::string(key)};
}

}  // namespace

void not_in_memory(std::string_view what) {
  throw std::logic_error(std::string(what) +
                         " is not supported in memory: use an integration test or add it to "
                         "tests/support/in_memory_repositories");
}

// Grid --------------------------------------------------------------------------------------

std::optional<service::JsonText> InMemoryGridRepository::locate(const domain::Point&,
                                                                const domain::Scope&) {
  not_in_memory("GridRepository::locate");
}

std::optional<service::JsonText> InMemoryGridRepository::find_node(std::string_view code,
                                                                   bool /*with_geometry*/,
                                                                   bool /*history*/) {
  if (auto found = nodes.find(code); found != nodes.end()) return found->second;
  return std::nullopt;
}

std::optional<service::JsonText> InMemoryGridRepository::list_cells(std::string_view,
                                                                    const service::PageRequest&,
                                                                    bool) {
  not_in_memory("GridRepository::list_cells");
}

service::StagedGridChange InMemoryGridRepository::stage_change(const domain::GridChange&, bool,
                                                               domain::Timestamp) {
  not_in_memory("GridRepository::stage_change");
}

service::AppliedGridChange InMemoryGridRepository::apply_change(std::string_view,
                                                                domain::Timestamp) {
  not_in_memory("GridRepository::apply_change");
}

std::optional<service::JsonText> InMemoryGridRepository::map(std::string_view, domain::GridLevel,
                                                             const domain::Scope&) {
  not_in_memory("GridRepository::map");
}

std::optional<service::JsonText> InMemoryGridRepository::list_officers(std::string_view,
                                                                       const service::PageRequest&,
                                                                       const domain::Scope&) {
  not_in_memory("GridRepository::list_officers");
}

std::vector<domain::FieldError> InMemoryGridRepository::import_nodes(
    const std::vector<domain::GridNodeInput>& inputs) {
  imported.insert(imported.end(), inputs.begin(), inputs.end());
  return import_problems;
}

void InMemoryGridRepository::add_officers(const std::vector<domain::Officer>& added) {
  officers.insert(officers.end(), added.begin(), added.end());
}

std::map<std::string, std::vector<std::string>> InMemoryGridRepository::officer_cells(
    const std::vector<std::string>& officer_codes) {
  std::map<std::string, std::vector<std::string>> cells;
  for (const std::string& code : officer_codes) {
    auto found = cells_of_officer.find(code);
    cells[code] = found != cells_of_officer.end() ? found->second : std::vector<std::string>{};
  }
  return cells;
}

// Catalogue ---------------------------------------------------------------------------------

service::JsonText InMemoryCatalogRepository::list_units() { return units_json; }

service::JsonText InMemoryCatalogRepository::list_categories(bool,
                                                             const std::optional<std::string>&) {
  return categories_json;
}

std::vector<domain::FieldError> InMemoryCatalogRepository::upsert_units(
    const std::vector<domain::Unit>& added) {
  std::vector<domain::FieldError> problems;
  for (std::size_t i = 0; i < added.size(); ++i) {
    const domain::Unit& unit = added[i];
    if (!known_scopes.contains(unit.scope_code)) {
      problems.push_back(
          {"units[" + std::to_string(i) + "].scope", "no grid node " + unit.scope_code});
      continue;
    }
    units.insert_or_assign(unit.code, unit);
  }
  return problems;
}

void InMemoryCatalogRepository::replace_categories(
    const std::vector<domain::Category>& replacement) {
  categories = replacement;
}

std::optional<bool> InMemoryCatalogRepository::lock_category(std::string_view key) {
  for (const domain::Category& category : categories) {
    if (category.key == key) return true;
  }
  return std::nullopt;
}

void InMemoryCatalogRepository::replace_time_limits(
    std::string_view key, const std::map<domain::StageTimer, domain::TimeLimit>& limits) {
  time_limits.insert_or_assign(std::string(key), limits);
}

// Cases -------------------------------------------------------------------------------------

service::IntakeResult InMemoryCaseRepository::insert(const domain::NewCase&,
                                                     const service::IntakeRecord&) {
  not_in_memory("CaseRepository::insert (locating and numbering are SQL)");
}

std::optional<domain::CaseRecord> InMemoryCaseRepository::find_record(
    std::string_view case_no, const domain::CaseConfinement& confinement,
    service::RowLock /*lock: one thread*/) {
  if (confinement.received_by) not_in_memory("a confinement to the cases an account submitted");
  auto found = records.find(case_no);
  if (found == records.end() || !in_scope(found->second, confinement.scope)) return std::nullopt;
  return found->second;
}

std::optional<service::CaseJson> InMemoryCaseRepository::find_json(
    std::string_view case_no, const service::CaseReading& reading) {
  auto text = json.find(case_no);
  if (text == json.end()) return std::nullopt;
  if (reading.scope && reading.scope->kind != domain::ScopeKind::kDistrict) {
    auto record = records.find(case_no);
    if (record == records.end()) {
      not_in_memory("a confined read of a case that has JSON but no record");
    }
    if (!in_scope(record->second, *reading.scope)) return std::nullopt;
  }
  auto record = records.find(case_no);
  return service::CaseJson{text->second, record == records.end() ? 0 : record->second.version};
}

std::vector<service::TimerRow> InMemoryCaseRepository::timers(std::string_view case_no) {
  if (auto found = timer_rows.find(case_no); found != timer_rows.end()) return found->second;
  return {};
}

service::JsonText InMemoryCaseRepository::list(const service::CaseFilter&, const service::CasePage&,
                                               const domain::CaseConfinement&) {
  not_in_memory("CaseRepository::list");
}

bool InMemoryCaseRepository::point_in_scope(const domain::Point&, const domain::Scope&) {
  not_in_memory("CaseRepository::point_in_scope");
}

void InMemoryCaseRepository::save_action(const domain::CaseRecord& before,
                                         const domain::ActionOutcome& outcome,
                                         domain::CaseAction action,
                                         const domain::ActionInput& input,
                                         const domain::Actor& actor, domain::Timestamp now,
                                         std::optional<long long> merge_into_id) {
  records.insert_or_assign(outcome.updated.case_no, outcome.updated);
  saved.push_back(Saved{before, outcome, action, input, actor, now, merge_into_id});
}

std::optional<std::string> InMemoryCaseRepository::unit_scope(std::string_view unit_code) {
  if (auto found = units.find(unit_code); found != units.end()) return found->second;
  return std::nullopt;
}

service::FilingChoice InMemoryCaseRepository::filing_choice(std::string_view category_key,
                                                            std::string_view condition_id) {
  service::FilingChoice choice;
  const std::string prefix = std::string(category_key) + "/";
  for (const auto& [key, limit] : condition_limits) {
    if (key.starts_with(prefix)) choice.category_known = choice.category_current = true;
  }
  if (auto found = condition_limits.find(prefix + std::string(condition_id));
      found != condition_limits.end()) {
    choice.condition_limit = found->second;
    choice.condition_current = true;
  }
  return choice;
}

std::optional<std::pair<long long, domain::CaseStatus>> InMemoryCaseRepository::lock_merge_target(
    std::string_view, std::string_view into, const domain::CaseConfinement& confinement) {
  if (confinement.received_by) not_in_memory("a confinement to the cases an account submitted");
  if (auto found = records.find(into);
      found != records.end() && in_scope(found->second, confinement.scope)) {
    return std::pair{found->second.id, found->second.status};
  }
  return std::nullopt;
}

std::optional<std::string> InMemoryCaseRepository::cell_at(const domain::Point&) {
  not_in_memory("CaseRepository::cell_at");
}

std::optional<std::vector<service::OpenCaseTimer>> InMemoryCaseRepository::open_case_timers(
    std::string_view, const domain::Scope&) {
  not_in_memory("CaseRepository::open_case_timers");
}

std::vector<std::pair<std::string, service::TimerRow>> InMemoryCaseRepository::running_timers_of(
    const service::JsonText&) {
  not_in_memory("CaseRepository::running_timers_of");
}

std::optional<std::optional<domain::CaseClaim>> InMemoryCaseRepository::lock_claim(
    std::string_view, const domain::CaseConfinement&) {
  not_in_memory("CaseRepository::lock_claim");
}

void InMemoryCaseRepository::save_claim(std::string_view, const domain::CaseClaim&) {
  not_in_memory("CaseRepository::save_claim");
}

void InMemoryCaseRepository::delete_claim(std::string_view) {
  not_in_memory("CaseRepository::delete_claim");
}

std::vector<service::JsonText> InMemoryCaseRepository::events_after(long long, int) {
  not_in_memory("CaseRepository::events_after");
}

long long InMemoryCaseRepository::newest_event_id() {
  not_in_memory("CaseRepository::newest_event_id");
}

// Idempotency -------------------------------------------------------------------------------

bool InMemoryIdempotencyRepository::try_lock(std::string_view caller, std::string_view route,
                                             std::string_view key) {
  return !held.contains(key_of(caller, route, key));
}

std::optional<std::pair<service::WriteOutcome, bool>> InMemoryIdempotencyRepository::find(
    std::string_view caller, std::string_view route, std::string_view key, std::string_view body) {
  auto found = entries.find(key_of(caller, route, key));
  if (found == entries.end()) return std::nullopt;
  return std::pair{found->second.outcome, found->second.body == body};
}

void InMemoryIdempotencyRepository::save(std::string_view caller, std::string_view route,
                                         std::string_view key, std::string_view body,
                                         const service::WriteOutcome& outcome) {
  entries.insert_or_assign(key_of(caller, route, key), Entry{std::string(body), outcome, now});
}

int InMemoryIdempotencyRepository::purge(domain::Timestamp before, int limit) {
  purge_calls.emplace_back(before, limit);
  int purged = 0;
  for (auto entry = entries.begin(); entry != entries.end() && purged < limit;) {
    if (entry->second.claimed_at < before && !held.contains(entry->first)) {
      entry = entries.erase(entry);
      ++purged;
    } else {
      ++entry;
    }
  }
  return purged;
}

// Calendar ----------------------------------------------------------------------------------

std::optional<domain::WorkCalendarSpec> InMemoryCalendarRepository::load() {
  ++loads;
  return stored;
}

void InMemoryCalendarRepository::store(const domain::WorkCalendarSpec& spec) { stored = spec; }

// Scheduler ---------------------------------------------------------------------------------

int InMemorySchedulerRepository::mark_overdue(domain::Timestamp now, int limit) {
  overdue_calls.emplace_back(now, limit);
  return overdue_marked;
}

std::vector<service::EscalationCandidate> InMemorySchedulerRepository::escalation_candidates(
    domain::Timestamp, const domain::WorkCalendar&, int limit) {
  const auto count = std::min(candidates.size(), static_cast<std::size_t>(limit));
  return {candidates.begin(), candidates.begin() + static_cast<std::ptrdiff_t>(count)};
}

bool InMemorySchedulerRepository::escalate(long long timer_id, int level, domain::Timestamp) {
  for (const service::EscalationCandidate& candidate : candidates) {
    if (candidate.timer_id == timer_id && candidate.announced >= level) return false;
  }
  for (const auto& [escalated_timer, escalated_level] : escalations) {
    if (escalated_timer == timer_id && escalated_level >= level) return false;
  }
  escalations.emplace_back(timer_id, level);
  return true;
}

std::vector<std::string> InMemorySchedulerRepository::due_resumptions(domain::Timestamp,
                                                                      int limit) {
  const auto count = std::min(due.size(), static_cast<std::size_t>(limit));
  return {due.begin(), due.begin() + static_cast<std::ptrdiff_t>(count)};
}

// Accounts ----------------------------------------------------------------------------------

service::StoredUser* InMemoryAccountRepository::user_by_id(long long id) {
  auto found = std::find_if(users.begin(), users.end(),
                            [id](const service::StoredUser& user) { return user.id == id; });
  return found == users.end() ? nullptr : &*found;
}

std::optional<service::StoredUser> InMemoryAccountRepository::find_user(std::string_view username) {
  for (const service::StoredUser& user : users) {
    if (user.spec.username == username) return user;
  }
  return std::nullopt;
}

std::vector<service::StoredUser> InMemoryAccountRepository::list_users() {
  std::vector<service::StoredUser> sorted = users;
  std::sort(sorted.begin(), sorted.end(),
            [](const auto& a, const auto& b) { return a.spec.username < b.spec.username; });
  return sorted;
}

bool InMemoryAccountRepository::scope_exists(const domain::Scope& scope) {
  return scope.kind == domain::ScopeKind::kDistrict ||
         known_scopes.contains(domain::format_scope(scope));
}

bool InMemoryAccountRepository::insert_user(const domain::UserSpec& user,
                                            const std::optional<std::string>& password_hash) {
  if (find_user(user.username)) return false;
  const domain::Timestamp now = clock_->now();
  users.push_back(
      service::StoredUser{static_cast<long long>(users.size()) + 1, user, password_hash, now, now});
  return true;
}

void InMemoryAccountRepository::update_user(long long user_id, const domain::UserSpec& user,
                                            const std::optional<std::string>& password_hash) {
  service::StoredUser* stored = user_by_id(user_id);
  if (!stored) return;
  stored->spec = user;
  if (password_hash) stored->password_hash = password_hash;
  stored->updated_at = clock_->now();
}

long long InMemoryAccountRepository::insert_token(long long user_id, service::TokenKind kind,
                                                  const std::optional<std::string>& label,
                                                  std::string_view digest,
                                                  domain::Timestamp expires_at) {
  const long long id = static_cast<long long>(tokens.size()) + 1;
  tokens.push_back(Token{service::TokenRecord{id, kind, label, clock_->now(), expires_at, {}},
                         user_id, std::string(digest)});
  return id;
}

std::optional<service::TokenOwner> InMemoryAccountRepository::find_token(std::string_view digest,
                                                                         domain::Timestamp now) {
  for (const Token& token : tokens) {
    if (token.digest != digest || token.record.revoked_at || token.record.expires_at <= now) {
      continue;
    }
    const service::StoredUser* user = user_by_id(token.user_id);
    if (!user || !user->spec.active) return std::nullopt;
    return service::TokenOwner{token.record.id, token.digest, token.record.expires_at, *user,
                               token.record.kind};
  }
  return std::nullopt;
}

std::vector<service::TokenOwner> InMemoryAccountRepository::find_tokens(
    const std::vector<std::string>& digests, domain::Timestamp now) {
  ++token_batch_reads;
  std::vector<service::TokenOwner> owners;
  for (const std::string& digest : digests) {
    if (std::optional<service::TokenOwner> owner = find_token(digest, now)) {
      owners.push_back(std::move(*owner));
    }
  }
  return owners;
}

std::vector<service::TokenRecord> InMemoryAccountRepository::list_tokens(long long user_id) {
  std::vector<service::TokenRecord> found;
  for (auto token = tokens.rbegin(); token != tokens.rend(); ++token) {  // newest first
    if (token->user_id == user_id) found.push_back(token->record);
  }
  return found;
}

bool InMemoryAccountRepository::revoke_token(long long user_id, long long token_id,
                                             domain::Timestamp now) {
  for (Token& token : tokens) {
    if (token.user_id == user_id && token.record.id == token_id && !token.record.revoked_at) {
      token.record.revoked_at = now;
      return true;
    }
  }
  return false;
}

void InMemoryAccountRepository::revoke_tokens_of(long long user_id, domain::Timestamp now) {
  for (Token& token : tokens) {
    if (token.user_id == user_id && !token.record.revoked_at) token.record.revoked_at = now;
  }
}

std::optional<domain::Timestamp> InMemoryAccountRepository::count_login_attempt(
    std::string_view user_key, std::string_view address_key, domain::Timestamp,
    const domain::LoginThrottle&) {
  if (!login_lock) counted_attempts.emplace_back(user_key, address_key);
  return login_lock;
}

void InMemoryAccountRepository::undo_login_attempt(std::string_view user_key,
                                                   std::string_view address_key) {
  undone_attempts.emplace_back(user_key, address_key);
}

// Reports -----------------------------------------------------------------------------------

std::vector<domain::ReportCaseFact> InMemoryReportRepository::case_facts(
    domain::Timestamp, domain::Timestamp, std::chrono::year_month_day) {
  return case_fact_rows;
}

std::vector<domain::ReportTimerFact> InMemoryReportRepository::timer_facts(domain::Timestamp,
                                                                           domain::Timestamp) {
  return timer_fact_rows;
}

InMemoryReportRepository::Snapshot* InMemoryReportRepository::find_snapshot(
    const domain::PeriodBounds& period) {
  auto found = std::find_if(snapshots.begin(), snapshots.end(),
                            [&](const Snapshot& snapshot) { return snapshot.period == period; });
  return found == snapshots.end() ? nullptr : &*found;
}

void InMemoryReportRepository::replace_snapshot(
    const domain::PeriodBounds& period,
    const std::map<std::string, std::vector<domain::ReportRow>>& scopes,
    domain::Timestamp computed_at) {
  if (Snapshot* existing = find_snapshot(period)) {
    *existing = Snapshot{period, scopes, computed_at, ++snapshot_writes};
  } else {
    snapshots.push_back(Snapshot{period, scopes, computed_at, ++snapshot_writes});
  }
}

std::vector<domain::ReportRow> InMemoryReportRepository::snapshot(
    const domain::PeriodBounds& period, std::string_view scope,
    const std::vector<domain::ReportDimension>& dimensions) {
  const Snapshot* found = find_snapshot(period);
  if (!found) return {};
  const auto rows = found->scopes.find(std::string(scope));
  if (rows == found->scopes.end()) return {};
  std::vector<domain::ReportRow> result;
  for (const domain::ReportRow& row : rows->second) {
    if (dimensions.empty() ||
        std::find(dimensions.begin(), dimensions.end(), row.dimension) != dimensions.end()) {
      result.push_back(row);
    }
  }
  return result;
}

std::optional<domain::ReportRow> InMemoryReportRepository::snapshot_row(
    const domain::PeriodBounds& period, std::string_view scope, domain::ReportDimension dimension,
    std::string_view key) {
  for (const domain::ReportRow& row : snapshot(period, scope, {dimension})) {
    if (row.label.key == key) return row;
  }
  return std::nullopt;
}

std::vector<std::pair<std::chrono::year_month_day, std::vector<domain::ReportRow>>>
InMemoryReportRepository::snapshot_days(std::chrono::year_month_day first_day,
                                        std::chrono::year_month_day end_day, std::string_view scope,
                                        domain::ReportDimension dimension,
                                        const std::optional<std::string>& key) {
  std::vector<std::pair<std::chrono::year_month_day, std::vector<domain::ReportRow>>> days;
  for (const Snapshot& stored : snapshots) {
    const domain::PeriodBounds& period = stored.period;
    if (period.period != domain::ReportPeriod::kDay ||
        std::chrono::sys_days{period.first_day} < std::chrono::sys_days{first_day} ||
        std::chrono::sys_days{period.first_day} >= std::chrono::sys_days{end_day}) {
      continue;
    }
    std::vector<domain::ReportRow> rows;
    for (domain::ReportRow& row : snapshot(period, scope, {dimension})) {
      if (!key || row.label.key == *key) rows.push_back(std::move(row));
    }
    days.emplace_back(period.first_day, std::move(rows));
  }
  std::sort(days.begin(), days.end(), [](const auto& a, const auto& b) {
    return std::chrono::sys_days{a.first} < std::chrono::sys_days{b.first};
  });
  return days;
}

bool InMemoryReportRepository::has_snapshot(const domain::PeriodBounds& period) {
  return find_snapshot(period) != nullptr;
}

std::optional<service::SnapshotVersion> InMemoryReportRepository::snapshot_version(
    const domain::PeriodBounds& period) {
  const Snapshot* found = find_snapshot(period);
  if (!found) return std::nullopt;
  return service::SnapshotVersion{found->written, 0};
}

std::optional<std::vector<domain::ReportRow>> InMemoryReportRepository::days_sum(
    std::chrono::year_month_day first_day, std::chrono::year_month_day end_day,
    std::string_view scope, const std::vector<domain::ReportDimension>& dimensions) {
  for (const DaysSum& sum : days_sums) {
    if (sum.first_day == first_day && sum.end_day == end_day && sum.scope == scope) {
      std::vector<domain::ReportRow> rows;
      for (const domain::ReportRow& row : sum.rows) {
        if (dimensions.empty() ||
            std::find(dimensions.begin(), dimensions.end(), row.dimension) != dimensions.end()) {
          rows.push_back(row);
        }
      }
      return rows;
    }
  }
  return std::nullopt;
}

std::optional<std::chrono::year_month_day> InMemoryReportRepository::latest_days_sum(
    std::chrono::year_month_day first_day, std::string_view scope,
    std::chrono::year_month_day before) {
  std::optional<std::chrono::year_month_day> latest;
  for (const DaysSum& sum : days_sums) {
    if (sum.first_day == first_day && sum.scope == scope && sum.end_day < before &&
        (!latest || *latest < sum.end_day)) {
      latest = sum.end_day;
    }
  }
  return latest;
}

void InMemoryReportRepository::store_days_sum(std::chrono::year_month_day first_day,
                                              std::chrono::year_month_day end_day,
                                              std::string_view scope,
                                              const std::vector<domain::ReportRow>& rows,
                                              domain::Timestamp) {
  std::erase_if(days_sums, [&](const DaysSum& sum) {
    return sum.first_day == first_day && sum.scope == scope;
  });
  days_sums.push_back(DaysSum{first_day, end_day, std::string(scope), rows});
}

void InMemoryReportRepository::purge_days_sums(std::chrono::year_month_day day) {
  std::erase_if(days_sums, [&](const DaysSum& sum) { return sum.end_day < day; });
}

// The bundle --------------------------------------------------------------------------------

service::JsonText InMemoryAuditRepository::snapshot(service::AuditSubject subject,
                                                    const std::vector<std::string>& keys) {
  std::string text = "{\"subject\":" + std::to_string(static_cast<int>(subject)) + ",\"keys\":[";
  for (std::size_t i = 0; i < keys.size(); ++i) {
    text += (i > 0 ? ",\"" : "\"") + keys[i] + "\"";
  }
  return service::JsonText{text + "]}"};
}

service::JsonText InMemoryAuditRepository::page(const service::AuditFilter& /*filter*/,
                                                const service::AuditPage& /*page*/) {
  not_in_memory("AuditRepository::page");
}

std::vector<std::string> InMemoryRetentionRepository::reporters_due(domain::Timestamp closed_before,
                                                                    int limit) {
  asked_before.push_back(closed_before);
  std::vector<std::string> found = due;
  if (found.size() > static_cast<std::size_t>(limit)) found.resize(static_cast<std::size_t>(limit));
  return found;
}

InMemoryRepositories::State InMemoryRepositories::state() const {
  return State{grid,     catalog, health, cases,     idempotency, calendar,  scheduler,
               accounts, reports, audit,  retention, staff,       addresses, open311};
}

void InMemoryRepositories::restore(const State& saved) {
  // The calendar's load count counts reads, which a rollback does not undo.
  const int loads = calendar.loads;
  grid = saved.grid;
  catalog = saved.catalog;
  health = saved.health;
  cases = saved.cases;
  idempotency = saved.idempotency;
  calendar = saved.calendar;
  calendar.loads = loads;
  scheduler = saved.scheduler;
  accounts = saved.accounts;
  reports = saved.reports;
  audit = saved.audit;
  retention = saved.retention;
  staff = saved.staff;
  addresses = saved.addresses;
  open311 = saved.open311;
}

std::chrono::year_month_day InMemoryStaffRepository::today() { not_in_memory("today"); }
std::optional<bool> InMemoryStaffRepository::lock_officer(std::string_view) {
  not_in_memory("lock_officer");
}
void InMemoryStaffRepository::insert_officer(const domain::OfficerInput&) {
  not_in_memory("insert_officer");
}
void InMemoryStaffRepository::update_officer(std::string_view, const domain::OfficerPatch&) {
  not_in_memory("update_officer");
}
std::optional<service::JsonText> InMemoryStaffRepository::officer_json(std::string_view) {
  not_in_memory("officer_json");
}
service::JsonText InMemoryStaffRepository::officers_page(const service::PageRequest&) {
  not_in_memory("officers_page");
}
std::vector<domain::DutyRecord> InMemoryStaffRepository::duties_from(std::string_view,
                                                                     std::chrono::year_month_day) {
  not_in_memory("duties_from");
}
std::vector<std::string> InMemoryStaffRepository::lock_cells(const std::vector<std::string>&) {
  not_in_memory("lock_cells");
}
std::vector<domain::DutyRecord> InMemoryStaffRepository::duties_over(
    domain::Duty, const std::vector<std::string>&, std::chrono::year_month_day) {
  not_in_memory("duties_over");
}
std::vector<domain::DutyRecord> InMemoryStaffRepository::insert_duties(
    std::string_view, domain::Duty, const std::vector<std::string>&, std::chrono::year_month_day) {
  not_in_memory("insert_duties");
}
std::optional<domain::DutyRecord> InMemoryStaffRepository::lock_duty(long long) {
  not_in_memory("lock_duty");
}
void InMemoryStaffRepository::end_duty(long long, std::chrono::year_month_day) {
  not_in_memory("end_duty");
}
std::optional<service::JsonText> InMemoryStaffRepository::cell_duties(std::string_view) {
  not_in_memory("cell_duties");
}
std::optional<bool> InMemoryStaffRepository::lock_unit(std::string_view) {
  not_in_memory("lock_unit");
}
std::optional<domain::GridLevel> InMemoryStaffRepository::current_node_level(std::string_view) {
  not_in_memory("current_node_level");
}
void InMemoryStaffRepository::insert_unit(const domain::Unit&) { not_in_memory("insert_unit"); }
void InMemoryStaffRepository::update_unit(std::string_view, const domain::UnitPatch&) {
  not_in_memory("update_unit");
}
std::vector<std::string> InMemoryStaffRepository::open_cases_of_unit(std::string_view, int) {
  not_in_memory("open_cases_of_unit");
}
std::optional<service::JsonText> InMemoryStaffRepository::unit_json(std::string_view) {
  not_in_memory("unit_json");
}
bool InMemoryStaffRepository::is_unit_staff(std::string_view unit, std::string_view username) {
  return staff_of_units.contains({std::string(unit), std::string(username)});
}
service::JsonText InMemoryStaffRepository::unit_staff(std::string_view) {
  not_in_memory("unit_staff");
}

}  // namespace gridcase::testing
