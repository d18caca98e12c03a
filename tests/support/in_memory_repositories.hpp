#pragma once

#include <map>
#include <optional>
#include <set>
#include <stdexcept>
#include <string>
#include <string_view>
#include <tuple>
#include <utility>
#include <vector>

#include "gridcase/domain/clock.hpp"
#include "gridcase/service/account_repository.hpp"
#include "gridcase/service/address_repository.hpp"
#include "gridcase/service/attachment_repository.hpp"
#include "gridcase/service/audit_repository.hpp"
#include "gridcase/service/case_repository.hpp"
#include "gridcase/service/open311_repository.hpp"
#include "gridcase/service/report_repository.hpp"
#include "gridcase/service/reporter_retention.hpp"
#include "gridcase/service/repositories.hpp"
#include "gridcase/service/staff_repository.hpp"
#include "gridcase/service/webhook_repository.hpp"

// The service ports in memory, for unit tests of the services' own logic (caches, throttles,
// ordering, what is written when). They keep what is written and answer from it where that is
// plain bookkeeping; what PostgreSQL computes (locating a point, numbering a case, the JSON it
// builds) is either set by the test as a canned answer or refused with std::logic_error
// ("... is not supported in memory"), never silently answered.
namespace gridcase::testing {

/// Thrown by a port method the in-memory repositories do not model: the test needs the real
/// database (an integration test) or a canned answer added here.
[[noreturn]] void not_in_memory(std::string_view what);

class InMemoryGridRepository final : public service::GridRepository {
 public:
  std::optional<service::JsonText> locate(const domain::Point& point,
                                          const domain::Scope& reader) override;
  /// From `nodes`, the same text with or without geometry.
  std::optional<service::JsonText> find_node(std::string_view code, bool with_geometry,
                                             bool history) override;
  std::optional<service::JsonText> list_cells(std::string_view code,
                                              const service::PageRequest& page,
                                              bool history) override;
  std::optional<service::JsonText> map(std::string_view code, domain::GridLevel level,
                                       const domain::Scope& reader) override;
  std::optional<service::JsonText> list_officers(std::string_view code,
                                                 const service::PageRequest& page,
                                                 const domain::Scope& reader) override;
  /// Appends the nodes to `imported` and answers `import_problems`.
  std::vector<domain::FieldError> import_nodes(
      const std::vector<domain::GridNodeInput>& nodes) override;
  service::StagedGridChange stage_change(const domain::GridChange& change, bool replacing_import,
                                         domain::Timestamp now) override;
  service::AppliedGridChange apply_change(std::string_view actor, domain::Timestamp now) override;
  void add_officers(const std::vector<domain::Officer>& officers) override;
  std::map<std::string, std::vector<std::string>> officer_cells(
      const std::vector<std::string>& officer_codes) override;

  std::map<std::string, service::JsonText, std::less<>> nodes;
  std::map<std::string, std::vector<std::string>, std::less<>> cells_of_officer;
  std::vector<domain::FieldError> import_problems;
  std::vector<domain::GridNodeInput> imported;
  std::vector<domain::Officer> officers;
};

class InMemoryCatalogRepository final : public service::CatalogRepository {
 public:
  service::JsonText list_units() override;
  /// `categories_json`, whatever is asked.
  service::JsonText list_categories(bool include_retired,
                                    const std::optional<std::string>& key) override;
  /// Inserts or replaces by code; a unit whose scope is not in `known_scopes` is a problem (and,
  /// like the database, nothing is written then).
  std::vector<domain::FieldError> upsert_units(const std::vector<domain::Unit>& units) override;
  void replace_categories(const std::vector<domain::Category>& categories) override;
  /// Current when in `categories`; nothing is retired in memory.
  std::optional<bool> lock_category(std::string_view key) override;
  void replace_time_limits(std::string_view key,
                           const std::map<domain::StageTimer, domain::TimeLimit>& limits) override;

