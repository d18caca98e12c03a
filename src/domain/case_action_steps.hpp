#pragma once

// The steps of apply_action (domain/case.hpp), one responsibility each: refusals, the action's
// own effect, then what it does to the handling cycle and the stage timers.

#include <optional>
#include <string>

#include "gridcase/domain/case.hpp"

namespace gridcase::domain {

/// Throws the first refusal of `action` on `current`, in the order of domain.md §6 after 404:
/// roles 403, If-Match 412, state and guards 409 with allowed_actions, references 422, and a
/// handling cycle that cannot start (409). Returns normally when the action may be applied.
void refuse_unless_allowed(const CaseRecord& current, CaseAction action,
                           std::optional<CheckResult> check_result, const ActionInput& input,
                           const Actor& actor, std::optional<int> if_match,
                           const ActionReferences& references, Timestamp now);

/// What `action` itself changes on the case (`outcome.updated`, already a copy of `current`
/// with the next status and version) and the parameters its event records.
void apply_effect(CaseAction action, const CaseRecord& current, const ActionInput& input,
                  const ActionReferences& references, ActionOutcome& outcome);

/// What `action` does to the handling cycle (domain.md §7) and which stage-timer instances it
/// ends and starts, measured from `now` in `calendar`'s working time. A stage timer gets the
/// limit fixed on the case (`outcome.updated.stage_limits`), else `limits`.
void move_timers(CaseAction action, std::optional<CheckResult> check_result,
                 const CaseRecord& current, const StageLimits& limits, Timestamp now,
                 const WorkCalendar& calendar, ActionOutcome& outcome);

}  // namespace gridcase::domain
