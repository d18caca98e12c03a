#include "case_world.hpp"

#include <iomanip>
#include <pqxx/pqxx>
#include <sstream>

#include "gridcase/imaging/vips_image_processor.hpp"
#include "gridcase/service/attachment_repository.hpp"
#include "gridcase/service/attachment_service.hpp"
#include "gridcase/service/repositories.hpp"
#include "run_sync.hpp"
#include "test_database.hpp"

namespace gridcase::testing {
namespace {

using namespace std::chrono_literals;
using domain::CaseAction;
using domain::CaseStatus;
using domain::Role;
using nlohmann::json;

/// Every actor id of the case tests starts so (the cleanup removes their idempotency keys).
constexpr const char* kActorPrefix = "it-case-";

// The district's corner and cell size (degrees): far from every other test's grid.
constexpr double kWest = 60.0;
constexpr double kSouth = 20.0;
constexpr double kCell = 0.01;

std::string box(double west, double south, double east, double north) {
  std::ostringstream text;
  text << std::setprecision(12) << R"({"type":"Polygon","coordinates":[[)" << '[' << west << ','
       << south << "],[" << east << ',' << south << "],[" << east << ',' << north << "],[" << west
       << ',' << north << "],[" << west << ',' << south << "]]]}";
  return text.str();
}

/// A node spanning cells [from, to) of the district's single row.
domain::GridNodeInput node(const std::string& code, domain::GridLevel level, double from,
                           double to) {
  std::optional<std::string> parent;
  if (level != domain::GridLevel::kDistrict) parent = code.substr(0, code.size() - 3);
  return domain::GridNodeInput{
      code,         "用例 " + code,
      level,        parent,
      std::nullopt, box(kWest + from * kCell, kSouth, kWest + to * kCell, kSouth + kCell)};
}

domain::Point at_cell(double cells) {
  return domain::Point{kWest + cells * kCell, kSouth + kCell / 2};
}

}  // namespace

domain::Timestamp beijing(std::chrono::year_month_day date, std::chrono::minutes time_of_day) {
  return domain::Timestamp{std::chrono::sys_days{date} + time_of_day - 8h};
}

domain::Timestamp case_test_start() { return beijing(std::chrono::year{2026} / 11 / 23, 10h); }

domain::Point CaseDistrict::in_cell() { return at_cell(0.5); }
domain::Point CaseDistrict::in_east_cell() { return at_cell(1.5); }
domain::Point CaseDistrict::in_other_street() { return at_cell(2.5); }
domain::Point CaseDistrict::outside() { return domain::Point{kWest - 1.0, kSouth - 1.0}; }

std::vector<domain::GridNodeInput> CaseDistrict::grid() {
  using domain::GridLevel;
  return {node(kCode, GridLevel::kDistrict, 0, 3),
          node(kStreet, GridLevel::kStreet, 0, 2),
          node("150261001001", GridLevel::kCommunity, 0, 2),
          node(kCell, GridLevel::kCell, 0, 1),
          node(kEastCell, GridLevel::kCell, 1, 2),
          node(kOtherStreet, GridLevel::kStreet, 2, 3),
          node("150261002001", GridLevel::kCommunity, 2, 3),
          node(kOtherStreetCell, GridLevel::kCell, 2, 3)};
}

std::vector<domain::Unit> CaseDistrict::units() {
  return {{kDistrictUnit, "用例区公用事业局", "utilities", kCode},
          {kStreetUnit, "用例一街道执法中队", "enforcement", kStreet},
          {kOtherStreetUnit, "用例二街道执法中队", "enforcement", kOtherStreet}};
}

std::vector<domain::Category> CaseDistrict::categories() {
  return {
      {"event:0101",
       "私搭乱建 illegal structure",
       {{"stop", "under construction: stop it", 4, "work_hour", "enforcement", "work stopped"}}},
      {"event:0102",
       "暴露垃圾 exposed garbage",
       {{"pile", "a pile of garbage", 1, "work_day", "sanitation", "cleared"}}},
      {"component:0101",
       "上水井盖 water manhole cover",
       {{"missing", "cover missing", 2, "urgent_hour", "utilities", "cover restored"}}}};
}

domain::NewCase case_report(domain::Channel channel, domain::Point point, bool with_reporter,
                            domain::Timestamp now) {
  domain::NewCase intake;
  intake.channel = channel;
  intake.description =
      "小区门口私搭乱建 an illegal shed at the gate (" + std::string(to_string(channel)) + ")";
  intake.point = point;
  intake.category_key = "event:0101";
  if (with_reporter || domain::is_hotline(channel)) {
    intake.reporter = domain::Reporter{"张三", "13812345678", false};
  }
  if (domain::is_hotline(channel))
    intake.call = domain::HotlineCall{now - 5min, now - 2min, "op-07"};
  if (channel == domain::Channel::kPatrol) {
    intake.officer_code = CaseDistrict::kPatrolOfficer;
    intake.photos = {kPhotoToUpload};
  }
  if (channel == domain::Channel::kMayorMailbox) {
    intake.letter = domain::Letter{"关于小区违建的来信", "小区门口有人搭建棚子，请尽快处理。"};
  }
  return intake;
}

domain::Actor case_actor(domain::Role role) {
  domain::Actor actor{kActorPrefix + std::string(to_string(role)), domain::RoleSet{role}, role};
  // District-wide; an integration submits on every channel.
  if (role == domain::Role::kIntegration)
    actor.channels.assign(std::begin(domain::kAllChannels), std::end(domain::kAllChannels));
  return actor;
}

void clean_case_world(const std::string& url) {
  pqxx::connection connection{url};
  pqxx::work tx{connection};
  // The event log is append-only for the application (sql/006_event_chain.sql); the test
  // database's owner bypasses its triggers for this cleanup only.
  tx.exec0("SET LOCAL session_replication_role = replica");
  const std::string cases =
      "SELECT id FROM cases WHERE case_no LIKE '" + std::string(CaseDistrict::kCode) + "-%'";
  // With triggers off, ON DELETE CASCADE does not run either: the histories go first, by hand.
  tx.exec0(
      "DELETE FROM case_timer_history WHERE timer_id IN (SELECT id FROM case_timers WHERE case_id "
      "IN (" +
      cases + "))");
  tx.exec0("DELETE FROM case_attribute_history WHERE case_id IN (" + cases + ")");
  tx.exec0("DELETE FROM case_timers WHERE case_id IN (" + cases + ")");
  tx.exec0("DELETE FROM webhook_deliveries WHERE case_id IN (" + cases + ")");
  tx.exec0("DELETE FROM case_events WHERE case_id IN (" + cases + ")");
  tx.exec0("DELETE FROM attachments WHERE case_id IN (" + cases + ") OR uploaded_by LIKE '" +
           std::string(kActorPrefix) + "%'");
  tx.exec0("DELETE FROM reporter_disclosures WHERE case_id IN (" + cases + ")");
  tx.exec0("UPDATE cases SET merged_into = NULL WHERE merged_into IN (" + cases + ")");
  tx.exec0("DELETE FROM cases WHERE id IN (" + cases + ")");
  tx.exec0("DELETE FROM idempotency_keys WHERE caller LIKE '" + std::string(kActorPrefix) + "%'");
  tx.exec0("DELETE FROM units WHERE scope_code LIKE '" + std::string(CaseDistrict::kCode) + "%'");
  tx.exec_params0(
      "DELETE FROM officers o WHERE code IN ($1, $2) "
      "AND NOT EXISTS (SELECT 1 FROM officer_cells c WHERE c.officer_id = o.id)",
      CaseDistrict::kPatrolOfficer, CaseDistrict::kRetiredOfficer);
  // Categories are retired, never deleted; their stage-limit overrides are the tests' own.
  tx.exec0("DELETE FROM category_time_limits");
  // The work calendar is one per database: back to "never edited" (the demo calendar).
  tx.exec0("DELETE FROM work_calendar_periods");
  tx.exec0("DELETE FROM work_calendar_fixed_holidays");
  tx.exec0("DELETE FROM work_calendar_dates");
  tx.exec0("DELETE FROM work_calendar");
  // Reports are of the whole database, which only the case tests fill.
  tx.exec0("DELETE FROM report_snapshots");
  tx.exec0("DELETE FROM report_runs");
  tx.commit();
  delete_grid_subtree(url, CaseDistrict::kCode);
}

void CaseWorldTest::SetUp() {
  url_ = test_database_url();
  storage::apply_migrations(database_options(url_));
  clean_case_world(url_);
  database_ = storage::open_database(database_options(url_));
  clock_ = std::make_unique<FixedClock>(case_test_start());
  service::CaseOptions options;
  options.district_code = CaseDistrict::kCode;
  calendar_ =
      std::make_unique<service::CalendarCache>(*clock_, options.utc_offset, options.calendar_cache);
  cases_ = std::make_unique<service::CaseService>(*database_, *clock_, *calendar_, options);
  catalog_ = std::make_unique<service::CatalogService>(*database_);
  grid_ = std::make_unique<service::GridService>(*database_, *clock_);
  run_sync(grid_->import(CaseDistrict::grid(), domain::command_line_actor()));
  run_sync(catalog_->upsert_units(CaseDistrict::units()));
  run_sync(catalog_->replace_categories(CaseDistrict::categories(), domain::command_line_actor()));
  pqxx::connection connection{url_};
  pqxx::work tx{connection};
  tx.exec_params0(
      "INSERT INTO officers (code, name, active) VALUES ($1, '用例巡查员', true), ($2, "
      "'用例离任员', false)",
      CaseDistrict::kPatrolOfficer, CaseDistrict::kRetiredOfficer);
  tx.commit();
}

void CaseWorldTest::TearDown() {
  cases_.reset();
  catalog_.reset();
  grid_.reset();
  if (database_) database_->stop();
  database_.reset();
  if (!url_.empty()) clean_case_world(url_);
}

std::vector<std::string> CaseWorldTest::with_uploads(std::vector<std::string> photos,
                                                     const domain::Actor& actor) {
  // One small picture, processed once per process; each upload is an attachment of its own.
  static const std::pair<std::string, service::ProcessedImage> image = [] {
    const imaging::VipsImageProcessor vips;
    const std::string bytes = vips.gradient(64, 48, ".jpg");
    return std::pair{service::sha256_of(bytes), vips.process(bytes, service::ImageLimits{})};
  }();
  for (std::string& photo : photos) {
    if (photo != kPhotoToUpload) continue;
    if (actor.roles.contains(domain::Role::kIntegration)) {
      photo = "https://photos.example.cn/case-world.jpg";
      continue;
    }
    std::optional<service::AttachmentRecord> record;
    run_sync(database_->run([&](service::Repositories& repos) {
      repos.attachments.store_image(image.first, image.second, clock_->now());
      record = repos.attachments.insert(
          service::NewAttachment{image.first, actor.id, clock_->now(), std::nullopt, std::nullopt});
    }));
    photo = record.value().id;
  }
  return photos;
}

std::string CaseWorldTest::receive(const domain::NewCase& intake, domain::Role role) {
  domain::NewCase sent = intake;
  sent.photos = with_uploads(std::move(sent.photos), case_actor(role));
  const service::CaseAnswer answer =
      run_sync(cases_->receive(std::move(sent), case_actor(role), std::nullopt));
  EXPECT_TRUE(answer.written.created);
  return answer.written.case_no;
}

std::string CaseWorldTest::receive(domain::Channel channel, bool with_reporter) {
  return receive(case_report(channel, CaseDistrict::in_cell(), with_reporter, clock_->now()));
}

json CaseWorldTest::act(const std::string& case_no, domain::CaseAction action,
                        const domain::ActionInput& input, domain::Role role,
                        std::optional<int> if_match) {
  domain::ActionInput sent = input;
  sent.attachments = with_uploads(std::move(sent.attachments), case_actor(role));
  const service::CaseAnswer answer = run_sync(
      cases_->act(case_no, action, std::move(sent), case_actor(role), if_match, std::nullopt));
  return json::parse(answer.view.case_json.text);
}

domain::Error CaseWorldTest::refusal(const std::string& case_no, domain::CaseAction action,
                                     const domain::ActionInput& input, domain::Role role,
                                     std::optional<int> if_match) {
  try {
    act(case_no, action, input, role, if_match);
  } catch (const domain::Error& error) {
    return error;
  }
  ADD_FAILURE() << to_string(action) << " of " << case_no << " was accepted";
  return domain::Error(domain::ErrorCode::kInternal, "accepted");
}

json CaseWorldTest::get(const std::string& case_no) {
  const service::CaseView view = run_sync(cases_->get(case_no, case_actor(Role::kShiftLeader)));
  return json::parse(view.case_json.text);
}

std::vector<service::TimerView> CaseWorldTest::timers(const std::string& case_no) {
  return run_sync(cases_->get(case_no, case_actor(Role::kShiftLeader))).timers;
}

domain::ActionInput CaseWorldTest::register_input(const char* category, const char* condition) {
  domain::ActionInput input;
  input.category = category;
  input.condition = condition;
  return input;
}

domain::ActionInput CaseWorldTest::unit_input(const char* unit) {
  domain::ActionInput input;
  input.unit = unit;
  return input;
}

domain::ActionInput CaseWorldTest::reason_input() {
  domain::ActionInput input;
  input.reason = "理由 a reason";
  return input;
}

domain::ActionInput CaseWorldTest::note_input() {
  domain::ActionInput input;
  input.note = "已处理 done";
  input.attachments = {kPhotoToUpload};
  return input;
}

domain::ActionInput CaseWorldTest::result_input(const char* result) {
  domain::ActionInput input;
  input.result = result;
  input.attachments = {kPhotoToUpload};
  return input;
}

domain::ActionInput CaseWorldTest::callback_input(const char* satisfaction) {
  domain::ActionInput input;
  input.reached = true;
  input.satisfaction = satisfaction;
  return input;
}

domain::ActionInput CaseWorldTest::until_input(domain::Timestamp until, bool with_reason) {
  domain::ActionInput input = with_reason ? reason_input() : domain::ActionInput{};
  input.until = until;
  return input;
}

void CaseWorldTest::drive_to(const std::string& case_no, domain::CaseStatus status) {
  auto step = [&](CaseAction action, const domain::ActionInput& input, Role role) {
    act(case_no, action, input, role);
  };
  switch (status) {
    case CaseStatus::kReceived:
      return;
    case CaseStatus::kVerifying:
      step(CaseAction::kRequestVerification, {}, Role::kOperator);
      return;
    case CaseStatus::kRejected:
      step(CaseAction::kReject, reason_input(), Role::kShiftLeader);
      return;
    case CaseStatus::kRegistered:
    case CaseStatus::kDispatched:
    case CaseStatus::kHandling:
    case CaseStatus::kSuspended:
    case CaseStatus::kHandled:
    case CaseStatus::kResolved:
    case CaseStatus::kReplied:
    case CaseStatus::kClosed:
      break;
  }
  step(CaseAction::kRegister, register_input(), Role::kShiftLeader);
  if (status == CaseStatus::kRegistered) return;
  step(CaseAction::kDispatch, unit_input(), Role::kDispatcher);
  if (status == CaseStatus::kDispatched) return;
  step(CaseAction::kAcknowledge, {}, Role::kUnit);
  if (status == CaseStatus::kHandling) return;
  if (status == CaseStatus::kSuspended) {
    step(CaseAction::kSuspend, until_input(clock_->now() + 48h, false), Role::kDispatcher);
    return;
  }
  step(CaseAction::kComplete, note_input(), Role::kUnit);
  if (status == CaseStatus::kHandled) return;
  step(CaseAction::kCheck, result_input("passed"), Role::kOfficer);
  if (status == CaseStatus::kResolved) return;
  step(CaseAction::kReply, note_input(), Role::kOperator);
  if (status == CaseStatus::kReplied) return;
  step(CaseAction::kClose, {}, Role::kShiftLeader);
}

long long CaseWorldTest::rows_in(const std::string& table) {
  return std::stoll(query_scalar(url_, "SELECT count(*) FROM " + table));
}

std::vector<std::string> event_actions(const json& case_json) {
  std::vector<std::string> actions;
  for (const json& event : case_json.at("events"))
    actions.push_back(event.at("action").get<std::string>());
  return actions;
}

std::vector<service::TimerView> timers_named(const std::vector<service::TimerView>& timers,
                                             domain::StageTimer timer) {
  std::vector<service::TimerView> named;
  for (const service::TimerView& view : timers) {
    if (view.row.timer == timer) named.push_back(view);
  }
  return named;
}

}  // namespace gridcase::testing