  service::JsonText units_json{"[]"};
  service::JsonText categories_json{"[]"};
  std::map<std::string, domain::Unit> units;
  std::vector<domain::Category> categories;
  std::set<std::string> known_scopes;  // grid node codes units may be scoped to
  std::map<std::string, std::map<domain::StageTimer, domain::TimeLimit>, std::less<>> time_limits;
};

class InMemoryHealthRepository final : public service::HealthRepository {
 public:
  std::vector<std::string> pending_migrations() override { return pending; }
  std::vector<service::Gauge> gauges() override { return gauge_values; }

  std::vector<std::string> pending;
  std::vector<service::Gauge> gauge_values;
};

/// Cases by number. Scopes: the district sees every case, a grid node the cases of its cells, a
/// unit the cases dispatched to it; an officer scope needs cell duties (not modelled).
class InMemoryCaseRepository final : public service::CaseRepository {
 public:
  struct Saved {
    domain::CaseRecord before;
    domain::ActionOutcome outcome;
    domain::CaseAction action;
    domain::ActionInput input;
    domain::Actor actor;
    domain::Timestamp now;
    std::optional<long long> merge_into_id;
  };

  service::IntakeResult insert(const domain::NewCase& intake,
                               const service::IntakeRecord& record) override;
  /// Only the scope is modelled: a confinement to the cases an integration submitted throws.
  std::optional<domain::CaseRecord> find_record(std::string_view case_no,
                                                const domain::CaseConfinement& confinement,
                                                service::RowLock lock) override;
  /// `json` of the case, with the version of its record when there is one; a read confined to a
  /// scope narrower than the district also needs the
  /// case in `records`, inside that scope.
  std::optional<service::CaseJson> find_json(std::string_view case_no,
                                             const service::CaseReading& reading) override;
  std::vector<service::TimerRow> timers(std::string_view case_no) override;
  service::JsonText list(const service::CaseFilter& filter, const service::CasePage& page,
                         const domain::CaseConfinement& reader) override;
  bool point_in_scope(const domain::Point& point, const domain::Scope& scope) override;
  /// Replaces the record with the outcome's and appends to `saved`.
  void save_action(const domain::CaseRecord& before, const domain::ActionOutcome& outcome,
                   domain::CaseAction action, const domain::ActionInput& input,
                   const domain::Actor& actor, domain::Timestamp now,
                   std::optional<long long> merge_into_id) override;
  /// From `units`: unit code → its grid scope code.
  std::optional<std::string> unit_scope(std::string_view unit_code) override;
  /// From `condition_limits`, keyed "<category>/<condition>": a category is known when one of
  /// its conditions is; nothing is retired and no category overrides a stage limit.
  service::FilingChoice filing_choice(std::string_view category_key,
                                      std::string_view condition_id) override;
  service::DispatchCandidates dispatch_candidates(std::string_view, std::string_view,
                                                  std::string_view, domain::Timestamp) override {
    return {};
  }
  /// The target's id and status when it is in `records` inside the confinement's scope (rows
  /// are not locked in memory: the inline runner runs one transaction at a time).
  std::optional<std::pair<long long, domain::CaseStatus>> lock_merge_target(
      std::string_view case_no, std::string_view into,
      const domain::CaseConfinement& confinement) override;
  std::optional<std::string> cell_at(const domain::Point& point) override;
  std::optional<std::vector<service::OpenCaseTimer>> open_case_timers(
      std::string_view code, const domain::Scope& reader) override;
  std::vector<std::pair<std::string, service::TimerRow>> running_timers_of(
      const service::JsonText& page) override;
  std::optional<std::optional<domain::CaseClaim>> lock_claim(
      std::string_view case_no, const domain::CaseConfinement& confinement) override;
  void save_claim(std::string_view case_no, const domain::CaseClaim& claim) override;
  void delete_claim(std::string_view case_no) override;
  std::vector<service::JsonText> events_after(long long after_id, int limit) override;
  long long newest_event_id() override;

