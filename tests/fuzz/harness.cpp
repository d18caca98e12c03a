#include "harness.hpp"

#include <spdlog/spdlog.h>

#include <boost/asio/append.hpp>
#include <boost/asio/async_result.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/this_coro.hpp>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <nlohmann/json.hpp>

#include "fixed_clock.hpp"
#include "gridcase/http/server.hpp"
#include "gridcase/imaging/vips_image_processor.hpp"
#include "gridcase/service/account_repository.hpp"
#include "gridcase/service/address_repository.hpp"
#include "gridcase/service/address_service.hpp"
#include "gridcase/service/attachment_repository.hpp"
#include "gridcase/service/attachment_service.hpp"
#include "gridcase/service/audit_repository.hpp"
#include "gridcase/service/audit_service.hpp"
#include "gridcase/service/auth_service.hpp"
#include "gridcase/service/credentials.hpp"
#include "gridcase/service/open311_repository.hpp"
#include "gridcase/service/report_repository.hpp"
#include "gridcase/service/reporter_retention.hpp"
#include "gridcase/service/staff_repository.hpp"
#include "gridcase/service/transaction_runner.hpp"
#include "gridcase/service/webhook_service.hpp"
#include "http/api.hpp"
#include "http/error_response.hpp"
#include "http/event_hub.hpp"
#include "http/metrics.hpp"
#include "http/request_exchange.hpp"

