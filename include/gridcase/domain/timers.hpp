#pragma once

#include <chrono>
#include <map>
#include <optional>
#include <string_view>
#include <vector>

#include "gridcase/domain/calendar.hpp"
#include "gridcase/domain/case_status.hpp"
#include "gridcase/domain/time.hpp"
#include "gridcase/domain/time_limit.hpp"

namespace gridcase::domain {

/// The stage timers of domain.md §7.
enum class StageTimer {
  kVerification,     // verifying
  kRegistration,     // received
  kDispatch,         // registered
  kAcknowledgement,  // dispatched
  kHandling,         // dispatched, handling, suspended (paused): one handling cycle
  kCheck,            // handled
  kClose,            // resolved, replied
};

inline constexpr StageTimer kAllStageTimers[] = {
    StageTimer::kVerification, StageTimer::kRegistration,
    StageTimer::kDispatch,     StageTimer::kAcknowledgement,
    StageTimer::kHandling,     StageTimer::kCheck,
    StageTimer::kClose};

std::string_view to_string(StageTimer timer);
std::optional<StageTimer> parse_stage_timer(std::string_view text);

/// The demo default limit: 1 work_hour, 2 for check; nullopt for handling, whose limit is the
/// filing condition's.
std::optional<TimeLimit> default_limit(StageTimer timer);

/// The limits of the stage timers other than handling (domain.md §7): a deployment's default
/// (config `time_limits`), and on a registered case the limits fixed at `register` from that
/// default and its category's overrides.
struct StageLimits {
  /// Every timer but handling; the demo defaults unless set.
  std::map<StageTimer, TimeLimit> limits = demo_stage_limits();

  /// The limit of `timer`; for handling (which has none here) the demo's 1 work_hour.
  TimeLimit of(StageTimer timer) const;
  /// These limits with `overrides` in place of theirs.
  [[nodiscard]] StageLimits overridden_by(const std::map<StageTimer, TimeLimit>& overrides) const;

  static std::map<StageTimer, TimeLimit> demo_stage_limits();
  friend bool operator==(const StageLimits&, const StageLimits&) = default;
};

/// The timers a category may override: those that can start once a case is registered
/// (dispatch, acknowledgement, check, close). Verification and registration run before a case
/// has a category.
bool is_category_overridable(StageTimer timer);

/// The timers that run (handling: or stand paused) while a case is in `status`.
std::vector<StageTimer> timers_for(CaseStatus status);

/// Timer instances an action ends and starts. A timer of both the old and the new status keeps
/// running, except that `reassign` ends and restarts all of them (a new unit, a fresh cycle).
struct TimerChanges {
  std::vector<StageTimer> ended;
  std::vector<StageTimer> started;
  friend bool operator==(const TimerChanges&, const TimerChanges&) = default;
};

/// `from` is nullopt for `receive`.
TimerChanges timer_changes(std::optional<CaseStatus> from, CaseAction action, CaseStatus to);

/// What an action does to the case's handling cycle (domain.md §7, "Handling cycles").
enum class CycleEffect {
  kNone,
  kStartFresh,  // dispatch, reassign: a new cycle, deadline from now
  kReenter,     // rework, failed check: the same cycle and deadline, a new handling instance
  kPause,       // suspend
  kResume,      // resume: the deadline moves by the paused time
  kExtend,      // approve_extension: one original period more
  kStop,        // complete: the instance ends; the cycle is kept for a rework
  kEnd,         // return, reopen, merge: the cycle is over
};

CycleEffect cycle_effect(CaseAction action, std::optional<CheckResult> check_result = std::nullopt);

/// One running stage-timer instance. For the handling timer this is the handling cycle: its
/// deadline carries approved extensions and finished pauses; the other timers never pause or
/// extend. Deadlines are computed once and stored: later calendar edits do not move them.
struct TimerState {
  Timestamp started_at;
  TimeLimit limit;  // the original limit: one "period" of an extension
  Timestamp deadline;
  int approved_extensions = 0;
  std::optional<Timestamp> paused_at;  // set while the case is suspended