  std::map<std::string, domain::CaseRecord, std::less<>> records;
  std::map<std::string, service::JsonText, std::less<>> json;
  std::map<std::string, std::vector<service::TimerRow>, std::less<>> timer_rows;
  std::map<std::string, std::string, std::less<>> units;
  std::map<std::string, domain::TimeLimit, std::less<>> condition_limits;
  std::vector<Saved> saved;
};

/// Keys by caller, route and key. A key is locked only when the test says another transaction
/// holds it (`held`): the inline runner runs one transaction at a time.
class InMemoryIdempotencyRepository final : public service::IdempotencyRepository {
 public:
  struct Entry {
    std::string body;
    service::WriteOutcome outcome;
    domain::Timestamp claimed_at{};
  };
  using Key = std::tuple<std::string, std::string, std::string>;  // caller, route, key

  bool try_lock(std::string_view caller, std::string_view route, std::string_view key) override;
  std::optional<std::pair<service::WriteOutcome, bool>> find(std::string_view caller,
                                                             std::string_view route,
                                                             std::string_view key,
                                                             std::string_view body) override;
  /// Stamps the entry with `now` (the test sets it) as its claim time.
  void save(std::string_view caller, std::string_view route, std::string_view key,
            std::string_view body, const service::WriteOutcome& outcome) override;
  /// Deletes entries claimed before `before`, up to `limit`, skipping `held` keys; records the
  /// calls.
  int purge(domain::Timestamp before, int limit) override;

  domain::Timestamp now{};
  std::vector<std::pair<domain::Timestamp, int>> purge_calls;

  std::map<Key, Entry> entries;
  std::set<Key> held;
};

class InMemoryCalendarRepository final : public service::CalendarRepository {
 public:
  std::optional<domain::WorkCalendarSpec> load() override;
  void store(const domain::WorkCalendarSpec& spec) override;

  std::optional<domain::WorkCalendarSpec> stored;
  int loads = 0;  // how often a service read the calendar: what its cache saved
};

/// Scripted: the test sets what the queries find and reads what the tick wrote.
class InMemorySchedulerRepository final : public service::SchedulerRepository {
 public:
  bool try_lock() override { return lock_free; }
  /// Records the call; answers `overdue_marked`.
  int mark_overdue(domain::Timestamp now, int limit) override;
  std::vector<service::EscalationCandidate> escalation_candidates(
      domain::Timestamp now, const domain::WorkCalendar& calendar, int limit) override;
  /// False when the timer announced `level` already (from `candidates` or an earlier call).
  bool escalate(long long timer_id, int level, domain::Timestamp now) override;
  std::vector<std::string> due_resumptions(domain::Timestamp now, int limit) override;

  bool lock_free = true;
  int overdue_marked = 0;
  std::vector<service::EscalationCandidate> candidates;
  std::vector<std::string> due;
  std::vector<std::pair<domain::Timestamp, int>> overdue_calls;
  std::vector<std::pair<long long, int>> escalations;  // timer id, level
};

/// Users, tokens and failed-login records, as the database keeps them. Ids count from 1; times
/// written are read from the clock the repositories were made with.
class InMemoryAccountRepository final : public service::AccountRepository {
 public:
  explicit InMemoryAccountRepository(const domain::Clock& clock) : clock_(&clock) {}