namespace gridcase::fuzz {
namespace {

namespace asio = boost::asio;
using namespace gridcase::service;
using domain::Timestamp;

// Monday 23 November 2026, 10:00 in Beijing: a working day, so timers start at once.
const Timestamp kNow =
    Timestamp{std::chrono::sys_days{std::chrono::year{2026} / 11 / 23} + std::chrono::hours{2}};

const std::string kToken = "gct_" + std::string(64, 'a');

/// Every repository of one transaction. The fuzz admin's token is the one row it has; anything
/// else is the database, out of reach: it records the call and throws kUnavailable (503).
class Boundary final : public GridRepository,
                       public CatalogRepository,
                       public HealthRepository,
                       public CaseRepository,
                       public IdempotencyRepository,
                       public CalendarRepository,
                       public SchedulerRepository,
                       public AccountRepository,
                       public ReportRepository,
                       public AuditRepository,
                       public RetentionRepository,
                       public StaffRepository,
                       public AddressRepository,
                       public Open311Repository,
                       public AttachmentRepository,
                       public WebhookRepository {
 public:
  Repositories repositories() {
    return {*this, *this, *this, *this, *this, *this, *this, *this,
            *this, *this, *this, *this, *this, *this, *this, *this};
  }

  // AttachmentRepository: every photo is behind the database.
  bool has_image(std::string_view) override { cross("has_image"); }
  void store_image(std::string_view, const ProcessedImage&, Timestamp) override {
    cross("store_image");
  }
  std::optional<AttachmentRecord> insert(const NewAttachment&) override {
    cross("insert_attachment");
  }
  std::optional<AttachmentRecord> find(std::string_view) override { cross("find_attachment"); }
  std::optional<std::string> image_bytes(std::string_view, domain::PhotoSize) override {
    cross("image_bytes");
  }
  std::vector<std::string> attach(const std::vector<std::string>&, long long, std::string_view,
                                  std::string_view, Timestamp) override {
    cross("attach");
  }
  std::vector<AttachmentRecord> of_case(long long) override { cross("attachments_of_case"); }
  long long purge_unattached(Timestamp) override { cross("purge_unattached"); }
  bool discard_unattached(std::string_view, std::string_view) override {
    cross("discard_unattached");
  }
  Crossing crossing;

  // AccountRepository: the token of the fuzz admin exists, nothing else does.
  std::optional<TokenOwner> find_token(std::string_view digest, Timestamp) override {
    if (digest != token_digest(kToken)) cross("find_token");
    StoredUser user;
    user.id = 1;
    user.spec.username = "fuzz";
    user.spec.display_name = "fuzz";
    user.spec.roles = domain::RoleSet{domain::Role::kAdmin, domain::Role::kOperator};
    return TokenOwner{1, std::string(digest), kNow + std::chrono::hours{1}, std::move(user)};
  }
  std::vector<TokenOwner> find_tokens(const std::vector<std::string>&, Timestamp) override {
    cross("find_tokens");
  }
  std::optional<StoredUser> find_user(std::string_view) override { cross("find_user"); }
  std::vector<StoredUser> list_users() override { cross("list_users"); }
  bool scope_exists(const domain::Scope&) override { cross("scope_exists"); }
  bool insert_user(const domain::UserSpec&, const std::optional<std::string>&) override {
    cross("insert_user");
  }
  void update_user(long long, const domain::UserSpec&, const std::optional<std::string>&) override {
    cross("update_user");
  }
  long long insert_token(long long, TokenKind, const std::optional<std::string>&, std::string_view,
                         Timestamp) override {
    cross("insert_token");
  }
  std::vector<TokenRecord> list_tokens(long long) override { cross("list_tokens"); }
  bool revoke_token(long long, long long, Timestamp) override { cross("revoke_token"); }
  void revoke_tokens_of(long long, Timestamp) override { cross("revoke_tokens_of"); }
  std::optional<Timestamp> count_login_attempt(std::string_view, std::string_view, Timestamp,
                                               const domain::LoginThrottle&) override {
    cross("count_login_attempt");
  }
  void undo_login_attempt(std::string_view, std::string_view) override {
    cross("undo_login_attempt");
  }

  // GridRepository
  std::optional<JsonText> locate(const domain::Point&, const domain::Scope&) override {
    cross("locate");
  }
  std::optional<JsonText> find_node(std::string_view code, bool, bool) override {
    crossing.grid_code = std::string(code);
    cross("find_node");
  }
  std::optional<JsonText> list_cells(std::string_view code, const PageRequest& page,
                                     bool) override {
    crossing.grid_code = std::string(code);
    crossing.grid_page = page;
    cross("list_cells");
  }
  std::optional<JsonText> map(std::string_view code, domain::GridLevel,
                              const domain::Scope&) override {
    crossing.grid_code = std::string(code);
    cross("map");
  }
  std::optional<JsonText> list_officers(std::string_view code, const PageRequest& page,
                                        const domain::Scope&) override {
    crossing.grid_code = std::string(code);
    crossing.grid_page = page;
    cross("list_officers");
  }
  std::vector<domain::FieldError> import_nodes(const std::vector<domain::GridNodeInput>&) override {
    cross("import_nodes");
  }
  StagedGridChange stage_change(const domain::GridChange&, bool, Timestamp) override {
    cross("stage_change");
  }
  AppliedGridChange apply_change(std::string_view, Timestamp) override { cross("apply_change"); }
  void add_officers(const std::vector<domain::Officer>&) override { cross("add_officers"); }
  std::map<std::string, std::vector<std::string>> officer_cells(
      const std::vector<std::string>&) override {
    cross("officer_cells");
  }

  // CatalogRepository, HealthRepository
  JsonText list_units() override { cross("list_units"); }
  JsonText list_categories(bool, const std::optional<std::string>&) override {
    cross("list_categories");
  }
  std::vector<domain::FieldError> upsert_units(const std::vector<domain::Unit>&) override {
    cross("upsert_units");
  }
  void replace_categories(const std::vector<domain::Category>&) override {
    cross("replace_categories");
  }
  std::optional<bool> lock_category(std::string_view) override { cross("lock_category"); }
  void replace_time_limits(std::string_view,
                           const std::map<domain::StageTimer, domain::TimeLimit>&) override {
    cross("replace_time_limits");
  }
  std::vector<std::string> pending_migrations() override { cross("pending_migrations"); }
  std::vector<Gauge> gauges() override { cross("gauges"); }

  // CaseRepository
  IntakeResult insert(const domain::NewCase&, const IntakeRecord&) override { cross("insert"); }
  std::optional<domain::CaseRecord> find_record(std::string_view, const domain::CaseConfinement&,
                                                RowLock) override {
    cross("find_record");
  }
  std::optional<CaseJson> find_json(std::string_view, const CaseReading&) override {
    cross("find_json");
  }
  std::vector<TimerRow> timers(std::string_view) override { cross("timers"); }
  JsonText list(const CaseFilter& filter, const CasePage& page,
                const domain::CaseConfinement&) override {
    crossing.case_filter = filter;
    crossing.case_page = page;
    cross("list");
  }
  bool point_in_scope(const domain::Point&, const domain::Scope&) override {
    cross("point_in_scope");
  }
  void save_action(const domain::CaseRecord&, const domain::ActionOutcome&, domain::CaseAction,
                   const domain::ActionInput&, const domain::Actor&, Timestamp,
                   std::optional<long long>) override {
    cross("save_action");
  }
  std::optional<std::string> unit_scope(std::string_view) override { cross("unit_scope"); }
  service::FilingChoice filing_choice(std::string_view, std::string_view) override {
    cross("filing_choice");
  }
  service::DispatchCandidates dispatch_candidates(std::string_view, std::string_view,
                                                  std::string_view, Timestamp) override {
    cross("dispatch_candidates");
  }
  std::optional<std::pair<long long, domain::CaseStatus>> lock_merge_target(
      std::string_view, std::string_view, const domain::CaseConfinement&) override {
    cross("lock_merge_target");
  }
  std::optional<std::string> cell_at(const domain::Point&) override { cross("cell_at"); }
  std::optional<std::vector<OpenCaseTimer>> open_case_timers(std::string_view code,
                                                             const domain::Scope&) override {
    crossing.grid_code = std::string(code);
    cross("open_case_timers");
  }
  std::vector<std::pair<std::string, TimerRow>> running_timers_of(const JsonText&) override {
    cross("running_timers_of");
  }
  std::optional<std::optional<domain::CaseClaim>> lock_claim(
      std::string_view, const domain::CaseConfinement&) override {
    cross("lock_claim");
  }
  void save_claim(std::string_view, const domain::CaseClaim&) override { cross("save_claim"); }
  void delete_claim(std::string_view) override { cross("delete_claim"); }
  std::vector<JsonText> events_after(long long, int) override { cross("events_after"); }
  long long newest_event_id() override { cross("newest_event_id"); }

  // IdempotencyRepository, CalendarRepository
  bool try_lock(std::string_view, std::string_view, std::string_view) override {
    cross("idempotency try_lock");
  }
  std::optional<std::pair<WriteOutcome, bool>> find(std::string_view, std::string_view,
                                                    std::string_view, std::string_view) override {
    cross("idempotency find");
  }
  void save(std::string_view, std::string_view, std::string_view, std::string_view,
            const WriteOutcome&) override {
    cross("idempotency save");
  }
  int purge(domain::Timestamp, int) override { cross("idempotency purge"); }
  std::optional<domain::WorkCalendarSpec> load() override { cross("calendar load"); }
  void store(const domain::WorkCalendarSpec& spec) override {
    crossing.calendar = spec;
    cross("calendar store");
  }

  // AuditRepository, RetentionRepository
  JsonText snapshot(AuditSubject, const std::vector<std::string>&) override {
    cross("audit snapshot");
  }
  void append(const AuditRecord&) override { cross("audit append"); }
  JsonText page(const AuditFilter&, const AuditPage&) override { cross("audit page"); }
  std::vector<std::string> reporters_due(Timestamp, int) override { cross("reporters_due"); }
  void erase_reporter(const std::string&) override { cross("erase_reporter"); }

  // Open311Repository
  std::vector<PublicRequest> find_public(const PublicRequestQuery&) override {
    cross("find_public");
  }
  void store_token(std::string_view, std::string_view, Timestamp) override { cross("store_token"); }
  std::optional<std::string> case_of_token(std::string_view) override { cross("case_of_token"); }

  // WebhookRepository
  WebhookAccount account(std::string_view) override { cross("webhook account"); }
  long long insert(const WebhookRegistration&) override { cross("webhook insert"); }
  bool lock(long long) override { cross("webhook lock"); }
  void update(long long, const WebhookPatch&) override { cross("webhook update"); }
  void remove(long long) override { cross("webhook remove"); }
  std::optional<JsonText> webhook_json(long long) override { cross("webhook json"); }
  JsonText list_json(std::optional<long long>, int) override { cross("webhook list"); }
  JsonText deliveries_json(long long, const DeliveryQuery&) override { cross("deliveries"); }
  std::optional<long long> retry(long long, std::optional<long long>) override {
    cross("webhook retry");
  }
  bool take_lease(std::string_view, std::chrono::milliseconds) override { cross("lease"); }
  void release_lease(std::string_view) override { cross("lease release"); }
  std::vector<DueDelivery> due(int) override { cross("due deliveries"); }
  void record(const std::vector<DeliveryAttempt>&) override { cross("record deliveries"); }
  long long purge_delivered(std::chrono::hours, int) override { cross("purge deliveries"); }

  // AddressRepository
  std::vector<domain::FieldError> import_entries(const std::vector<domain::AddressInput>&,
                                                 AddressImportMode, const std::string&,
                                                 AddressImportSummary&) override {
    cross("address import");
  }
  JsonText search(const AddressSearch&, const PageRequest&) override { cross("address search"); }
  std::optional<domain::Point> resolve(const std::string&) override { cross("address resolve"); }
  long long count() override { cross("address count"); }
  JsonText snapshot() override { cross("address snapshot"); }

  // SchedulerRepository, ReportRepository and RetentionRepository (try_lock() is all three)
  bool try_lock() override { cross("try_lock"); }
  int mark_overdue(Timestamp, int) override { cross("mark_overdue"); }
  std::vector<EscalationCandidate> escalation_candidates(Timestamp, const domain::WorkCalendar&,
                                                         int) override {
    cross("escalation_candidates");
  }
  bool escalate(long long, int, Timestamp) override { cross("escalate"); }
  std::vector<std::string> due_resumptions(Timestamp, int) override { cross("due_resumptions"); }
  std::vector<domain::ReportCaseFact> case_facts(Timestamp, Timestamp,
                                                 std::chrono::year_month_day) override {
    cross("case_facts");
  }
  std::vector<domain::ReportTimerFact> timer_facts(Timestamp, Timestamp) override {
    cross("timer_facts");
  }
  std::optional<Timestamp> first_case_received() override { cross("first_case_received"); }
  long long events_version(Timestamp) override { cross("events_version"); }
  std::vector<domain::ReportCaseFact> overturned_dispatches(Timestamp, Timestamp,
                                                            std::chrono::year_month_day) override {
    cross("overturned_dispatches");
  }
  void replace_snapshot(const domain::PeriodBounds&,
                        const std::map<std::string, std::vector<domain::ReportRow>>&,
                        Timestamp) override {
    cross("replace_snapshot");
  }
  std::vector<domain::ReportRow> snapshot(const domain::PeriodBounds&, std::string_view,
                                          const std::vector<domain::ReportDimension>&) override {
    cross("snapshot");
  }
  std::optional<domain::ReportRow> snapshot_row(const domain::PeriodBounds&, std::string_view,
                                                domain::ReportDimension,
                                                std::string_view) override {
    cross("snapshot_row");
  }
  std::optional<std::vector<domain::ReportRow>> days_sum(
      std::chrono::year_month_day, std::chrono::year_month_day, std::string_view,
      const std::vector<domain::ReportDimension>&) override {
    cross("days_sum");
  }
  std::optional<std::chrono::year_month_day> latest_days_sum(std::chrono::year_month_day,
                                                             std::string_view,
                                                             std::chrono::year_month_day) override {
    cross("latest_days_sum");
  }
  void store_days_sum(std::chrono::year_month_day, std::chrono::year_month_day, std::string_view,
                      const std::vector<domain::ReportRow>&, Timestamp) override {
    cross("store_days_sum");
  }
  void purge_days_sums(std::chrono::year_month_day) override { cross("purge_days_sums"); }
  void lock_snapshot(std::string_view) override { cross("lock_snapshot"); }
  std::optional<std::pair<domain::ReportPeriod, std::chrono::year_month_day>> stale_period(
      std::chrono::year_month_day) override {
    cross("stale_period");
  }
  std::vector<domain::ReportLabel> subjects(domain::ReportDimension, const domain::PeriodBounds&,
                                            const std::optional<std::string>&,
                                            const std::optional<std::string>&,
                                            const std::optional<std::string>&) override {
    cross("subjects");
  }
  bool has_snapshot(const domain::PeriodBounds&) override { cross("has_snapshot"); }
  std::vector<std::pair<std::chrono::year_month_day, std::vector<domain::ReportRow>>> snapshot_days(
      std::chrono::year_month_day, std::chrono::year_month_day, std::string_view,
      domain::ReportDimension, const std::optional<std::string>&) override {
    cross("snapshot_days");
  }
  std::optional<SnapshotVersion> snapshot_version(const domain::PeriodBounds&) override {
    cross("snapshot_version");
  }

  // StaffRepository: officers, duties and units are the database's.
  std::chrono::year_month_day today() override { cross("today"); }
  std::optional<bool> lock_officer(std::string_view) override { cross("lock_officer"); }
  void insert_officer(const domain::OfficerInput&) override { cross("insert_officer"); }
  void update_officer(std::string_view, const domain::OfficerPatch&) override {
    cross("update_officer");
  }
  std::optional<JsonText> officer_json(std::string_view) override { cross("officer_json"); }
  JsonText officers_page(const PageRequest&) override { cross("officers_page"); }
  std::vector<domain::DutyRecord> duties_from(std::string_view,
                                              std::chrono::year_month_day) override {
    cross("duties_from");
  }
  std::vector<std::string> lock_cells(const std::vector<std::string>&) override {
    cross("lock_cells");
  }
  std::vector<domain::DutyRecord> duties_over(domain::Duty, const std::vector<std::string>&,
                                              std::chrono::year_month_day) override {
    cross("duties_over");
  }
  std::vector<domain::DutyRecord> insert_duties(std::string_view, domain::Duty,
                                                const std::vector<std::string>&,
                                                std::chrono::year_month_day) override {
    cross("insert_duties");
  }
  std::optional<domain::DutyRecord> lock_duty(long long) override { cross("lock_duty"); }
  void end_duty(long long, std::chrono::year_month_day) override { cross("end_duty"); }
  std::optional<JsonText> cell_duties(std::string_view) override { cross("cell_duties"); }
  std::optional<bool> lock_unit(std::string_view) override { cross("lock_unit"); }
  std::optional<domain::GridLevel> current_node_level(std::string_view) override {
    cross("current_node_level");
  }
  void insert_unit(const domain::Unit&) override { cross("insert_unit"); }
  void update_unit(std::string_view, const domain::UnitPatch&) override { cross("update_unit"); }
  std::vector<std::string> open_cases_of_unit(std::string_view, int) override {
    cross("open_cases_of_unit");
  }
  std::optional<JsonText> unit_json(std::string_view) override { cross("unit_json"); }
  bool is_unit_staff(std::string_view, std::string_view) override { cross("is_unit_staff"); }
  JsonText unit_staff(std::string_view) override { cross("unit_staff"); }

 private:
  [[noreturn]] void cross(const char* operation) {
    if (crossing.operation.empty()) crossing.operation = operation;
    throw domain::Error(domain::ErrorCode::kUnavailable, "fuzz: no database");
  }
};

/// Runs every transaction at once on the boundary, on the calling thread.
class BoundaryRunner final : public TransactionRunner {
 public:
  explicit BoundaryRunner(Boundary& boundary) : boundary_(boundary) {}
  asio::awaitable<void> run(Work work) override {
    Repositories repos = boundary_.repositories();
    work(repos);
    co_return;
  }
  asio::awaitable<void> autocommit(Work work) override { return run(std::move(work)); }

