#include <string>

#include "case_action_steps.hpp"
#include "gridcase/domain/time_text.hpp"

namespace gridcase::domain {
namespace {

/// Records `key` in the event when `value` is there.
void record(ActionOutcome& outcome, const char* key, const std::optional<std::string>& value) {
  if (value) outcome.event_params.emplace_back(key, *value);
}

/// A unit's pending extension and suspension requests belong to the handling instance that made
/// them: `complete`, `return`, `dispatch` and `reassign` end it, and the requests with it, so a
/// later handling instance (after a failed check or a rework) starts with none pending.
void end_requests(CaseRecord& updated) {
  updated.extension_pending = false;
  updated.suspension_requested_until.reset();
}

}  // namespace

void apply_effect(CaseAction action, const CaseRecord& current, const ActionInput& input,
                  const ActionReferences& references, ActionOutcome& outcome) {
  using A = CaseAction;
  CaseRecord& updated = outcome.updated;
  record(outcome, "reason", input.reason);
  record(outcome, "result", input.result);
  // No default: -Wswitch names an action added to CaseAction without its effect here.
  switch (action) {
    case A::kLocate:
      if (references.located_cell) updated.cell_code = references.located_cell;
      record(outcome, "cell", references.located_cell);
      record(outcome, "address", input.address);
      break;
    case A::kRegister:
      updated.category_key = input.category;
      updated.condition_id = input.condition;
      updated.handling_limit = references.condition_limit;
      updated.stage_limits = references.stage_limits;  // the case keeps them (issue 14)
      record(outcome, "category", input.category);
      record(outcome, "condition", input.condition);
      break;
    case A::kReject:
      updated.outcome = CaseOutcome::kRejected;
      break;
    case A::kDispatch:
    case A::kReassign:
      updated.unit_code = input.unit;
      updated.assignee = input.assignee;
      end_requests(updated);
      record(outcome, "unit", input.unit);
      record(outcome, "assignee", input.assignee);
      record(outcome, "suggestion", references.suggestion);
      break;
    case A::kAcknowledge:  // an assignee named on acknowledging replaces the dispatcher's choice
      if (input.assignee) {
        updated.assignee = input.assignee;
        record(outcome, "assignee", input.assignee);
      }
      break;
    case A::kReturn:
      updated.unit_code.reset();
      updated.assignee.reset();
      end_requests(updated);
      break;
    case A::kComplete:
      end_requests(updated);
      break;
    case A::kUrge:
      updated.escalation_level = current.escalation_level + 1;
      record(outcome, "level", std::to_string(updated.escalation_level));
      break;
    case A::kRequestExtension:
      updated.extension_pending = true;
      break;
    case A::kDenyExtension:
      updated.extension_pending = false;
      break;
    case A::kRequestSuspension:
      updated.suspension_requested_until = input.until;
      record(outcome, "until", format_rfc3339(*input.until));
      break;
    case A::kSuspend:
      updated.suspended_until = input.until ? input.until : current.suspension_requested_until;
      updated.suspension_requested_until.reset();
      record(outcome, "until", format_rfc3339(*updated.suspended_until));
      break;
    case A::kResume:
      updated.suspended_until.reset();
      break;
    case A::kCheck:
    case A::kRework:
      if (updated.status == CaseStatus::kDispatched)
        updated.rework_count = current.rework_count + 1;
      break;
    case A::kClose:
      if (!updated.outcome) updated.outcome = CaseOutcome::kResolved;
      break;
    case A::kCallback:
      if (input.reached) record(outcome, "reached", *input.reached ? "true" : "false");
      record(outcome, "satisfaction", input.satisfaction);
      break;
    case A::kReopen:
      updated.outcome.reset();
      updated.unit_code.reset();
      updated.assignee.reset();
      updated.escalation_level = 0;
      break;
    case A::kMerge:
      updated.outcome = CaseOutcome::kMerged;
      record(outcome, "into", input.into);
      break;
    // The approval's effect is the moved deadline (move_timers); the others change only the
    // status, or nothing a case record keeps.
    case A::kReceive:
    case A::kVerify:
    case A::kRequestVerification:
    case A::kWithdrawVerification:
    case A::kApproveExtension:
    case A::kReply:
      break;
  }
}

}  // namespace gridcase::domain