  std::optional<service::StoredUser> find_user(std::string_view username) override;
  std::vector<service::StoredUser> list_users() override;
  /// The district always; a grid node, unit or officer when `known_scopes` holds its
  /// format_scope text ("grid:150203004").
  bool scope_exists(const domain::Scope& scope) override;
  bool insert_user(const domain::UserSpec& user,
                   const std::optional<std::string>& password_hash) override;
  void update_user(long long user_id, const domain::UserSpec& user,
                   const std::optional<std::string>& password_hash) override;
  long long insert_token(long long user_id, service::TokenKind kind,
                         const std::optional<std::string>& label, std::string_view digest,
                         domain::Timestamp expires_at) override;
  std::optional<service::TokenOwner> find_token(std::string_view digest,
                                                domain::Timestamp now) override;
  /// find_token for each digest; counts the calls in `token_batch_reads`.
  std::vector<service::TokenOwner> find_tokens(const std::vector<std::string>& digests,
                                               domain::Timestamp now) override;
  std::vector<service::TokenRecord> list_tokens(long long user_id) override;
  bool revoke_token(long long user_id, long long token_id, domain::Timestamp now) override;
  void revoke_tokens_of(long long user_id, domain::Timestamp now) override;
  /// Records the keys in `counted_attempts` and answers `login_lock` (the throttle's arithmetic
  /// is PostgreSQL's, tested in tests/integration/login_throttle_test.cpp).
  std::optional<domain::Timestamp> count_login_attempt(
      std::string_view user_key, std::string_view address_key, domain::Timestamp now,
      const domain::LoginThrottle& throttle) override;
  /// Records the keys in `undone_attempts`.
  void undo_login_attempt(std::string_view user_key, std::string_view address_key) override;

  struct Token {
    service::TokenRecord record;
    long long user_id = 0;
    std::string digest;
  };
  std::vector<service::StoredUser> users;
  std::vector<Token> tokens;
  int token_batch_reads = 0;
  std::optional<domain::Timestamp> login_lock;  // the canned answer of count_login_attempt
  std::vector<std::pair<std::string, std::string>> counted_attempts;
  std::vector<std::pair<std::string, std::string>> undone_attempts;
  std::set<std::string> known_scopes;

 private:
  service::StoredUser* user_by_id(long long id);
  const domain::Clock* clock_;
};

/// Reads scripted facts; keeps snapshots by period (every scope) and sums of days by scope.
class InMemoryReportRepository final : public service::ReportRepository {
 public:
  std::vector<domain::ReportCaseFact> case_facts(domain::Timestamp start, domain::Timestamp end,
                                                 std::chrono::year_month_day last_day) override;
  std::vector<domain::ReportTimerFact> timer_facts(domain::Timestamp start,
                                                   domain::Timestamp end) override;
  std::optional<domain::Timestamp> first_case_received() override { return first_case; }
  long long events_version(domain::Timestamp) override { return version; }
  std::vector<domain::ReportCaseFact> overturned_dispatches(domain::Timestamp, domain::Timestamp,
                                                            std::chrono::year_month_day) override {
    return overturned;
  }
  void replace_snapshot(const domain::PeriodBounds& period,
                        const std::map<std::string, std::vector<domain::ReportRow>>& scopes,
                        domain::Timestamp computed_at) override;
  std::vector<domain::ReportRow> snapshot(
      const domain::PeriodBounds& period, std::string_view scope,
      const std::vector<domain::ReportDimension>& dimensions = {}) override;
  std::optional<domain::ReportRow> snapshot_row(const domain::PeriodBounds& period,
                                                std::string_view scope,
                                                domain::ReportDimension dimension,
                                                std::string_view key) override;
  bool has_snapshot(const domain::PeriodBounds& period) override;
  std::vector<std::pair<std::chrono::year_month_day, std::vector<domain::ReportRow>>> snapshot_days(
      std::chrono::year_month_day first_day, std::chrono::year_month_day end_day,
      std::string_view scope, domain::ReportDimension dimension,
      const std::optional<std::string>& key) override;
  std::optional<service::SnapshotVersion> snapshot_version(
      const domain::PeriodBounds& period) override;
  std::optional<std::vector<domain::ReportRow>> days_sum(
      std::chrono::year_month_day first_day, std::chrono::year_month_day end_day,
      std::string_view scope, const std::vector<domain::ReportDimension>& dimensions = {}) override;
  std::optional<std::chrono::year_month_day> latest_days_sum(
      std::chrono::year_month_day first_day, std::string_view scope,
      std::chrono::year_month_day before) override;
  void store_days_sum(std::chrono::year_month_day first_day, std::chrono::year_month_day end_day,
                      std::string_view scope, const std::vector<domain::ReportRow>& rows,
                      domain::Timestamp computed_at) override;
  void purge_days_sums(std::chrono::year_month_day day) override;
  void lock_snapshot(std::string_view) override {}
  std::optional<std::pair<domain::ReportPeriod, std::chrono::year_month_day>> stale_period(
      std::chrono::year_month_day) override {
    return std::nullopt;
  }
  std::vector<domain::ReportLabel> subjects(domain::ReportDimension, const domain::PeriodBounds&,
                                            const std::optional<std::string>&,
                                            const std::optional<std::string>&,
                                            const std::optional<std::string>&) override {
    return {};
  }
  bool try_lock() override { return lock_free; }