 private:
  Boundary& boundary_;
};

/// The socket's stand-in: hands out the fuzz input, then end of stream.
class ByteStream {
 public:
  using executor_type = asio::any_io_executor;
  ByteStream(executor_type executor, std::string_view bytes)
      : executor_(std::move(executor)), rest_(bytes) {}
  executor_type get_executor() const { return executor_; }

  template <class MutableBuffers, class Token>
  auto async_read_some(const MutableBuffers& buffers, Token&& token) {
    return asio::async_initiate<Token, void(boost::system::error_code, std::size_t)>(
        [this](auto handler, const MutableBuffers& into) {
          boost::system::error_code ec;
          std::size_t copied = 0;
          if (rest_.empty()) {
            ec = asio::error::eof;
          } else {
            copied = asio::buffer_copy(into, asio::buffer(rest_.data(), rest_.size()));
            rest_.remove_prefix(copied);
          }
          asio::post(executor_, asio::append(std::move(handler), ec, copied));
        },
        token, buffers);
  }

 private:
  executor_type executor_;
  std::string_view rest_;
};

/// Requests served from one input: a keep-alive client pipelining more is cut off here.
constexpr int kMaxRequestsPerConnection = 16;

}  // namespace

void require(bool condition, std::string_view what) {
  if (condition) return;
  std::fprintf(stderr, "fuzz invariant violated: %.*s\n", static_cast<int>(what.size()),
               what.data());
  std::abort();
}

struct Api::State {
  State()
      : runner(boundary),
        grid(runner),
        catalog(runner),
        calendar(clock, CaseOptions{}.utc_offset, CaseOptions{}.calendar_cache),
        health(runner),
        cases(runner, clock, calendar, CaseOptions{}),
        auth(runner, clock, AuthOptions{}),
        reports(runner, calendar, clock, ReportOptions{}),
        audit(runner),
        staff(runner),
        addresses(runner),
        attachments(runner, clock, image_processor, AttachmentOptions{}),
        open311(runner, clock, cases, auth, attachments, Open311Options{}),
        webhooks(runner, WebhookOptions{}),
        services{grid,
                 catalog,
                 health,
                 cases,
                 auth,
                 reports,
                 audit,
                 staff,
                 addresses,
                 open311,
                 attachments,
                 webhooks,
                 [] { return std::vector<Gauge>{}; }},
        events(options.max_streams, options.stream_queue_events),
        router(http::make_api_router(services, options, metrics, events)) {}

