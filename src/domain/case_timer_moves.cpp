#include <algorithm>

#include "case_action_steps.hpp"
#include "gridcase/domain/time_text.hpp"

namespace gridcase::domain {
namespace {

/// The handling cycle (domain.md §7): a fresh one, a pause, a resume, an extension, its end.
void move_cycle(CycleEffect effect, const CaseRecord& current, Timestamp now,
                const WorkCalendar& calendar, ActionOutcome& outcome) {
  CaseRecord& updated = outcome.updated;
  switch (effect) {
    case CycleEffect::kStartFresh:
      updated.last_cycle =
          std::max(current.last_cycle, current.cycle ? current.cycle->number : 0) + 1;
      updated.cycle =
          HandlingCycle{updated.last_cycle, start_timer(now, *current.handling_limit, calendar)};
      break;
    case CycleEffect::kPause:
      updated.cycle->state = current.cycle->state.on_suspend(now);
      outcome.handling_deadline_moved = updated.cycle->state.deadline;
      break;
    case CycleEffect::kResume:
      updated.cycle->state = current.cycle->state.on_resume(now, calendar);
      outcome.handling_deadline_moved = updated.cycle->state.deadline;
      break;
    case CycleEffect::kExtend:
      updated.extension_pending = false;
      updated.cycle->state = current.cycle->state.on_extension_approved(calendar);
      outcome.handling_deadline_moved = updated.cycle->state.deadline;
      outcome.event_params.emplace_back("deadline", format_rfc3339(updated.cycle->state.deadline));
      break;
    case CycleEffect::kEnd:
      updated.cycle.reset();
      break;
    case CycleEffect::kReenter:
    case CycleEffect::kStop:
    case CycleEffect::kNone:
      break;
  }
}

}  // namespace

void move_timers(CaseAction action, std::optional<CheckResult> check_result,
                 const CaseRecord& current, const StageLimits& limits, Timestamp now,
                 const WorkCalendar& calendar, ActionOutcome& outcome) {
  move_cycle(cycle_effect(action, check_result), current, now, calendar, outcome);
  const CaseRecord& updated = outcome.updated;
  const TimerChanges changes = timer_changes(current.status, action, updated.status);
  for (const OpenTimer& timer : current.timers) {
    if (std::find(changes.ended.begin(), changes.ended.end(), timer.timer) != changes.ended.end()) {
      outcome.ended.push_back(
          {timer.id, timer.timer, timer_outcome(timer.timer, action, now, timer.deadline)});
    }
  }
  for (StageTimer timer : changes.started) {
    if (timer == StageTimer::kHandling) {
      const HandlingCycle& cycle = *updated.cycle;
      outcome.started.push_back({timer, cycle.state.deadline, cycle.state.limit, cycle.number});
    } else {
      const TimeLimit limit =
          updated.stage_limits ? updated.stage_limits->of(timer) : limits.of(timer);
      outcome.started.push_back({timer, calendar.deadline(now, limit), limit, 0});
    }
  }
}

}  // namespace gridcase::domain