  bool is_paused() const { return paused_at.has_value(); }

  /// Pauses at `now`; a paused timer stays paused from its first pause.
  [[nodiscard]] TimerState on_suspend(Timestamp now) const;
  /// Continues, with the deadline moved by the paused time as the limit's unit counts it
  /// (wall time for urgent_hour and natural_day, working time for work_hour and work_day).
  /// A timer that is not paused is returned unchanged.
  [[nodiscard]] TimerState on_resume(Timestamp now, const WorkCalendar& calendar) const;
  /// Adds one original period to the deadline in force: calendar.deadline(deadline, limit).
  [[nodiscard]] TimerState on_extension_approved(const WorkCalendar& calendar) const;

  friend bool operator==(const TimerState&, const TimerState&) = default;
};

/// A timer instance started at `now` with deadline calendar.deadline(now, limit).
TimerState start_timer(Timestamp now, TimeLimit limit, const WorkCalendar& calendar);

enum class Light { kGreen, kYellow, kRed };

std::string_view to_string(Light light);

/// Green while elapsed < 80% of limit, yellow from 80% until the limit, red at and after it.
/// Both are in the same scale (wall or working milliseconds), so the ratio is the one in the
/// limit's unit. Exact integer arithmetic: 48 of 60 minutes is yellow.
Light traffic_light(std::chrono::milliseconds elapsed, std::chrono::milliseconds limit);

/// The timer's time used at `now` as its limit's unit counts it, extensions added and
/// suspended time left out (a paused timer is frozen at its pause): the limit with its
/// extensions less what remains until the deadline. Negative remainders count as overrun.
std::chrono::milliseconds elapsed_at(const TimerState& timer, Timestamp now,
                                     const WorkCalendar& calendar);

/// The limit with its approved extensions, in the scale of elapsed_at.
std::chrono::milliseconds limit_with_extensions(const TimerState& timer,
                                                const WorkCalendar& calendar);

/// traffic_light(elapsed_at(...), limit_with_extensions(...)).
Light light_at(const TimerState& timer, Timestamp now, const WorkCalendar& calendar);

/// True once the deadline has passed (strictly after it; a paused timer is judged at its
/// pause): the moment one `overdue` event is due.
bool is_overdue_at(const TimerState& timer, Timestamp now);

/// 0, or 1 once the timer is red, or 2 once it has used twice its limit (extensions added):
/// the `escalated` levels of domain.md §6 (for the handling timer).
int escalation_level_at(const TimerState& timer, Timestamp now, const WorkCalendar& calendar);

/// The highest `escalated` level there is (level 2: the district is notified).
inline constexpr int kMaxEscalationLevel = 2;

/// The `escalated` levels to announce at `now` for a handling timer that has announced every
/// level up to `announced` already: each level above it up to escalation_level_at, in order
/// (both 1 and 2 when the scheduler first sees a timer past twice its limit). Empty for a
/// paused timer: a suspended case is parked, not late.
std::vector<int> escalation_levels_due(const TimerState& timer, int announced, Timestamp now,
                                       const WorkCalendar& calendar);

/// How an ended timer instance counts in the on-time rates.
enum class TimerOutcome { kOnTime, kLate, kNotCounted };

/// "on_time", "late", "not_counted": how case_timers.outcome stores it.
std::string_view to_string(TimerOutcome outcome);
std::optional<TimerOutcome> parse_timer_outcome(std::string_view text);

/// On time when it ended at or before its deadline, late after it; except: an instance ended
/// by reject, merge, reassign or withdraw_verification is not counted, and a handling instance
/// ended by return counts only if late (a prompt return is not "handled on time").
TimerOutcome timer_outcome(StageTimer timer, CaseAction ended_by, Timestamp ended_at,
                           Timestamp deadline);

}  // namespace gridcase::domain
