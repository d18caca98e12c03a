#include <string>
#include <vector>

#include "case_action_steps.hpp"
#include "gridcase/domain/access.hpp"

namespace gridcase::domain {
namespace {

[[noreturn]] void refuse(ErrorCode code, const std::string& message,
                         std::vector<std::string> allowed = {}) {
  throw Error(code, message, {.allowed_actions = std::move(allowed)});
}

std::vector<std::string> allowed_names(CaseStatus status, RoleSet roles) {
  std::vector<std::string> names;
  for (CaseAction action : allowed_actions(status, roles)) names.emplace_back(to_string(action));
  return names;
}

/// The case as the guards of the transition table read it.
CaseFacts facts_of(const CaseRecord& current) {
  std::optional<Timestamp> handling_deadline;
  for (const OpenTimer& timer : current.timers) {
    if (timer.timer == StageTimer::kHandling) handling_deadline = timer.deadline;
  }
  if (current.cycle && !handling_deadline) handling_deadline = current.cycle->state.deadline;
  return CaseFacts{.status = current.status,
                   .located = current.cell_code.has_value(),
                   .has_reporter_to_answer = current.reporter_to_answer,
                   .merged = current.outcome == CaseOutcome::kMerged,
                   .extension_pending = current.extension_pending,
                   .approved_extensions_this_cycle =
                       current.cycle ? current.cycle->state.approved_extensions : 0,
                   .handling_deadline = handling_deadline,
                   .requested_suspension_until = current.suspension_requested_until};
}

/// `register`'s category and condition: known to the catalogue, and not retired (422).
void refuse_unless_filable(const ActionInput& input, const ActionReferences& references) {
  const std::string category = input.category.value_or("");
  if (!references.category_known) throw_invalid("category", "no such category: " + category);
  if (!references.category_current) {
    throw_invalid("category",
                  "category " + category + " is retired: new cases are not filed under it");
  }
  if (!references.condition_limit) {
    throw_invalid("condition", "no such filing condition in category " + category);
  }
  if (!references.condition_current) {
    throw_invalid("condition", "filing condition " + input.condition.value_or("") +
                                   " is retired: new cases are not filed under it");
  }
}

}  // namespace

void refuse_unless_allowed(const CaseRecord& current, CaseAction action,
                           std::optional<CheckResult> check_result, const ActionInput& input,
                           const Actor& actor, std::optional<int> if_match,
                           const ActionReferences& references, Timestamp now) {
  using A = CaseAction;
  require_role_for(action, actor.roles);
  if (if_match && *if_match != current.version) {
    throw Error(
        ErrorCode::kPreconditionFailed,
        "the case has changed (version " + std::to_string(current.version) + "); read it again");
  }
  if (!is_allowed(current.status, action, actor.roles)) {
    refuse(ErrorCode::kInvalidTransition,
           std::string(to_string(action)) + " is not allowed while the case is " +
               std::string(to_string(current.status)),
           allowed_names(current.status, actor.roles));
  }
  if (action == A::kMerge && !references.merge_target_status && !references.merge_target_is_self) {
    throw_invalid("into", "no such case");
  }
  const ActionParams params{.until = input.until,
                            .merge_target_status = references.merge_target_status,
                            .merge_target_is_self = references.merge_target_is_self};
  if (std::optional<std::string> reason = guard_failure(action, facts_of(current), params, now)) {
    refuse(ErrorCode::kInvalidTransition, *reason, allowed_names(current.status, actor.roles));
  }
  require_sensible(action, input);
  if ((action == A::kDispatch || action == A::kReassign) && !references.unit_exists) {
    throw_invalid("unit", "no such unit, or it is inactive");
  }
  if ((action == A::kDispatch || action == A::kReassign) && references.unit_scope &&
      !may_send_to_unit(actor, *references.unit_scope, current.cell_code)) {
    throw_invalid("unit", "the unit serves no part of the grid that holds the case's cell");
  }
  if ((action == A::kDispatch || action == A::kReassign || action == A::kAcknowledge) &&
      !references.assignee_is_staff) {
    const std::string unit =
        action == A::kAcknowledge ? current.unit_code.value_or("") : input.unit.value_or("");
    throw_invalid("assignee",
                  "not an active staff account of the unit (role unit, scope unit:" + unit + ")");
  }
  if (action == A::kRegister) refuse_unless_filable(input, references);
  if (action == A::kLocate && input.point && !references.located_in_scope) {
    refuse_point_outside_scope();
  }
  if (action == A::kLocate && input.point && !references.located_cell) {
    throw_invalid("lon", "the point lies outside every grid cell");
  }
  if (cycle_effect(action, check_result) == CycleEffect::kStartFresh && !current.handling_limit) {
    refuse(ErrorCode::kInvalidTransition, "the case has no filing condition: register it first",
           allowed_names(current.status, actor.roles));
  }
}

}  // namespace gridcase::domain
