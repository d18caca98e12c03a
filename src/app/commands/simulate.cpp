#include <spdlog/spdlog.h>

#include <algorithm>
#include <atomic>
#include <optional>
#include <string>

#include "arguments.hpp"
#include "commands.hpp"
#include "demo_district.hpp"
#include "embedded_demo_data.hpp"
#include "simulation.hpp"
#include "wiring.hpp"

namespace gridcase::app {
namespace {

/// The clock of a simulated history, set to each step's time.
class SimulatedClock final : public domain::Clock {
 public:
  domain::Timestamp now() const override {
    return domain::Timestamp{std::chrono::milliseconds{epoch_ms_.load()}};
  }
  void set(domain::Timestamp at) { epoch_ms_.store(at.time_since_epoch().count()); }

 private:
  std::atomic<long long> epoch_ms_{0};
};

struct SimulationTally {
  int received = 0;
  int closed = 0;
  int refused = 0;
};

/// The unit of `type` whose scope is the case's street, else the district's, else any of it.
std::string unit_for(const DemoDistrict& demo, const std::string& type, const std::string& street) {
  const domain::Unit* found = nullptr;
  for (const domain::Unit& unit : demo.units) {
    if (unit.type != type) continue;
    if (unit.scope_code == street) return unit.code;
    if (found == nullptr || unit.scope_code.size() < found->scope_code.size()) found = &unit;
  }
  return found != nullptr ? found->code : demo.units.front().code;
}

/// Drives one planned case through the real CaseService, each action at its planned time, and
/// stops before any action that would lie after `until` (the case stays open, as it would be).
/// Its photos are `photo` uploaded through the real AttachmentService, as staff upload theirs:
/// the patrol report's before intake, the rest to the case at their stage.
void drive(Wiring& wiring, const service::CaseService& cases, SimulatedClock& clock,
           const DemoDistrict& demo, const domain::WorkCalendar& calendar, const PlannedCase& plan,
           const std::string& photo, domain::Timestamp until, SimulationTally& tally) {
  using domain::CaseAction;
  using domain::Role;
  const auto actor = [](Role role) {
    return domain::Actor{"sim-" + std::string(to_string(role)), domain::RoleSet{role}, role};
  };
  domain::Timestamp at = plan.received_at;
  clock.set(at);
  std::string case_no;
  try {
    domain::NewCase intake = plan.intake;
    if (intake.channel == domain::Channel::kPatrol) {
      intake.photos = {
          run_to_completion(wiring, wiring.attachments.upload(photo, actor(Role::kOperator))).id};
    }
    case_no = run_to_completion(
                  wiring, cases.receive(std::move(intake), actor(Role::kOperator), std::nullopt))
                  .written.case_no;
  } catch (const domain::Error& error) {
    spdlog::warn("simulate: intake refused: {}", error.what());
    ++tally.refused;
    return;
  }
  ++tally.received;
  std::size_t next_gap = 0;
  const auto step = [&](domain::Timestamp when, CaseAction action, domain::ActionInput input,
                        Role role) {
    at = std::max(when, at + std::chrono::minutes{1});
    if (at > until) return false;
    clock.set(at);
    try {
      if (action == CaseAction::kComplete || action == CaseAction::kCheck) {
        input.attachments = {run_to_completion(wiring, wiring.attachments.upload_to_case(
                                                           case_no, photo, actor(role)))
                                 .id};
      }
      run_to_completion(wiring, cases.act(case_no, action, std::move(input), actor(role),
                                          std::nullopt, std::nullopt));
      return true;
    } catch (const domain::Error& error) {
      spdlog::warn("simulate: {} {}: {}", case_no, to_string(action), error.what());
      ++tally.refused;
      return false;
    }
  };
  const auto later = [&] { return at + plan.gaps[next_gap++ % plan.gaps.size()]; };
  domain::ActionInput done;  // a completion's note (its photo is uploaded by `step`), a reply's
  done.note = "已处置 handled";
  const auto checked = [](const char* result) {
    domain::ActionInput input;
    input.result = result;
    return input;
  };

  if (plan.rejected) {
    domain::ActionInput reason;
    reason.reason = "不属于城市管理范围 outside urban management";
    step(later(), CaseAction::kReject, reason, Role::kShiftLeader);
    return;
  }
  domain::ActionInput registration;
  registration.category = plan.category;
  registration.condition = plan.condition;
  if (!step(later(), CaseAction::kRegister, registration, Role::kShiftLeader)) return;
  domain::ActionInput dispatch;
  dispatch.unit = unit_for(demo, plan.unit_type, plan.cell.substr(0, 9));
  if (!step(later(), CaseAction::kDispatch, dispatch, Role::kDispatcher)) return;
  const domain::Timestamp dispatched_at = at;
  std::optional<domain::TimeLimit> limit;
  for (const domain::Category& category : demo.categories) {
    for (const domain::FilingCondition& condition : category.conditions) {
      if (category.key == plan.category && condition.id == plan.condition) {
        limit = domain::TimeLimit{
            condition.limit_value,
            domain::parse_limit_unit(condition.limit_unit).value_or(domain::LimitUnit::kWorkDay)};
      }
    }
  }
  const domain::Timestamp deadline = calendar.deadline(
      dispatched_at, limit.value_or(domain::TimeLimit{1, domain::LimitUnit::kWorkDay}));
  const auto handling_time = std::chrono::duration_cast<std::chrono::milliseconds>(
      (deadline - dispatched_at) * plan.handling_share);
  if (!step(later(), CaseAction::kAcknowledge, {}, Role::kUnit)) return;
  if (!step(dispatched_at + handling_time, CaseAction::kComplete, done, Role::kUnit)) return;
  if (plan.reworked) {
    if (!step(later(), CaseAction::kCheck, checked("failed"), Role::kOfficer)) return;
    if (!step(later(), CaseAction::kAcknowledge, {}, Role::kUnit)) return;
    if (!step(later() + std::chrono::hours{2}, CaseAction::kComplete, done, Role::kUnit)) return;
  }
  if (!step(later(), CaseAction::kCheck, checked("passed"), Role::kOfficer)) return;
  const bool answers_a_reporter = plan.intake.reporter.has_value();
  if (answers_a_reporter && !step(later(), CaseAction::kReply, done, Role::kOperator)) return;
  if (!step(later(), CaseAction::kClose, {}, Role::kShiftLeader)) return;
  ++tally.closed;
  if (plan.callback) {
    domain::ActionInput callback;
    callback.reached = true;
    callback.satisfaction = plan.satisfaction;
    step(at + std::chrono::hours{20}, CaseAction::kCallback, callback, Role::kOperator);
  }
}

/// A whole number as std::stoll reads it; nullopt when it reads none.
std::optional<long long> whole_number(const std::string& text) {
  try {
    return std::stoll(text);
  } catch (const std::exception&) {
    return std::nullopt;
  }
}

}  // namespace

int simulate(const Config& config, const std::vector<std::string>& args) {
  const Arguments arguments{args, {.options = {"--days", "--seed"}}};
  constexpr const char* kUsage = "--days N (1 to 3660) [--seed S]";
  std::optional<long long> days;
  std::optional<long long> seed;
  try {
    days = arguments.parsed("--days", whole_number);
    seed = arguments.parsed("--seed", whole_number);
  } catch (const UsageError&) {
    throw UsageError(kUsage);
  }
  if (!days || *days < 1 || *days > 3660) throw UsageError(kUsage);
  Wiring wiring{without_statement_timeout(config)};
  try {
    run_to_completion(wiring, wiring.grid.node(config.cases.district_code, false));
  } catch (const domain::Error& error) {
    spdlog::critical(
        "simulate: the demo district is not loaded ({}): run `gridcase seed-demo` first",
        error.what());
    return 1;
  }
  const DemoDistrict demo =
      make_demo_district(demo_data::k_kundulun_admin, demo_data::k_categories);
  domain::WorkCalendarSpec spec = domain::WorkCalendar::demo().spec();
  spec.utc_offset = config.cases.utc_offset;
  const domain::WorkCalendar calendar{spec};
  const domain::Timestamp now = wiring.clock.now();
  const std::chrono::year_month_day yesterday{std::chrono::sys_days{calendar.local_date(now)} -
                                              std::chrono::days{1}};
  const std::vector<PlannedCase> plans =
      plan_history(demo, static_cast<int>(*days), yesterday, calendar.utc_offset(),
                   static_cast<unsigned>(seed.value_or(20261130)));
  SimulatedClock clock;
  const service::CaseService cases{*wiring.database, clock, wiring.calendar, config.cases};
  // One picture for every simulated photo: stored once (uploads are deduplicated by content),
  // named by an attachment of its own at each stage.
  const std::string photo = wiring.image_processor.gradient(640, 480, ".jpg");
  SimulationTally tally;
  for (const PlannedCase& plan : plans) {
    drive(wiring, cases, clock, demo, calendar, plan, photo, now, tally);
    if (tally.received % 500 == 0 && tally.received > 0)
      spdlog::info("simulate: {} cases so far", tally.received);
  }
  spdlog::info("simulate: {} days, {} cases received, {} closed, {} actions refused", *days,
               tally.received, tally.closed, tally.refused);
  return 0;
}

}  // namespace gridcase::app