  Boundary boundary;
  BoundaryRunner runner;
  testing::FixedClock clock{kNow};
  GridService grid;
  CatalogService catalog;
  CalendarCache calendar;
  HealthService health;
  CaseService cases;
  AuthService auth;
  ReportService reports;
  AuditService audit;
  StaffService staff;
  AddressService addresses;
  imaging::VipsImageProcessor image_processor;
  AttachmentService attachments;
  Open311Service open311;
  WebhookService webhooks;
  http::ServerOptions options;
  http::Services services;
  http::Metrics metrics;
  http::EventHub events;
  http::Router router;
  asio::io_context io;
  std::string authorization = "Bearer " + kToken;
};

Api::Api() : state_(new State) {}

Api& Api::instance() {
  static Api api;
  spdlog::set_level(spdlog::level::warn);
  return api;
}

const Crossing& Api::crossing() const { return state_->boundary.crossing; }

const std::string& Api::authorization() const { return state_->authorization; }

void Api::check_answer(const http::Response& response, bool streaming) const {
  const unsigned status = response.result_int();
  static const bool trace = std::getenv("GRIDCASE_FUZZ_TRACE") != nullptr;
  if (trace) {
    std::fprintf(stderr, "answer %u, database: %s, body: %.300s\n", status,
                 crossing().operation.empty() ? "-" : crossing().operation.c_str(),
                 response.body().c_str());
  }
  require(status >= 200 && status < 600, "a status from 200 to 599");
  require(status < 500 || (status == 503 && !crossing().operation.empty()),
          "no 5xx but 503 after reaching the database: " + std::to_string(status) + " " +
              response.body());
  if (!streaming) {
    require(
        response[http::beast_http::field::content_length] == std::to_string(response.body().size()),
        "Content-Length is the body's length");
  }
  if (status >= 400) {
    const auto type = response[http::beast_http::field::content_type];
    // Under /open311/ an error is in GeoReport v2's format (docs/integrations.md): a JSON list of
    // {code, description}, or <errors> in XML; everywhere else problem+json.
    if (type == "application/json; charset=utf-8") {
      const nlohmann::json errors = nlohmann::json::parse(response.body(), nullptr, false);
      require(errors.is_array() && !errors.empty() && errors[0].value("code", 0u) == status,
              "an Open311 error list whose code is the answer's: " + response.body());
      return;
    }
    if (type == "text/xml; charset=utf-8") {
      require(response.body().find("<errors><error><code>" + std::to_string(status) + "</code>") !=
                  std::string::npos,
              "Open311 XML errors whose code is the answer's: " + response.body());
      return;
    }
    require(type == "application/problem+json", "an error is application/problem+json");
    const nlohmann::json problem = nlohmann::json::parse(response.body(), nullptr, false);
    require(problem.is_object() && problem.value("status", 0u) == status,
            "a problem document whose status is the answer's: " + response.body());
  }
}

http::Response Api::answer(http::beast_http::request<http::beast_http::string_body> message) {
  State& state = *state_;
  std::optional<http::Response> answered;
  auto exchange = [&]() -> asio::awaitable<void> {
    const std::string_view target = message.target();
    const http::RouteMatch match =
        state.router.match(message.method(), target.substr(0, target.find('?')));
    http::Request request{std::move(message), match.params, {}, "fuzz", "127.0.0.1", {}, {}, {}};
    state.boundary.crossing = {};
    http::StreamBody stream_body;
    answered = co_await http::admit(match, request);
    if (!answered) answered = co_await http::respond(match, request, stream_body);
    check_answer(*answered, static_cast<bool>(stream_body));
  };
  asio::co_spawn(state.io, exchange(), [](std::exception_ptr failure) {
    require(!failure, "no exception escapes an exchange");
  });
  state.io.restart();
  state.io.run();
  require(answered.has_value(), "every request is answered");
  return std::move(*answered);
}

void Api::serve_bytes(std::string_view bytes) {
  State& state = *state_;
  auto connection = [&]() -> asio::awaitable<void> {
    ByteStream stream{co_await asio::this_coro::executor, bytes};
    boost::beast::flat_buffer buffer;
    const http::RequestOrigin origin{"127.0.0.1", [](std::string_view) { return "fuzz"; }};
    for (int served = 0; served < kMaxRequestsPerConnection; ++served) {
      state.boundary.crossing = {};  // the route's guard may reach the database while reading
      http::ReadOutcome outcome =
          co_await http::read_request(stream, buffer, state.options, state.router, origin);
      if (const http::Refusal* refusal = std::get_if<http::Refusal>(&outcome)) {
        const unsigned status = static_cast<unsigned>(refusal->status);
        require(status == 400 || status == 413 || status == 431, "a refusal is 400, 413 or 431");
        check_answer(
            http::problem_response(refusal->status, refusal->detail, refusal->version, "fuzz"),
            false);
        co_return;
      }
      http::Incoming* incoming = std::get_if<http::Incoming>(&outcome);
      if (incoming == nullptr) co_return;
      const http::RouteMatch& match = incoming->match;
      http::Request& request = incoming->request;
      require(request.message.body().size() <=
                  http::body_limit(state.options, match,
                                   request.message[http::beast_http::field::content_type]),
              "a body within its route's limit");
      const bool keep_alive = request.message.keep_alive() && !incoming->body_unread;
      http::StreamBody stream_body;
      if (incoming->turned_away) {
        check_answer(*incoming->turned_away, false);
      } else {
        const http::Response response = co_await http::respond(match, request, stream_body);
        check_answer(response, static_cast<bool>(stream_body));
      }
      if (stream_body || !keep_alive) co_return;
    }
  };
  asio::co_spawn(state.io, connection(), [](std::exception_ptr failure) {
    if (!failure) return;
    try {
      std::rethrow_exception(failure);
    } catch (const std::exception& error) {
      require(false, std::string("no exception escapes a connection: ") + error.what());
    }
  });
  state.io.restart();
  state.io.run();
}

}  // namespace gridcase::fuzz