  struct Snapshot {
    domain::PeriodBounds period;
    std::map<std::string, std::vector<domain::ReportRow>> scopes;
    domain::Timestamp computed_at;
    long long written = 0;  // snapshot_writes when it was written
  };
  struct DaysSum {
    std::chrono::year_month_day first_day;
    std::chrono::year_month_day end_day;
    std::string scope;
    std::vector<domain::ReportRow> rows;
  };
  std::vector<domain::ReportCaseFact> case_fact_rows;
  std::vector<domain::ReportTimerFact> timer_fact_rows;
  std::optional<domain::Timestamp> first_case;
  long long version = 0;
  std::vector<domain::ReportCaseFact> overturned;  // overturned_dispatches' canned answer
  std::vector<Snapshot> snapshots;
  long long snapshot_writes = 0;
  std::vector<DaysSum> days_sums;
  bool lock_free = true;

 private:
  Snapshot* find_snapshot(const domain::PeriodBounds& period);
};

/// Keeps the records appended. A snapshot is what the database renders: here it names the
/// subject and keys it was asked for ({"subject": 0, "keys": [...]}), so a test sees which
/// snapshot a record carries. Reading pages is not modelled.
class InMemoryAuditRepository final : public service::AuditRepository {
 public:
  service::JsonText snapshot(service::AuditSubject subject,
                             const std::vector<std::string>& keys) override;
  void append(const service::AuditRecord& record) override { records.push_back(record); }
  service::JsonText page(const service::AuditFilter& filter,
                         const service::AuditPage& page) override;

  std::vector<service::AuditRecord> records;
};

/// Scripted: the test sets the cases due; erasures are recorded.
class InMemoryRetentionRepository final : public service::RetentionRepository {
 public:
  bool try_lock() override { return lock_free; }
  /// `due` up to `limit`; records the cut-off asked for.
  std::vector<std::string> reporters_due(domain::Timestamp closed_before, int limit) override;
  void erase_reporter(const std::string& case_no) override { erased.push_back(case_no); }

