#include "gridcase/domain/timers.hpp"

#include <algorithm>

#include "gridcase/domain/enum_names.hpp"

namespace gridcase::domain {
namespace {

using std::chrono::milliseconds;

bool contains(const std::vector<StageTimer>& timers, StageTimer timer) {
  return std::find(timers.begin(), timers.end(), timer) != timers.end();
}

std::vector<StageTimer> difference(const std::vector<StageTimer>& from,
                                   const std::vector<StageTimer>& without) {
  std::vector<StageTimer> rest;
  for (StageTimer timer : from) {
    if (!contains(without, timer)) rest.push_back(timer);
  }
  return rest;
}

constexpr EnumNames<StageTimer, 7> kStageTimerNames{{
    {StageTimer::kVerification, "verification"},
    {StageTimer::kRegistration, "registration"},
    {StageTimer::kDispatch, "dispatch"},
    {StageTimer::kAcknowledgement, "acknowledgement"},
    {StageTimer::kHandling, "handling"},
    {StageTimer::kCheck, "check"},
    {StageTimer::kClose, "close"},
}};
static_assert(covers_every_value(kStageTimerNames));
static_assert(lists_every_value(kAllStageTimers, kStageTimerNames));

constexpr EnumNames<Light, 3> kLightNames{{
    {Light::kGreen, "green"},
    {Light::kYellow, "yellow"},
    {Light::kRed, "red"},
}};
static_assert(covers_every_value(kLightNames));

constexpr EnumNames<TimerOutcome, 3> kTimerOutcomeNames{{
    {TimerOutcome::kOnTime, "on_time"},
    {TimerOutcome::kLate, "late"},
    {TimerOutcome::kNotCounted, "not_counted"},
}};
static_assert(covers_every_value(kTimerOutcomeNames));

}  // namespace

std::string_view to_string(StageTimer timer) { return name_of(kStageTimerNames, timer); }

std::optional<StageTimer> parse_stage_timer(std::string_view text) {
  return value_named(kStageTimerNames, text);
}

std::optional<TimeLimit> default_limit(StageTimer timer) {
  switch (timer) {
    case StageTimer::kVerification:
    case StageTimer::kRegistration:
    case StageTimer::kDispatch:
    case StageTimer::kAcknowledgement:
    case StageTimer::kClose:
      return TimeLimit{1, LimitUnit::kWorkHour};
    case StageTimer::kCheck:
      return TimeLimit{2, LimitUnit::kWorkHour};
    case StageTimer::kHandling:
      break;
  }
  return std::nullopt;
}

std::map<StageTimer, TimeLimit> StageLimits::demo_stage_limits() {
  std::map<StageTimer, TimeLimit> limits;
  for (StageTimer timer : kAllStageTimers) {
    if (std::optional<TimeLimit> limit = default_limit(timer)) limits.emplace(timer, *limit);
  }
  return limits;
}

TimeLimit StageLimits::of(StageTimer timer) const {
  if (auto found = limits.find(timer); found != limits.end()) return found->second;
  return TimeLimit{1, LimitUnit::kWorkHour};
}

StageLimits StageLimits::overridden_by(const std::map<StageTimer, TimeLimit>& overrides) const {
  StageLimits result = *this;
  for (const auto& [timer, limit] : overrides) result.limits[timer] = limit;
  return result;
}

bool is_category_overridable(StageTimer timer) {
  switch (timer) {
    case StageTimer::kDispatch:
    case StageTimer::kAcknowledgement:
    case StageTimer::kCheck:
    case StageTimer::kClose:
      return true;
    case StageTimer::kVerification:
    case StageTimer::kRegistration:
    case StageTimer::kHandling:
      break;
  }
  return false;
}

std::vector<StageTimer> timers_for(CaseStatus status) {
  switch (status) {
    case CaseStatus::kReceived:
      return {StageTimer::kRegistration};
    case CaseStatus::kVerifying:
      return {StageTimer::kVerification};
    case CaseStatus::kRegistered:
      return {StageTimer::kDispatch};
    case CaseStatus::kDispatched:
      return {StageTimer::kAcknowledgement, StageTimer::kHandling};
    case CaseStatus::kHandling:
    case CaseStatus::kSuspended:
      return {StageTimer::kHandling};
    case CaseStatus::kHandled:
      return {StageTimer::kCheck};
    case CaseStatus::kResolved:
    case CaseStatus::kReplied:
      return {StageTimer::kClose};
    case CaseStatus::kRejected:
    case CaseStatus::kClosed:
      break;
  }
  return {};
}

TimerChanges timer_changes(std::optional<CaseStatus> from, CaseAction action, CaseStatus to) {
  const std::vector<StageTimer> before = from ? timers_for(*from) : std::vector<StageTimer>{};
  const std::vector<StageTimer> after = timers_for(to);
  if (action == CaseAction::kReassign) return TimerChanges{before, after};
  return TimerChanges{difference(before, after), difference(after, before)};
}

CycleEffect cycle_effect(CaseAction action, std::optional<CheckResult> check_result) {
  switch (action) {
    case CaseAction::kDispatch:
    case CaseAction::kReassign:
      return CycleEffect::kStartFresh;
    case CaseAction::kRework:
      return CycleEffect::kReenter;
    case CaseAction::kCheck:
      return check_result == CheckResult::kFailed ? CycleEffect::kReenter : CycleEffect::kNone;
    case CaseAction::kSuspend:
      return CycleEffect::kPause;
    case CaseAction::kResume:
      return CycleEffect::kResume;
    case CaseAction::kApproveExtension:
      return CycleEffect::kExtend;
    case CaseAction::kComplete:
      return CycleEffect::kStop;
    case CaseAction::kReturn:
    case CaseAction::kReopen:
    case CaseAction::kMerge:
      return CycleEffect::kEnd;
    case CaseAction::kReceive:
    case CaseAction::kLocate:
    case CaseAction::kRequestVerification:
    case CaseAction::kVerify:
    case CaseAction::kWithdrawVerification:
    case CaseAction::kRegister:
    case CaseAction::kReject:
    case CaseAction::kAcknowledge:
    case CaseAction::kUrge:
    case CaseAction::kRequestExtension:
    case CaseAction::kDenyExtension:
    case CaseAction::kRequestSuspension:
    case CaseAction::kReply:
    case CaseAction::kClose:
    case CaseAction::kCallback:
      break;
  }
  return CycleEffect::kNone;
}

TimerState TimerState::on_suspend(Timestamp now) const {
  TimerState paused = *this;
  if (!paused.paused_at) paused.paused_at = now;
  return paused;
}

TimerState TimerState::on_resume(Timestamp now, const WorkCalendar& calendar) const {
  if (!paused_at) return *this;
  TimerState resumed = *this;
  const milliseconds paused = calendar.measure(*paused_at, now, limit.unit);
  resumed.deadline = calendar.advance(deadline, paused, limit.unit);
  resumed.paused_at.reset();
  return resumed;
}

TimerState TimerState::on_extension_approved(const WorkCalendar& calendar) const {
  TimerState extended = *this;
  extended.deadline = calendar.deadline(deadline, limit);
  ++extended.approved_extensions;
  return extended;
}

TimerState start_timer(Timestamp now, TimeLimit limit, const WorkCalendar& calendar) {
  return TimerState{.started_at = now,
                    .limit = limit,
                    .deadline = calendar.deadline(now, limit),
                    .approved_extensions = 0,
                    .paused_at = std::nullopt};
}

std::string_view to_string(Light light) { return name_of(kLightNames, light); }

Light traffic_light(milliseconds elapsed, milliseconds limit) {
  if (elapsed >= limit) return Light::kRed;
  if (elapsed * 5 >= limit * 4) return Light::kYellow;
  return Light::kGreen;
}

milliseconds limit_with_extensions(const TimerState& timer, const WorkCalendar& calendar) {
  return (1 + timer.approved_extensions) * calendar.length_of(timer.limit);
}

milliseconds elapsed_at(const TimerState& timer, Timestamp now, const WorkCalendar& calendar) {
  const Timestamp at = timer.paused_at.value_or(now);
  const LimitUnit unit = timer.limit.unit;
  const milliseconds remaining = at <= timer.deadline ? calendar.measure(at, timer.deadline, unit)
                                                      : -calendar.measure(timer.deadline, at, unit);
  return limit_with_extensions(timer, calendar) - remaining;
}

Light light_at(const TimerState& timer, Timestamp now, const WorkCalendar& calendar) {
  return traffic_light(elapsed_at(timer, now, calendar), limit_with_extensions(timer, calendar));
}

bool is_overdue_at(const TimerState& timer, Timestamp now) {
  return timer.paused_at.value_or(now) > timer.deadline;
}

int escalation_level_at(const TimerState& timer, Timestamp now, const WorkCalendar& calendar) {
  const milliseconds elapsed = elapsed_at(timer, now, calendar);
  const milliseconds limit = limit_with_extensions(timer, calendar);
  if (elapsed >= 2 * limit) return 2;
  if (elapsed >= limit) return 1;
  return 0;
}

std::vector<int> escalation_levels_due(const TimerState& timer, int announced, Timestamp now,
                                       const WorkCalendar& calendar) {
  std::vector<int> levels;
  if (timer.is_paused()) return levels;
  const int reached = std::min(escalation_level_at(timer, now, calendar), kMaxEscalationLevel);
  for (int level = std::max(announced, 0) + 1; level <= reached; ++level) levels.push_back(level);
  return levels;
}

TimerOutcome timer_outcome(StageTimer timer, CaseAction ended_by, Timestamp ended_at,
                           Timestamp deadline) {
  switch (ended_by) {
    case CaseAction::kReject:
    case CaseAction::kMerge:
    case CaseAction::kReassign:
    case CaseAction::kWithdrawVerification:
      return TimerOutcome::kNotCounted;
    default:
      break;
  }
  const bool late = ended_at > deadline;
  if (timer == StageTimer::kHandling && ended_by == CaseAction::kReturn && !late) {
    return TimerOutcome::kNotCounted;
  }
  return late ? TimerOutcome::kLate : TimerOutcome::kOnTime;
}

std::string_view to_string(TimerOutcome outcome) { return name_of(kTimerOutcomeNames, outcome); }

std::optional<TimerOutcome> parse_timer_outcome(std::string_view text) {
  return value_named(kTimerOutcomeNames, text);
}

}  // namespace gridcase::domain
