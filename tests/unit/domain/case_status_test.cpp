#include "gridcase/domain/case_status.hpp"

#include <gtest/gtest.h>

#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <tuple>
#include <vector>

namespace gridcase::domain {
namespace {

using namespace std::chrono_literals;

// An independent copy of domain.md §6, written as its strings. "(same)" keeps the state; the
// check row lists the passed outcome first and the failed one second.
struct DomainRow {
  std::vector<std::string> from;  // empty: the case does not exist yet
  std::string action;
  std::vector<std::string> to;
  std::vector<std::string> who;
};

const std::vector<std::string> kOpen = {"received",   "verifying", "registered",
                                        "dispatched", "handling",  "suspended",
                                        "handled",    "resolved",  "replied"};

const std::vector<DomainRow> kDomainTable = {
    {{}, "receive", {"received"}, {"operator", "officer", "integration"}},
    {{"received", "verifying", "registered"}, "locate", {"(same)"}, {"operator"}},
    {{"received"}, "request_verification", {"verifying"}, {"operator"}},
    {{"verifying"}, "verify", {"received"}, {"officer"}},
    {{"verifying"}, "withdraw_verification", {"received"}, {"operator"}},
    {{"received"}, "register", {"registered"}, {"shift_leader"}},
    {{"received", "verifying"}, "reject", {"rejected"}, {"operator", "shift_leader"}},
    {{"registered"}, "reject", {"rejected"}, {"shift_leader"}},
    {{"registered"}, "dispatch", {"dispatched"}, {"dispatcher"}},
    {{"dispatched"}, "acknowledge", {"handling"}, {"unit"}},
    {{"dispatched", "handling"}, "return", {"registered"}, {"unit"}},
    {{"dispatched", "handling"}, "reassign", {"dispatched"}, {"dispatcher"}},
    {{"dispatched", "handling"}, "urge", {"(same)"}, {"dispatcher", "supervisor"}},
    {{"handling"}, "request_extension", {"handling"}, {"unit"}},
    {{"handling"}, "approve_extension", {"handling"}, {"shift_leader"}},
    {{"handling"}, "deny_extension", {"handling"}, {"shift_leader"}},
    {{"handling"}, "request_suspension", {"handling"}, {"unit"}},
    {{"handling"}, "suspend", {"suspended"}, {"dispatcher"}},
    {{"suspended"}, "resume", {"handling"}, {"dispatcher", "system"}},
    {{"handling"}, "complete", {"handled"}, {"unit"}},
    {{"handled"}, "check", {"resolved", "dispatched"}, {"officer"}},
    {{"handled", "resolved"}, "rework", {"dispatched"}, {"operator", "shift_leader"}},
    {{"resolved"}, "reply", {"replied"}, {"operator"}},
    {{"replied", "resolved"}, "close", {"closed"}, {"shift_leader"}},
    {{"closed"}, "callback", {"closed"}, {"operator"}},
    {{"closed"}, "reopen", {"registered"}, {"shift_leader"}},
    {kOpen, "merge", {"closed"}, {"shift_leader", "dispatcher"}},
};

struct Expected {
  std::vector<CaseStatus> to;  // two entries for check: passed, failed
  RoleSet roles;
};

using Key = std::pair<std::optional<CaseStatus>, CaseAction>;

CaseStatus status_named(const std::string& name) {
  const std::optional<CaseStatus> status = parse_case_status(name);
  EXPECT_TRUE(status) << name;
  return status.value_or(CaseStatus::kReceived);
}

std::map<Key, Expected> expand(const std::vector<DomainRow>& rows) {
  std::map<Key, Expected> expected;
  for (const DomainRow& row : rows) {
    const std::optional<CaseAction> action = parse_case_action(row.action);
    EXPECT_TRUE(action) << row.action;
    RoleSet roles;
    for (const std::string& name : row.who) {
      const std::optional<Role> role = parse_role(name);
      EXPECT_TRUE(role) << name;
      if (role) roles.insert(*role);
    }
    std::vector<std::optional<CaseStatus>> froms;
    for (const std::string& name : row.from) froms.emplace_back(status_named(name));
    if (froms.empty()) froms.emplace_back(std::nullopt);
    for (const std::optional<CaseStatus>& from : froms) {
      Expected entry{{}, roles};
      for (const std::string& name : row.to) {
        entry.to.push_back(name == "(same)" ? from.value_or(CaseStatus::kReceived)
                                            : status_named(name));
      }
      const bool inserted = expected.emplace(Key{from, *action}, entry).second;
      EXPECT_TRUE(inserted) << "duplicate row " << row.action;
    }
  }
  return expected;
}

TEST(CaseStatusTest, EveryStatusAndActionPairIsAllowedExactlyWhenDomainTableHasIt) {
  const std::map<Key, Expected> expected = expand(kDomainTable);

  for (CaseStatus status : kAllCaseStatuses) {
    for (CaseAction action : kAllCaseActions) {
      const auto row = expected.find(Key{status, action});
      SCOPED_TRACE(std::string(to_string(status)) + " × " + std::string(to_string(action)));

      EXPECT_EQ(!roles_for(status, action).empty(), row != expected.end());
      if (row == expected.end()) {
        EXPECT_EQ(next_status(status, action, CheckResult::kPassed), std::nullopt);
        EXPECT_EQ(next_status(status, action, CheckResult::kFailed), std::nullopt);
        EXPECT_TRUE(roles_for(status, action).empty());
      } else if (action == CaseAction::kCheck) {
        EXPECT_EQ(next_status(status, action, CheckResult::kPassed), row->second.to.at(0));
        EXPECT_EQ(next_status(status, action, CheckResult::kFailed), row->second.to.at(1));
        EXPECT_EQ(roles_for(status, action), row->second.roles);
      } else {
        EXPECT_EQ(next_status(status, action), row->second.to.at(0));
        EXPECT_EQ(roles_for(status, action), row->second.roles);
      }
    }
  }
}

TEST(CaseStatusTest, TableHasNoRowBeyondTheDomainTable) {
  const std::map<Key, Expected> expected = expand(kDomainTable);
  std::size_t expected_rows = 0;
  for (const auto& [key, entry] : expected) expected_rows += entry.to.size();

  const std::span<const Transition> rows = transitions();

  EXPECT_EQ(rows.size(), expected_rows);
  for (const Transition& row : rows) {
    EXPECT_TRUE(expected.contains(Key{row.from, row.action})) << to_string(row.action);
  }
}

TEST(CaseStatusTest, ReceiveCreatesACaseInReceivedAndIsNoMoveOfAnExistingCase) {
  const RoleSet receivers = roles_for(std::nullopt, CaseAction::kReceive);

  EXPECT_EQ(kInitialStatus, CaseStatus::kReceived);
  EXPECT_EQ(receivers, (RoleSet{Role::kOperator, Role::kOfficer, Role::kIntegration}));
  for (CaseStatus status : kAllCaseStatuses) {
    EXPECT_TRUE(roles_for(status, CaseAction::kReceive).empty()) << to_string(status);
  }
}

TEST(CaseStatusTest, CheckWithoutAResultHasNoNextStatus) {
  EXPECT_FALSE(roles_for(CaseStatus::kHandled, CaseAction::kCheck).empty());
  EXPECT_EQ(next_status(CaseStatus::kHandled, CaseAction::kCheck), std::nullopt);
}

TEST(CaseStatusTest, CheckPassedResolvesAndCheckFailedGoesBackToDispatched) {
  EXPECT_EQ(next_status(CaseStatus::kHandled, CaseAction::kCheck, CheckResult::kPassed),
            CaseStatus::kResolved);
  EXPECT_EQ(next_status(CaseStatus::kHandled, CaseAction::kCheck, CheckResult::kFailed),
            CaseStatus::kDispatched);
}

TEST(CaseStatusTest, MergeIsAllowedFromEveryOpenStateAndFromNoFinalOne) {
  for (CaseStatus status : kAllCaseStatuses) {
    EXPECT_EQ(!roles_for(status, CaseAction::kMerge).empty(), is_open(status)) << to_string(status);
  }
}

TEST(CaseStatusTest, OnlyRejectedAndClosedAreNotOpen) {
  std::vector<CaseStatus> final_states;

  for (CaseStatus status : kAllCaseStatuses) {
    if (!is_open(status)) final_states.push_back(status);
  }

  EXPECT_EQ(final_states, (std::vector{CaseStatus::kRejected, CaseStatus::kClosed}));
}

TEST(CaseStatusTest, EveryEnumeratorRoundTripsThroughItsString) {
  for (CaseStatus status : kAllCaseStatuses)
    EXPECT_EQ(parse_case_status(to_string(status)), status);
  for (CaseAction action : kAllCaseActions) EXPECT_EQ(parse_case_action(to_string(action)), action);
  for (Role role : kAllRoles) EXPECT_EQ(parse_role(to_string(role)), role);
  for (CheckResult result : {CheckResult::kPassed, CheckResult::kFailed}) {
    EXPECT_EQ(parse_check_result(to_string(result)), result);
  }
}

TEST(CaseStatusTest, StringsAreTheLowercaseNamesOfTheDomainReference) {
  EXPECT_EQ(to_string(CaseAction::kReturn), "return");
  EXPECT_EQ(to_string(CaseAction::kRequestVerification), "request_verification");
  EXPECT_EQ(to_string(CaseAction::kWithdrawVerification), "withdraw_verification");
  EXPECT_EQ(to_string(CaseStatus::kSuspended), "suspended");
  EXPECT_EQ(to_string(Role::kShiftLeader), "shift_leader");
  EXPECT_EQ(to_string(CheckResult::kFailed), "failed");
}

TEST(CaseStatusTest, UnknownOrMiscasedStringsDoNotParse) {
  EXPECT_EQ(parse_case_status("Received"), std::nullopt);
  EXPECT_EQ(parse_case_action("kReturn"), std::nullopt);
  EXPECT_EQ(parse_role(""), std::nullopt);
  EXPECT_EQ(parse_check_result("ok"), std::nullopt);
}

TEST(CaseStatusTest, AStringIsUsedByOneEnumeratorOnly) {
  std::set<std::string_view> names;

  for (CaseAction action : kAllCaseActions) names.insert(to_string(action));

  EXPECT_EQ(names.size(), std::size(kAllCaseActions));
}

TEST(CaseRoleTest, RoleThatMayNeverDoAnActionIsRefused) {
  EXPECT_FALSE(is_role_allowed(CaseAction::kRegister, {Role::kOperator}));
  EXPECT_FALSE(is_role_allowed(CaseAction::kDispatch, {Role::kShiftLeader}));
  EXPECT_FALSE(is_role_allowed(CaseAction::kComplete, {Role::kDispatcher}));
  EXPECT_FALSE(is_role_allowed(CaseAction::kResume, {Role::kUnit}));
  EXPECT_TRUE(is_role_allowed(CaseAction::kRegister, {Role::kOperator, Role::kShiftLeader}));
}

TEST(CaseRoleTest, OperatorMayRejectBeforeRegistrationButOnlyShiftLeaderAfter) {
  EXPECT_TRUE(is_role_allowed(CaseAction::kReject, {Role::kOperator}));
  EXPECT_TRUE(is_allowed(CaseStatus::kReceived, CaseAction::kReject, {Role::kOperator}));
  EXPECT_TRUE(is_allowed(CaseStatus::kVerifying, CaseAction::kReject, {Role::kOperator}));
  EXPECT_FALSE(is_allowed(CaseStatus::kRegistered, CaseAction::kReject, {Role::kOperator}));
  EXPECT_TRUE(is_allowed(CaseStatus::kRegistered, CaseAction::kReject, {Role::kShiftLeader}));
}

TEST(CaseRoleTest, SystemMayOnlyResume) {
  std::vector<CaseAction> actions;

  for (CaseAction action : kAllCaseActions) {
    if (is_role_allowed(action, {Role::kSystem})) actions.push_back(action);
  }

  EXPECT_EQ(actions, std::vector{CaseAction::kResume});
}

TEST(CaseRoleTest, IntegrationMayOnlyReceiveAndAdminMayDoNoCaseAction) {
  for (CaseAction action : kAllCaseActions) {
    EXPECT_EQ(is_role_allowed(action, {Role::kIntegration}), action == CaseAction::kReceive);
    EXPECT_FALSE(is_role_allowed(action, {Role::kAdmin})) << to_string(action);
  }
}

TEST(CaseRoleTest, SupervisorMayOnlyUrge) {
  EXPECT_EQ(allowed_actions(CaseStatus::kHandling, {Role::kSupervisor}),
            std::vector{CaseAction::kUrge});
  EXPECT_TRUE(allowed_actions(CaseStatus::kSuspended, {Role::kSupervisor}).empty());
}

TEST(CaseRoleTest, AllowedActionsListWhatTheUnitMayDoWhileHandling) {
  const std::vector<CaseAction> actions = allowed_actions(CaseStatus::kHandling, {Role::kUnit});

  EXPECT_EQ(actions, (std::vector{CaseAction::kReturn, CaseAction::kRequestExtension,
                                  CaseAction::kRequestSuspension, CaseAction::kComplete}));
}

TEST(CaseRoleTest, AllowedActionsJoinTheCallersRoles) {
  const std::vector<CaseAction> actions =
      allowed_actions(CaseStatus::kDispatched, {Role::kDispatcher, Role::kUnit});

  EXPECT_EQ(actions, (std::vector{CaseAction::kAcknowledge, CaseAction::kReturn,
                                  CaseAction::kReassign, CaseAction::kUrge, CaseAction::kMerge}));
}

TEST(CaseRoleTest, RoleSetBuiltFromAListHoldsExactlyItsMembers) {
  const std::vector<Role> held = {Role::kUnit, Role::kOperator, Role::kUnit};

  const RoleSet roles{std::span<const Role>(held)};

  EXPECT_EQ(roles.roles(), (std::vector{Role::kOperator, Role::kUnit}));
  EXPECT_TRUE(roles.contains(Role::kUnit));
  EXPECT_FALSE(roles.contains(Role::kAdmin));
  EXPECT_TRUE(RoleSet{}.empty());
}

// ---- guards ----

const Timestamp kNow = std::chrono::sys_days{std::chrono::November / 25 / 2026} + 2h;

ActionParams with_until(Timestamp until) {
  ActionParams params;
  params.until = until;
  return params;
}

ActionParams merging_into(CaseStatus original, bool is_self = false) {
  ActionParams params;
  params.merge_target_status = original;
  params.merge_target_is_self = is_self;
  return params;
}

CaseFacts handling_case() {
  CaseFacts facts;
  facts.status = CaseStatus::kHandling;
  facts.located = true;
  facts.has_reporter_to_answer = true;
  facts.handling_deadline = kNow + 4h;
  return facts;
}

TEST(CaseGuardTest, RegisterDispatchAndVerificationNeedALocatedCase) {
  CaseFacts unlocated;
  unlocated.located = false;
  CaseFacts located;
  located.located = true;

  for (CaseAction action :
       {CaseAction::kRegister, CaseAction::kDispatch, CaseAction::kRequestVerification}) {
    EXPECT_NE(guard_failure(action, unlocated, {}, kNow), std::nullopt) << to_string(action);
    EXPECT_EQ(guard_failure(action, located, {}, kNow), std::nullopt) << to_string(action);
  }
}

TEST(CaseGuardTest, UnlocatedCaseMayStillBeRejectedOrLocated) {
  const CaseFacts unlocated;

  EXPECT_EQ(guard_failure(CaseAction::kReject, unlocated, {}, kNow), std::nullopt);
  EXPECT_EQ(guard_failure(CaseAction::kLocate, unlocated, {}, kNow), std::nullopt);
}

TEST(CaseGuardTest, ExtensionMayBeRequestedBeforeAndAtTheDeadline) {
  CaseFacts facts = handling_case();

  EXPECT_EQ(guard_failure(CaseAction::kRequestExtension, facts, {}, kNow), std::nullopt);
  facts.handling_deadline = kNow;
  EXPECT_EQ(guard_failure(CaseAction::kRequestExtension, facts, {}, kNow), std::nullopt);
}

TEST(CaseGuardTest, ExtensionIsRefusedOnceTheDeadlineHasPassed) {
  CaseFacts facts = handling_case();
  facts.handling_deadline = kNow - 1ms;

  const std::optional<std::string> reason =
      guard_failure(CaseAction::kRequestExtension, facts, {}, kNow);

  EXPECT_EQ(reason, "the handling deadline has already passed");
}

TEST(CaseGuardTest, ExtensionIsRefusedWhileAnotherRequestIsPending) {
  CaseFacts facts = handling_case();
  facts.extension_pending = true;

  EXPECT_EQ(guard_failure(CaseAction::kRequestExtension, facts, {}, kNow),
            "an extension request is already pending");
}

TEST(CaseGuardTest, ThirdExtensionInACycleIsRefused) {
  CaseFacts facts = handling_case();
  facts.approved_extensions_this_cycle = 1;
  EXPECT_EQ(guard_failure(CaseAction::kRequestExtension, facts, {}, kNow), std::nullopt);

  facts.approved_extensions_this_cycle = 2;

  EXPECT_EQ(guard_failure(CaseAction::kRequestExtension, facts, {}, kNow),
            "two extensions were already approved in this handling cycle");
}

TEST(CaseGuardTest, ApproveAndDenyNeedAPendingRequest) {
  CaseFacts facts = handling_case();

  for (CaseAction action : {CaseAction::kApproveExtension, CaseAction::kDenyExtension}) {
    facts.extension_pending = false;
    EXPECT_EQ(guard_failure(action, facts, {}, kNow), "no extension request is pending");
    facts.extension_pending = true;
    EXPECT_EQ(guard_failure(action, facts, {}, kNow), std::nullopt);
  }
}

TEST(CaseGuardTest, SuspensionUntilMayBeAtMostOneYearAhead) {
  const CaseFacts facts = handling_case();
  const Timestamp one_year = std::chrono::sys_days{std::chrono::November / 25 / 2027} + 2h;

  EXPECT_EQ(guard_failure(CaseAction::kRequestSuspension, facts, with_until(one_year), kNow),
            std::nullopt);
  EXPECT_EQ(guard_failure(CaseAction::kRequestSuspension, facts, with_until(one_year + 1ms), kNow),
            "`until` must be at most one year ahead");
  EXPECT_EQ(guard_failure(CaseAction::kRequestSuspension, facts, with_until(kNow), kNow),
            "`until` must be in the future");
  EXPECT_EQ(guard_failure(CaseAction::kRequestSuspension, facts, {}, kNow),
            "a suspension needs an `until` date");
}

TEST(CaseGuardTest, SuspendTakesUntilFromThePendingRequestWhenNoneIsGiven) {
  CaseFacts facts = handling_case();
  EXPECT_NE(guard_failure(CaseAction::kSuspend, facts, {}, kNow), std::nullopt);

  facts.requested_suspension_until = kNow + 24h * 30;

  EXPECT_EQ(guard_failure(CaseAction::kSuspend, facts, {}, kNow), std::nullopt);
  EXPECT_NE(guard_failure(CaseAction::kSuspend, facts, with_until(kNow + 24h * 400), kNow),
            std::nullopt);
}

TEST(CaseGuardTest, OneYearFromTheTwentyNinthOfFebruaryEndsOnTheTwentyEighth) {
  const Timestamp leap_day = std::chrono::sys_days{std::chrono::February / 29 / 2028} + 3h;

  EXPECT_EQ(latest_suspension_until(leap_day),
            std::chrono::sys_days{std::chrono::February / 28 / 2029} + 3h);
}

TEST(CaseGuardTest, ResolvedCaseWithAReporterMustBeRepliedBeforeClosing) {
  CaseFacts facts;
  facts.status = CaseStatus::kResolved;
  facts.has_reporter_to_answer = true;

  EXPECT_EQ(guard_failure(CaseAction::kClose, facts, {}, kNow),
            "a reporter (of the case or of a case merged into it) has not been answered: reply "
            "before closing");
}

TEST(CaseGuardTest, ResolvedCaseWithNoReporterAndRepliedCaseMayBeClosed) {
  CaseFacts patrol;
  patrol.status = CaseStatus::kResolved;
  patrol.has_reporter_to_answer = false;
  CaseFacts replied;
  replied.status = CaseStatus::kReplied;
  replied.has_reporter_to_answer = true;

  EXPECT_EQ(guard_failure(CaseAction::kClose, patrol, {}, kNow), std::nullopt);
  EXPECT_EQ(guard_failure(CaseAction::kClose, replied, {}, kNow), std::nullopt);
}

TEST(CaseGuardTest, MergedCaseTakesNoCallbackOrReopen) {
  CaseFacts facts;
  facts.status = CaseStatus::kClosed;
  facts.merged = true;
  CaseFacts closed_normally = facts;
  closed_normally.merged = false;

  for (CaseAction action : {CaseAction::kCallback, CaseAction::kReopen}) {
    EXPECT_EQ(guard_failure(action, facts, {}, kNow), "a merged case takes no callback or reopen");
    EXPECT_EQ(guard_failure(action, closed_normally, {}, kNow), std::nullopt);
  }
}

TEST(CaseGuardTest, MergeNeedsAnotherOpenCase) {
  const CaseFacts facts = handling_case();

  EXPECT_EQ(guard_failure(CaseAction::kMerge, facts, merging_into(CaseStatus::kHandling), kNow),
            std::nullopt);
  EXPECT_EQ(guard_failure(CaseAction::kMerge, facts, merging_into(CaseStatus::kClosed), kNow),
            "the original case is not open");
  EXPECT_EQ(
      guard_failure(CaseAction::kMerge, facts, merging_into(CaseStatus::kHandling, true), kNow),
      "a case cannot be merged into itself");
}

TEST(CaseGuardTest, ActionsWithoutGuardsAlwaysPass) {
  const CaseFacts nothing_known;

  for (CaseAction action :
       {CaseAction::kReceive, CaseAction::kAcknowledge, CaseAction::kUrge, CaseAction::kComplete,
        CaseAction::kCheck, CaseAction::kReply, CaseAction::kResume, CaseAction::kReturn}) {
    EXPECT_EQ(guard_failure(action, nothing_known, {}, kNow), std::nullopt) << to_string(action);
  }
}

// ---- docs/case-lifecycle.md keeps the same table ----

std::vector<std::string> backticked(const std::string& cell) {
  std::vector<std::string> words;
  std::size_t at = 0;
  while ((at = cell.find('`', at)) != std::string::npos) {
    const std::size_t end = cell.find('`', at + 1);
    if (end == std::string::npos) break;
    words.push_back(cell.substr(at + 1, end - at - 1));
    at = end + 1;
  }
  return words;
}

std::vector<std::string> cells_of(const std::string& line) {
  std::vector<std::string> cells;
  std::stringstream stream(line.substr(1));
  std::string cell;
  while (std::getline(stream, cell, '|')) cells.push_back(cell);
  return cells;
}

TEST(CaseLifecycleDocTest, DocumentedTableMatchesTheTransitionTable) {
  std::ifstream doc(std::string(GRIDCASE_SOURCE_DIR) + "/docs/case-lifecycle.md");
  ASSERT_TRUE(doc) << "docs/case-lifecycle.md is missing";
  std::vector<DomainRow> rows;
  std::string line;
  bool in_table = false;
  while (std::getline(doc, line)) {
    if (line.rfind("| from | action | to | who |", 0) == 0) {
      in_table = true;
      std::getline(doc, line);  // the |---| line
      continue;
    }
    if (!in_table) continue;
    if (line.empty() || line[0] != '|') break;
    const std::vector<std::string> cells = cells_of(line);
    ASSERT_GE(cells.size(), 4U) << line;
    DomainRow row;
    row.from = cells[0].find("any open") != std::string::npos ? kOpen : backticked(cells[0]);
    const std::vector<std::string> actions = backticked(cells[1]);
    row.to = cells[2].find("(same)") != std::string::npos ? std::vector<std::string>{"(same)"}
                                                          : backticked(cells[2]);
    row.who = backticked(cells[3]);
    for (const std::string& action : actions) {
      row.action = action;
      rows.push_back(row);
    }
  }

  EXPECT_FALSE(rows.empty()) << "no lifecycle table found";
  const std::map<Key, Expected> documented = expand(rows);
  const std::map<Key, Expected> domain = expand(kDomainTable);
  ASSERT_EQ(documented.size(), domain.size());
  for (const auto& [key, entry] : domain) {
    const auto found = documented.find(key);
    ASSERT_NE(found, documented.end()) << to_string(key.second);
    EXPECT_EQ(found->second.to, entry.to) << to_string(key.second);
    EXPECT_EQ(found->second.roles, entry.roles) << to_string(key.second);
  }
}

}  // namespace
}  // namespace gridcase::domain