  bool lock_free = true;
  std::vector<std::string> due;
  std::vector<domain::Timestamp> asked_before;
  std::vector<std::string> erased;
};

/// Officers, duties and units are the database's (integration tests): only the assignee check
/// of a dispatch is answered, from `unit_staff`; everything else is not_in_memory.
class InMemoryStaffRepository final : public service::StaffRepository {
 public:
  std::chrono::year_month_day today() override;
  std::optional<bool> lock_officer(std::string_view code) override;
  void insert_officer(const domain::OfficerInput& input) override;
  void update_officer(std::string_view code, const domain::OfficerPatch& patch) override;
  std::optional<service::JsonText> officer_json(std::string_view code) override;
  service::JsonText officers_page(const service::PageRequest& page) override;
  std::vector<domain::DutyRecord> duties_from(std::string_view officer,
                                              std::chrono::year_month_day day) override;
  std::vector<std::string> lock_cells(const std::vector<std::string>& cells) override;
  std::vector<domain::DutyRecord> duties_over(domain::Duty duty,
                                              const std::vector<std::string>& cells,
                                              std::chrono::year_month_day day) override;
  std::vector<domain::DutyRecord> insert_duties(std::string_view officer, domain::Duty duty,
                                                const std::vector<std::string>& cells,
                                                std::chrono::year_month_day from) override;
  std::optional<domain::DutyRecord> lock_duty(long long id) override;
  void end_duty(long long id, std::chrono::year_month_day on) override;
  std::optional<service::JsonText> cell_duties(std::string_view code) override;
  std::optional<bool> lock_unit(std::string_view code) override;
  std::optional<domain::GridLevel> current_node_level(std::string_view code) override;
  void insert_unit(const domain::Unit& unit) override;
  void update_unit(std::string_view code, const domain::UnitPatch& patch) override;
  std::vector<std::string> open_cases_of_unit(std::string_view code, int limit) override;
  std::optional<service::JsonText> unit_json(std::string_view code) override;
  /// True for a (unit, username) pair in `unit_staff`.
  bool is_unit_staff(std::string_view unit, std::string_view username) override;
  service::JsonText unit_staff(std::string_view unit) override;

  std::set<std::pair<std::string, std::string>> staff_of_units;  // (unit code, username)
};

/// The gazetteer as canned answers: `points` by normalized address, for intake. Imports and
/// searches need PostgreSQL.
class InMemoryAddressRepository final : public service::AddressRepository {
 public:
  std::vector<domain::FieldError> import_entries(const std::vector<domain::AddressInput>&,
                                                 service::AddressImportMode, const std::string&,
                                                 service::AddressImportSummary&) override {
    not_in_memory("an address import");
  }
  service::JsonText search(const service::AddressSearch&, const service::PageRequest&) override {
    not_in_memory("an address search");
  }
  std::optional<domain::Point> resolve(const std::string& normalized) override {
    const auto found = points.find(normalized);
    if (found == points.end()) return std::nullopt;
    return found->second;
  }
  long long count() override { return static_cast<long long>(points.size()); }
  service::JsonText snapshot() override { return service::JsonText{"null"}; }

  std::map<std::string, domain::Point> points;
};

/// Open311's reads are SQL; the unit tests of services that do not use them need only a stub.
class InMemoryOpen311Repository final : public service::Open311Repository {
 public:
  std::vector<service::PublicRequest> find_public(const service::PublicRequestQuery&) override {
    return {};
  }
  void store_token(std::string_view token, std::string_view case_no, domain::Timestamp) override {
    tokens[std::string(token)] = std::string(case_no);
  }
  std::optional<std::string> case_of_token(std::string_view token) override {
    const auto found = tokens.find(std::string(token));
    if (found == tokens.end()) return std::nullopt;
    return found->second;
  }

  std::map<std::string, std::string> tokens;
};

/// Photos are bytea in SQL; the services the unit tests drive name no upload (links only).
class InMemoryAttachmentRepository final : public service::AttachmentRepository {
 public:
  bool has_image(std::string_view) override { unsupported(); }
  void store_image(std::string_view, const service::ProcessedImage&, domain::Timestamp) override {
    unsupported();
  }
  std::optional<service::AttachmentRecord> insert(const service::NewAttachment&) override {
    unsupported();
  }
  std::optional<service::AttachmentRecord> find(std::string_view) override { unsupported(); }
  std::optional<std::string> image_bytes(std::string_view, domain::PhotoSize) override {
    unsupported();
  }
  std::vector<std::string> attach(const std::vector<std::string>&, long long, std::string_view,
                                  std::string_view, domain::Timestamp) override {
    unsupported();
  }
  std::vector<service::AttachmentRecord> of_case(long long) override { unsupported(); }
  long long purge_unattached(domain::Timestamp) override { unsupported(); }
  bool discard_unattached(std::string_view, std::string_view) override { unsupported(); }

