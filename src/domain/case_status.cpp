#include "gridcase/domain/case_status.hpp"

#include <algorithm>
#include <array>

#include "gridcase/domain/enum_names.hpp"

namespace gridcase::domain {
namespace {

using A = CaseAction;
using R = Role;
using S = CaseStatus;

constexpr EnumNames<CaseStatus, 11> kCaseStatusNames{{
    {S::kReceived, "received"},
    {S::kVerifying, "verifying"},
    {S::kRegistered, "registered"},
    {S::kDispatched, "dispatched"},
    {S::kHandling, "handling"},
    {S::kSuspended, "suspended"},
    {S::kHandled, "handled"},
    {S::kResolved, "resolved"},
    {S::kReplied, "replied"},
    {S::kRejected, "rejected"},
    {S::kClosed, "closed"},
}};
static_assert(covers_every_value(kCaseStatusNames));
static_assert(lists_every_value(kAllCaseStatuses, kCaseStatusNames));

constexpr EnumNames<CaseAction, 26> kCaseActionNames{{
    {A::kReceive, "receive"},
    {A::kLocate, "locate"},
    {A::kRequestVerification, "request_verification"},
    {A::kVerify, "verify"},
    {A::kWithdrawVerification, "withdraw_verification"},
    {A::kRegister, "register"},
    {A::kReject, "reject"},
    {A::kDispatch, "dispatch"},
    {A::kAcknowledge, "acknowledge"},
    {A::kReturn, "return"},
    {A::kReassign, "reassign"},
    {A::kUrge, "urge"},
    {A::kRequestExtension, "request_extension"},
    {A::kApproveExtension, "approve_extension"},
    {A::kDenyExtension, "deny_extension"},
    {A::kRequestSuspension, "request_suspension"},
    {A::kSuspend, "suspend"},
    {A::kResume, "resume"},
    {A::kComplete, "complete"},
    {A::kCheck, "check"},
    {A::kRework, "rework"},
    {A::kReply, "reply"},
    {A::kClose, "close"},
    {A::kCallback, "callback"},
    {A::kReopen, "reopen"},
    {A::kMerge, "merge"},
}};
static_assert(covers_every_value(kCaseActionNames));
static_assert(lists_every_value(kAllCaseActions, kCaseActionNames));

constexpr EnumNames<Role, 9> kRoleNames{{
    {R::kOperator, "operator"},
    {R::kShiftLeader, "shift_leader"},
    {R::kDispatcher, "dispatcher"},
    {R::kUnit, "unit"},
    {R::kOfficer, "officer"},
    {R::kSupervisor, "supervisor"},
    {R::kIntegration, "integration"},
    {R::kAdmin, "admin"},
    {R::kSystem, "system"},
}};
static_assert(covers_every_value(kRoleNames));
static_assert(lists_every_value(kAllRoles, kRoleNames));

constexpr EnumNames<CheckResult, 2> kCheckResultNames{{
    {CheckResult::kPassed, "passed"},
    {CheckResult::kFailed, "failed"},
}};
static_assert(covers_every_value(kCheckResultNames));

constexpr RoleSet kOperator{R::kOperator};
constexpr RoleSet kShiftLeader{R::kShiftLeader};
constexpr RoleSet kDispatcher{R::kDispatcher};
constexpr RoleSet kUnit{R::kUnit};
constexpr RoleSet kOfficer{R::kOfficer};
constexpr RoleSet kReceivers{R::kOperator, R::kOfficer, R::kIntegration};
constexpr RoleSet kOperatorOrShiftLeader{R::kOperator, R::kShiftLeader};
constexpr RoleSet kUrgers{R::kDispatcher, R::kSupervisor};
constexpr RoleSet kResumers{R::kDispatcher, R::kSystem};
constexpr RoleSet kMergers{R::kShiftLeader, R::kDispatcher};

constexpr Transition row(std::optional<S> from, A action, S to, RoleSet roles) {
  return Transition{from, action, to, roles, std::nullopt};
}

// domain.md §6, one row per (from, action); "(same)" rows name their state twice.
constexpr std::array kTransitions{
    row(std::nullopt, A::kReceive, S::kReceived, kReceivers),
    row(S::kReceived, A::kLocate, S::kReceived, kOperator),
    row(S::kVerifying, A::kLocate, S::kVerifying, kOperator),
    row(S::kRegistered, A::kLocate, S::kRegistered, kOperator),
    row(S::kReceived, A::kRequestVerification, S::kVerifying, kOperator),
    row(S::kVerifying, A::kVerify, S::kReceived, kOfficer),
    row(S::kVerifying, A::kWithdrawVerification, S::kReceived, kOperator),
    row(S::kReceived, A::kRegister, S::kRegistered, kShiftLeader),
    row(S::kReceived, A::kReject, S::kRejected, kOperatorOrShiftLeader),
    row(S::kVerifying, A::kReject, S::kRejected, kOperatorOrShiftLeader),
    row(S::kRegistered, A::kReject, S::kRejected, kShiftLeader),
    row(S::kRegistered, A::kDispatch, S::kDispatched, kDispatcher),
    row(S::kDispatched, A::kAcknowledge, S::kHandling, kUnit),
    row(S::kDispatched, A::kReturn, S::kRegistered, kUnit),
    row(S::kHandling, A::kReturn, S::kRegistered, kUnit),
    row(S::kDispatched, A::kReassign, S::kDispatched, kDispatcher),
    row(S::kHandling, A::kReassign, S::kDispatched, kDispatcher),
    row(S::kDispatched, A::kUrge, S::kDispatched, kUrgers),
    row(S::kHandling, A::kUrge, S::kHandling, kUrgers),
    row(S::kHandling, A::kRequestExtension, S::kHandling, kUnit),
    row(S::kHandling, A::kApproveExtension, S::kHandling, kShiftLeader),
    row(S::kHandling, A::kDenyExtension, S::kHandling, kShiftLeader),
    row(S::kHandling, A::kRequestSuspension, S::kHandling, kUnit),
    row(S::kHandling, A::kSuspend, S::kSuspended, kDispatcher),
    row(S::kSuspended, A::kResume, S::kHandling, kResumers),
    row(S::kHandling, A::kComplete, S::kHandled, kUnit),
    Transition{S::kHandled, A::kCheck, S::kResolved, kOfficer, CheckResult::kPassed},
    Transition{S::kHandled, A::kCheck, S::kDispatched, kOfficer, CheckResult::kFailed},
    row(S::kHandled, A::kRework, S::kDispatched, kOperatorOrShiftLeader),
    row(S::kResolved, A::kRework, S::kDispatched, kOperatorOrShiftLeader),
    row(S::kResolved, A::kReply, S::kReplied, kOperator),
    row(S::kReplied, A::kClose, S::kClosed, kShiftLeader),
    row(S::kResolved, A::kClose, S::kClosed, kShiftLeader),  // guard: no reporter to answer
    row(S::kClosed, A::kCallback, S::kClosed, kOperator),
    row(S::kClosed, A::kReopen, S::kRegistered, kShiftLeader),
    row(S::kReceived, A::kMerge, S::kClosed, kMergers),
    row(S::kVerifying, A::kMerge, S::kClosed, kMergers),
    row(S::kRegistered, A::kMerge, S::kClosed, kMergers),
    row(S::kDispatched, A::kMerge, S::kClosed, kMergers),
    row(S::kHandling, A::kMerge, S::kClosed, kMergers),
    row(S::kSuspended, A::kMerge, S::kClosed, kMergers),
    row(S::kHandled, A::kMerge, S::kClosed, kMergers),
    row(S::kResolved, A::kMerge, S::kClosed, kMergers),
    row(S::kReplied, A::kMerge, S::kClosed, kMergers),
};

constexpr bool has_duplicate_rows() {
  for (std::size_t i = 0; i < kTransitions.size(); ++i) {
    for (std::size_t j = i + 1; j < kTransitions.size(); ++j) {
      const Transition& a = kTransitions[i];
      const Transition& b = kTransitions[j];
      if (a.from == b.from && a.action == b.action && a.check_result == b.check_result) {
        return true;
      }
    }
  }
  return false;
}
static_assert(!has_duplicate_rows(), "one row per (from, action, check result)");

std::optional<std::string> located_failure(const CaseFacts& facts) {
  if (!facts.located) return "the case has no location: locate it first";
  return std::nullopt;
}

std::optional<std::string> until_failure(std::optional<Timestamp> until, Timestamp now) {
  if (!until) return "a suspension needs an `until` date";
  if (*until <= now) return "`until` must be in the future";
  if (*until > latest_suspension_until(now)) return "`until` must be at most one year ahead";
  return std::nullopt;
}

}  // namespace

std::string_view to_string(CaseStatus status) { return name_of(kCaseStatusNames, status); }
std::string_view to_string(CaseAction action) { return name_of(kCaseActionNames, action); }
std::string_view to_string(Role role) { return name_of(kRoleNames, role); }
std::string_view to_string(CheckResult result) { return name_of(kCheckResultNames, result); }

std::optional<CaseStatus> parse_case_status(std::string_view text) {
  return value_named(kCaseStatusNames, text);
}

std::optional<CaseAction> parse_case_action(std::string_view text) {
  return value_named(kCaseActionNames, text);
}

std::optional<Role> parse_role(std::string_view text) { return value_named(kRoleNames, text); }

std::optional<CheckResult> parse_check_result(std::string_view text) {
  return value_named(kCheckResultNames, text);
}

bool is_open(CaseStatus status) { return status != S::kRejected && status != S::kClosed; }

std::vector<Role> RoleSet::roles() const {
  std::vector<Role> members;
  for (Role role : kAllRoles) {
    if (contains(role)) members.push_back(role);
  }
  return members;
}

std::span<const Transition> transitions() { return kTransitions; }

std::optional<CaseStatus> next_status(CaseStatus from, CaseAction action,
                                      std::optional<CheckResult> check_result) {
  for (const Transition& t : kTransitions) {
    if (t.from == from && t.action == action &&
        (!t.check_result || t.check_result == check_result)) {
      return t.to;
    }
  }
  return std::nullopt;
}

RoleSet roles_for(CaseAction action) {
  RoleSet roles;
  for (const Transition& t : kTransitions) {
    if (t.action == action) roles = roles | t.roles;
  }
  return roles;
}

RoleSet roles_for(std::optional<CaseStatus> from, CaseAction action) {
  RoleSet roles;
  for (const Transition& t : kTransitions) {
    if (t.from == from && t.action == action) roles = roles | t.roles;
  }
  return roles;
}

bool is_role_allowed(CaseAction action, RoleSet roles) {
  return roles_for(action).intersects(roles);
}

bool is_allowed(CaseStatus status, CaseAction action, RoleSet roles) {
  return roles_for(status, action).intersects(roles);
}

std::vector<CaseAction> allowed_actions(CaseStatus status, RoleSet roles) {
  std::vector<CaseAction> actions;
  for (CaseAction action : kAllCaseActions) {
    if (is_allowed(status, action, roles)) actions.push_back(action);
  }
  return actions;
}

Timestamp latest_suspension_until(Timestamp now) {
  using namespace std::chrono;
  const sys_days today = floor<days>(now);
  year_month_day next_year = year_month_day{today} + years{1};
  if (!next_year.ok()) next_year = next_year.year() / next_year.month() / last;
  return sys_days{next_year} + (now - today);
}

std::optional<std::string> guard_failure(CaseAction action, const CaseFacts& facts,
                                         const ActionParams& params, Timestamp now) {
  switch (action) {
    case A::kRegister:
    case A::kDispatch:
    case A::kRequestVerification:
      return located_failure(facts);
    case A::kRequestExtension:
      if (!facts.handling_deadline) return "the case has no handling deadline";
      if (now > *facts.handling_deadline) return "the handling deadline has already passed";
      if (facts.extension_pending) return "an extension request is already pending";
      if (facts.approved_extensions_this_cycle >= kMaxExtensionsPerCycle) {
        return "two extensions were already approved in this handling cycle";
      }
      return std::nullopt;
    case A::kApproveExtension:
    case A::kDenyExtension:
      if (!facts.extension_pending) return "no extension request is pending";
      return std::nullopt;
    case A::kRequestSuspension:
      return until_failure(params.until, now);
    case A::kSuspend:
      return until_failure(params.until ? params.until : facts.requested_suspension_until, now);
    case A::kClose:
      if (facts.status == S::kResolved && facts.has_reporter_to_answer) {
        return "a reporter (of the case or of a case merged into it) has not been answered: "
               "reply before closing";
      }
      return std::nullopt;
    case A::kCallback:
    case A::kReopen:
      if (facts.merged) return "a merged case takes no callback or reopen";
      return std::nullopt;
    case A::kMerge:
      if (params.merge_target_is_self) return "a case cannot be merged into itself";
      if (params.merge_target_status && !is_open(*params.merge_target_status)) {
        return "the original case is not open";
      }
      return std::nullopt;
    case A::kReceive:
    case A::kLocate:
    case A::kVerify:
    case A::kWithdrawVerification:
    case A::kReject:
    case A::kAcknowledge:
    case A::kReturn:
    case A::kReassign:
    case A::kUrge:
    case A::kResume:
    case A::kComplete:
    case A::kCheck:
    case A::kRework:
    case A::kReply:
      return std::nullopt;
  }
  return std::nullopt;
}

}  // namespace gridcase::domain