 private:
  [[noreturn]] static void unsupported() {
    throw std::logic_error("attachments are not supported in memory");
  }
};

/// Webhooks are SQL (a trigger writes the outbox); their tests run against PostgreSQL
/// (tests/integration/webhook_repository_test.cpp, tests/e2e/webhook_delivery_test.cpp).
class InMemoryWebhookRepository final : public service::WebhookRepository {
 public:
  service::WebhookAccount account(std::string_view) override {
    return service::WebhookAccount::kMissing;
  }
  long long insert(const service::WebhookRegistration&) override { return 0; }
  bool lock(long long) override { return false; }
  void update(long long, const service::WebhookPatch&) override {}
  void remove(long long) override {}
  std::optional<service::JsonText> webhook_json(long long) override { return std::nullopt; }
  service::JsonText list_json(std::optional<long long>, int) override {
    return service::JsonText{R"({"items":[],"next_cursor":null})"};
  }
  service::JsonText deliveries_json(long long, const service::DeliveryQuery&) override {
    return service::JsonText{R"({"items":[],"next_cursor":null})"};
  }
  std::optional<long long> retry(long long, std::optional<long long>) override {
    return std::nullopt;
  }
  bool take_lease(std::string_view, std::chrono::milliseconds) override { return false; }
  void release_lease(std::string_view) override {}
  std::vector<service::DueDelivery> due(int) override { return {}; }
  void record(const std::vector<service::DeliveryAttempt>&) override {}
  long long purge_delivered(std::chrono::hours, int) override { return 0; }
};

/// Every port in memory, bundled as one transaction sees them. Copyable state: the inline
/// transaction runner takes a copy before a transaction and puts it back when the work throws.
class InMemoryRepositories {
 public:
  explicit InMemoryRepositories(const domain::Clock& clock) : accounts(clock) {}
  InMemoryRepositories(const InMemoryRepositories&) = delete;
  InMemoryRepositories& operator=(const InMemoryRepositories&) = delete;

  /// What a transaction may touch.
  service::Repositories& ports() { return ports_; }

  /// Everything written so far, to restore when a transaction rolls back.
  struct State;
  State state() const;
  void restore(const State& state);

  InMemoryGridRepository grid;
  InMemoryCatalogRepository catalog;
  InMemoryHealthRepository health;
  InMemoryCaseRepository cases;
  InMemoryIdempotencyRepository idempotency;
  InMemoryCalendarRepository calendar;
  InMemorySchedulerRepository scheduler;
  InMemoryAccountRepository accounts;
  InMemoryReportRepository reports;
  InMemoryAuditRepository audit;
  InMemoryRetentionRepository retention;
  InMemoryStaffRepository staff;
  InMemoryAddressRepository addresses;
  InMemoryOpen311Repository open311;
  InMemoryAttachmentRepository attachments;
  InMemoryWebhookRepository webhooks;

 private:
  service::Repositories ports_{grid,      catalog,  health,      cases,   idempotency, calendar,
                               scheduler, accounts, reports,     audit,   retention,   staff,
                               addresses, open311,  attachments, webhooks};
};

struct InMemoryRepositories::State {
  InMemoryGridRepository grid;
  InMemoryCatalogRepository catalog;
  InMemoryHealthRepository health;
  InMemoryCaseRepository cases;
  InMemoryIdempotencyRepository idempotency;
  InMemoryCalendarRepository calendar;
  InMemorySchedulerRepository scheduler;
  InMemoryAccountRepository accounts;
  InMemoryReportRepository reports;
  InMemoryAuditRepository audit;
  InMemoryRetentionRepository retention;
  InMemoryStaffRepository staff;
  InMemoryAddressRepository addresses;
  InMemoryOpen311Repository open311;
};

}  // namespace gridcase::testing
