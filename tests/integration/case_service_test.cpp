#include <gtest/gtest.h>

#include <algorithm>
#include <cstdio>

#include "case_world.hpp"
#include "gridcase/domain/attachment.hpp"
#include "gridcase/domain/time_text.hpp"

namespace gridcase::testing {
namespace {

using namespace std::chrono_literals;
using domain::CaseAction;
using domain::CaseStatus;
using domain::Channel;
using domain::ErrorCode;
using domain::Role;
using domain::StageTimer;
using domain::Timestamp;
using nlohmann::json;
using service::TimerView;

constexpr std::chrono::year_month_day kMonday = std::chrono::year{2026} / 11 / 23;
constexpr std::chrono::year_month_day kTuesday = std::chrono::year{2026} / 11 / 24;

/// Who files a report of each channel, and whether it has a reporter to answer.
Role receiver_of(Channel channel) {
  if (channel == Channel::kPatrol) return Role::kOfficer;
  if (channel == Channel::kWeb || channel == Channel::kApp || channel == Channel::kVideo) {
    return Role::kIntegration;
  }
  return Role::kOperator;
}

bool has_reporter(Channel channel) {
  return channel != Channel::kPatrol && channel != Channel::kVideo && channel != Channel::kApp;
}

bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

// ---- the happy path, once per channel ----

/// Parameterised by the channel's name (so test names and ctest read it).
class CaseChannelLifecycleTest : public CaseWorldTest,
                                 public ::testing::WithParamInterface<std::string> {
 protected:
  static Channel tested_channel() {
    return domain::parse_channel(GetParam()).value_or(Channel::kWeb);
  }

  /// receive → register → dispatch → acknowledge → complete → check passed → reply (when there
  /// is a reporter) → close → callback, ten minutes apart from Monday 10:00.
  std::string drive_happy_path() {
    const Channel channel = tested_channel();
    const std::string case_no =
        receive(case_report(channel, CaseDistrict::in_cell(), has_reporter(channel), clock_->now()),
                receiver_of(channel));
    auto step = [&](CaseAction action, const domain::ActionInput& input, Role role) {
      clock_->advance(10min);
      act(case_no, action, input, role);
    };
    step(CaseAction::kRegister, register_input(), Role::kShiftLeader);
    step(CaseAction::kDispatch, unit_input(), Role::kDispatcher);
    step(CaseAction::kAcknowledge, {}, Role::kUnit);
    step(CaseAction::kComplete, note_input(), Role::kUnit);
    step(CaseAction::kCheck, result_input("passed"), Role::kOfficer);
    if (has_reporter(channel)) step(CaseAction::kReply, note_input(), Role::kOperator);
    step(CaseAction::kClose, {}, Role::kShiftLeader);
    step(CaseAction::kCallback, callback_input("satisfied"), Role::kOperator);
    return case_no;
  }
};

TEST_P(CaseChannelLifecycleTest, HappyPathEndsClosedAsResolvedWithEveryStepLogged) {
  const std::string case_no = drive_happy_path();

  const json found = get(case_no);

  EXPECT_EQ(found.at("status"), "closed");
  EXPECT_EQ(found.at("outcome"), "resolved");
  EXPECT_EQ(found.at("channel"), GetParam());
  EXPECT_TRUE(found.at("closed_at").is_string());
  EXPECT_EQ(found.at("unit").at("code"), CaseDistrict::kStreetUnit);
  std::vector<std::string> expected{"receive",     "register", "dispatch",
                                    "acknowledge", "complete", "check"};
  if (has_reporter(tested_channel())) expected.emplace_back("reply");
  expected.insert(expected.end(), {"close", "callback"});
  EXPECT_EQ(event_actions(found), expected);
  EXPECT_EQ(found.at("version"), static_cast<int>(expected.size()));
  // Each event starts where the one before it ended.
  const json& events = found.at("events");
  EXPECT_TRUE(events.at(0).at("from").is_null());
  EXPECT_EQ(events.at(0).at("to"), "received");
  for (std::size_t i = 1; i < events.size(); ++i) {
    EXPECT_EQ(events[i].at("from"), events[i - 1].at("to")) << events[i].at("action");
  }
}

TEST_P(CaseChannelLifecycleTest, HappyPathEndsEveryStageTimerOnTime) {
  const std::string case_no = drive_happy_path();

  const std::vector<TimerView> all = timers(case_no);

  std::vector<StageTimer> seen;
  for (const TimerView& view : all) {
    seen.push_back(view.row.timer);
    EXPECT_TRUE(view.row.ended_at.has_value()) << to_string(view.row.timer);
    EXPECT_EQ(view.row.outcome, domain::TimerOutcome::kOnTime) << to_string(view.row.timer);
  }
  EXPECT_EQ(seen, (std::vector<StageTimer>{StageTimer::kRegistration, StageTimer::kDispatch,
                                           StageTimer::kAcknowledgement, StageTimer::kHandling,
                                           StageTimer::kCheck, StageTimer::kClose}));
}

std::vector<std::string> channel_names() {
  std::vector<std::string> names;
  for (Channel channel : domain::kAllChannels) names.emplace_back(to_string(channel));
  return names;
}

INSTANTIATE_TEST_SUITE_P(EveryChannel, CaseChannelLifecycleTest,
                         ::testing::ValuesIn(channel_names()),
                         [](const ::testing::TestParamInfo<std::string>& param_info) {
                           return param_info.param;
                         });

// ---- intake ----

using CaseIntakeTest = CaseWorldTest;

TEST_F(CaseIntakeTest, NewCaseIsNumberedByDistrictAndLocalDate) {
  const std::string case_no = receive(Channel::kWeb);

  EXPECT_TRUE(domain::is_case_number(case_no)) << case_no;
  EXPECT_TRUE(case_no.starts_with("150261-20261123-")) << case_no;
}

TEST_F(CaseIntakeTest, CaseReceivedAfterLocalMidnightCarriesTheLocalDate) {
  clock_->set(beijing(kTuesday, 0h + 30min));  // still Monday in UTC

  const std::string case_no = receive(Channel::kWeb);

  EXPECT_TRUE(case_no.starts_with("150261-20261124-")) << case_no;
}

TEST_F(CaseIntakeTest, CaseNumbersOfOneDayIncrease) {
  const std::string first = receive(Channel::kWeb);
  const std::string second = receive(Channel::kApp);

  EXPECT_LT(first, second);
}

TEST_F(CaseIntakeTest, NewCaseIsLocatedInItsCellWithTheWholeGridChain) {
  const json found = get(receive(Channel::kWeb));

  EXPECT_EQ(found.at("status"), "received");
  EXPECT_EQ(found.at("version"), 1);
  EXPECT_EQ(found.at("located"), true);
  EXPECT_EQ(found.at("cell").at("code"), CaseDistrict::kCell);
  EXPECT_EQ(found.at("community").at("code"), "150261001001");
  EXPECT_EQ(found.at("street").at("code"), CaseDistrict::kStreet);
  EXPECT_EQ(found.at("district").at("code"), CaseDistrict::kCode);
}

TEST_F(CaseIntakeTest, ReporterIsMaskedInTheCaseJson) {
  const json found = get(receive(Channel::kHotline12319));

  EXPECT_EQ(found.at("reporter").at("name"), "张*");
  EXPECT_EQ(found.at("reporter").at("phone"), "138****5678");
}

TEST_F(CaseIntakeTest, HotlineCallAndMailboxLetterAreKeptWithTheCase) {
  const json call = get(receive(Channel::kHotline12345)).at("intake").at("call");
  const json letter = get(receive(Channel::kMayorMailbox)).at("intake").at("letter");

  EXPECT_EQ(call.at("operator"), "op-07");
  EXPECT_EQ(call.at("started_at"), domain::format_rfc3339(case_test_start() - 5min));
  EXPECT_EQ(letter.at("subject"), "关于小区违建的来信");
}

TEST_F(CaseIntakeTest, NewCaseStartsItsRegistrationTimerOneWorkHourAhead) {
  const std::string case_no = receive(Channel::kWeb);

  const std::vector<TimerView> all = timers(case_no);

  ASSERT_EQ(all.size(), 1U);
  EXPECT_EQ(all[0].row.timer, StageTimer::kRegistration);
  EXPECT_EQ(all[0].row.started_at, case_test_start());
  EXPECT_EQ(all[0].row.deadline, case_test_start() + 1h);
  EXPECT_EQ(all[0].light, domain::Light::kGreen);
  EXPECT_FALSE(all[0].overdue);
}

TEST_F(CaseIntakeTest, ReportAtTheSamePlaceAndCategoryListsTheOpenOneAsPossibleDuplicate) {
  const std::string first = receive(Channel::kWeb);

  const json second = get(receive(Channel::kApp));

  EXPECT_EQ(second.at("possible_duplicates"), json::array({first}));
}

// ---- side paths of the lifecycle table ----

class CaseLifecycleTest : public CaseWorldTest {
 protected:
  /// A web report that gives an address but no coordinates.
  std::string receive_unlocated() {
    domain::NewCase intake =
        case_report(Channel::kWeb, CaseDistrict::in_cell(), true, clock_->now());
    intake.point.reset();
    intake.address = "用例路 1 号 (no coordinates given)";
    return receive(intake);
  }
};

TEST_F(CaseLifecycleTest, CaseReportedByAddressOnlyIsReceivedUnlocated) {
  const std::string case_no = receive_unlocated();

  const json found = get(case_no);

  EXPECT_EQ(found.at("located"), false);
  EXPECT_TRUE(found.at("cell").is_null());
}

TEST_F(CaseLifecycleTest, OperatorLocatesAnUnlocatedCaseWhichStaysReceived) {
  const std::string case_no = receive_unlocated();
  domain::ActionInput input;
  input.point = CaseDistrict::in_east_cell();

  const json found = act(case_no, CaseAction::kLocate, input, Role::kOperator);

  EXPECT_EQ(found.at("status"), "received");
  EXPECT_EQ(found.at("version"), 2);
  EXPECT_EQ(found.at("cell").at("code"), CaseDistrict::kEastCell);
  const json event = get(case_no).at("events").back();
  EXPECT_EQ(event.at("action"), "locate");
  EXPECT_EQ(event.at("params").at("cell"), CaseDistrict::kEastCell);
}

TEST_F(CaseLifecycleTest, OperatorMovesAMislocatedRegisteredCaseToAnotherCell) {
  const std::string case_no = receive(Channel::kWeb);
  drive_to(case_no, CaseStatus::kRegistered);
  domain::ActionInput input;
  input.point = CaseDistrict::in_other_street();

  const json found = act(case_no, CaseAction::kLocate, input, Role::kOperator);

  EXPECT_EQ(found.at("status"), "registered");
  EXPECT_EQ(found.at("street").at("code"), CaseDistrict::kOtherStreet);
}

TEST_F(CaseLifecycleTest, UnlocatedCaseCannotBeRegisteredUntilLocated) {
  const std::string case_no = receive_unlocated();

  const domain::Error error =
      refusal(case_no, CaseAction::kRegister, register_input(), Role::kShiftLeader);

  EXPECT_EQ(error.code(), ErrorCode::kInvalidTransition);
  EXPECT_TRUE(contains(error.what(), "locate")) << error.what();
}

TEST_F(CaseLifecycleTest, LocatingOutsideEveryCellIsRefusedAndChangesNothing) {
  const std::string case_no = receive_unlocated();
  domain::ActionInput input;
  input.point = CaseDistrict::outside();

  const domain::Error error = refusal(case_no, CaseAction::kLocate, input, Role::kOperator);

  EXPECT_EQ(error.code(), ErrorCode::kInvalidValue);
  ASSERT_FALSE(error.details().fields.empty());
  EXPECT_EQ(error.details().fields[0].field, "lon");
  const json found = get(case_no);
  EXPECT_EQ(found.at("version"), 1);
  EXPECT_EQ(found.at("events").size(), 1U);
}

TEST_F(CaseLifecycleTest, ConfirmedVerificationReturnsTheCaseToReceived) {
  const std::string case_no = receive(Channel::kHotline12319);
  act(case_no, CaseAction::kRequestVerification, {}, Role::kOperator);
  clock_->advance(20min);

  const json found = act(case_no, CaseAction::kVerify, result_input("confirmed"), Role::kOfficer);

  EXPECT_EQ(found.at("status"), "received");
  const std::vector<TimerView> all = timers(case_no);
  const std::vector<TimerView> verification = timers_named(all, StageTimer::kVerification);
  ASSERT_EQ(verification.size(), 1U);
  EXPECT_EQ(verification[0].row.outcome, domain::TimerOutcome::kOnTime);
  const std::vector<TimerView> registration = timers_named(all, StageTimer::kRegistration);
  ASSERT_EQ(registration.size(), 2U);
  EXPECT_FALSE(registration[1].row.ended_at.has_value());
  EXPECT_EQ(registration[1].row.deadline, case_test_start() + 20min + 1h);
}

TEST_F(CaseLifecycleTest, VerificationResultIsRecordedWithItsPhoto) {
  const std::string case_no = receive(Channel::kHotline12319);
  act(case_no, CaseAction::kRequestVerification, {}, Role::kOperator);

  act(case_no, CaseAction::kVerify, result_input("not_found"), Role::kOfficer);

  const json event = get(case_no).at("events").back();
  EXPECT_EQ(event.at("params").at("result"), "not_found");
  ASSERT_EQ(event.at("attachments").size(), 1U);
  EXPECT_TRUE(domain::is_attachment_id(event.at("attachments")[0].get<std::string>()));
  EXPECT_EQ(event.at("role"), "officer");
}

TEST_F(CaseLifecycleTest, WithdrawnVerificationReturnsTheCaseToReceivedUncounted) {
  const std::string case_no = receive(Channel::kWeb);
  act(case_no, CaseAction::kRequestVerification, {}, Role::kOperator);
  clock_->advance(3h);

  const json found = act(case_no, CaseAction::kWithdrawVerification, {}, Role::kOperator);

  EXPECT_EQ(found.at("status"), "received");
  const std::vector<TimerView> verification =
      timers_named(timers(case_no), StageTimer::kVerification);
  ASSERT_EQ(verification.size(), 1U);
  EXPECT_EQ(verification[0].row.outcome, domain::TimerOutcome::kNotCounted);
}

TEST_F(CaseLifecycleTest, RejectBeforeRegistrationClosesTheCaseAsRejected) {
  const std::string case_no = receive(Channel::kWeb);

  const json found = act(case_no, CaseAction::kReject, reason_input(), Role::kOperator);

  EXPECT_EQ(found.at("status"), "rejected");
  EXPECT_EQ(found.at("outcome"), "rejected");
  EXPECT_TRUE(found.at("closed_at").is_string());
  const std::vector<TimerView> all = timers(case_no);
  ASSERT_EQ(all.size(), 1U);
  EXPECT_EQ(all[0].row.outcome, domain::TimerOutcome::kNotCounted);
}

TEST_F(CaseLifecycleTest, RejectAfterRegistrationIsTheShiftLeadersAlone) {
  const std::string case_no = receive(Channel::kWeb);
  drive_to(case_no, CaseStatus::kRegistered);

  const domain::Error by_operator =
      refusal(case_no, CaseAction::kReject, reason_input(), Role::kOperator);
  const json found = act(case_no, CaseAction::kReject, reason_input(), Role::kShiftLeader);

  EXPECT_EQ(by_operator.code(), ErrorCode::kInvalidTransition);
  EXPECT_EQ(found.at("status"), "rejected");
  EXPECT_EQ(timers_named(timers(case_no), StageTimer::kDispatch).at(0).row.outcome,
            domain::TimerOutcome::kNotCounted);
}

TEST_F(CaseLifecycleTest, RejectReasonIsKeptInTheEventLog) {
  const std::string case_no = receive(Channel::kWeb);

  act(case_no, CaseAction::kReject, reason_input(), Role::kShiftLeader);

  const json event = get(case_no).at("events").back();
  EXPECT_EQ(event.at("action"), "reject");
  EXPECT_EQ(event.at("params").at("reason"), "理由 a reason");
  EXPECT_EQ(event.at("actor"), "it-case-shift_leader");
}

TEST_F(CaseLifecycleTest, ReturnedCaseIsRegisteredAgainWithoutAUnit) {
  const std::string case_no = receive(Channel::kWeb);
  drive_to(case_no, CaseStatus::kHandling);
  clock_->advance(30min);

  const json found = act(case_no, CaseAction::kReturn, reason_input(), Role::kUnit);

  EXPECT_EQ(found.at("status"), "registered");
  EXPECT_TRUE(found.at("unit").is_null());
  const std::vector<TimerView> all = timers(case_no);
  EXPECT_EQ(timers_named(all, StageTimer::kHandling).at(0).row.outcome,
            domain::TimerOutcome::kNotCounted);
  EXPECT_FALSE(timers_named(all, StageTimer::kDispatch).back().row.ended_at.has_value());
}

TEST_F(CaseLifecycleTest, DispatchAfterAReturnStartsAFreshHandlingCycle) {
  const std::string case_no = receive(Channel::kWeb);
  drive_to(case_no, CaseStatus::kHandling);  // cycle 1 from Monday 10:00, deadline 16:30
  clock_->set(beijing(kMonday, 15h));
  act(case_no, CaseAction::kReturn, reason_input(), Role::kUnit);

  act(case_no, CaseAction::kDispatch, unit_input(CaseDistrict::kDistrictUnit), Role::kDispatcher);

  const std::vector<TimerView> handling = timers_named(timers(case_no), StageTimer::kHandling);
  ASSERT_EQ(handling.size(), 2U);
  EXPECT_EQ(handling[1].row.started_at, beijing(kMonday, 15h));
  EXPECT_EQ(handling[1].row.deadline, beijing(kTuesday, 9h + 30min));  // 3 h Monday, 1 h Tuesday
  EXPECT_GT(handling[1].row.cycle, handling[0].row.cycle);
  EXPECT_EQ(get(case_no).at("handling_cycle"), handling[1].row.cycle);
}

TEST_F(CaseLifecycleTest, ReassignMovesTheCaseToAnotherUnitWithAFreshDeadline) {
  const std::string case_no = receive(Channel::kWeb);
  drive_to(case_no, CaseStatus::kHandling);
  clock_->set(beijing(kMonday, 15h));

  const json found = act(case_no, CaseAction::kReassign, unit_input(CaseDistrict::kDistrictUnit),
                         Role::kDispatcher);

  EXPECT_EQ(found.at("status"), "dispatched");
  EXPECT_EQ(found.at("unit").at("code"), CaseDistrict::kDistrictUnit);
  const std::vector<TimerView> handling = timers_named(timers(case_no), StageTimer::kHandling);
  ASSERT_EQ(handling.size(), 2U);
  EXPECT_EQ(handling[0].row.outcome, domain::TimerOutcome::kNotCounted);
  EXPECT_EQ(handling[1].row.deadline, beijing(kTuesday, 9h + 30min));
  EXPECT_EQ(handling[1].row.cycle, handling[0].row.cycle + 1);
}

TEST_F(CaseLifecycleTest, UrgeRaisesTheEscalationLevelAndKeepsTheState) {
  const std::string case_no = receive(Channel::kWeb);
  drive_to(case_no, CaseStatus::kDispatched);

  act(case_no, CaseAction::kUrge, {}, Role::kSupervisor);
  const json found = act(case_no, CaseAction::kUrge, {}, Role::kDispatcher);

  EXPECT_EQ(found.at("status"), "dispatched");
  EXPECT_EQ(found.at("escalation_level"), 2);
  EXPECT_EQ(get(case_no).at("events").back().at("params").at("level"), "2");
}

TEST_F(CaseLifecycleTest, ApprovedExtensionMovesTheStoredHandlingDeadlineByOnePeriod) {
  const std::string case_no = receive(Channel::kWeb);
  drive_to(case_no, CaseStatus::kHandling);  // deadline Monday 16:30
  act(case_no, CaseAction::kRequestExtension, reason_input(), Role::kUnit);

  const json found = act(case_no, CaseAction::kApproveExtension, {}, Role::kShiftLeader);

  const Timestamp extended = beijing(kTuesday, 11h);  // 16:30–18:00, then 08:30–11:00
  EXPECT_EQ(found.at("handling_deadline"), domain::format_rfc3339(extended));
  EXPECT_EQ(found.at("extension_pending"), false);
  EXPECT_EQ(timers_named(timers(case_no), StageTimer::kHandling).at(0).row.deadline, extended);
  EXPECT_EQ(get(case_no).at("events").back().at("params").at("deadline"),
            domain::format_rfc3339(extended));
}

TEST_F(CaseLifecycleTest, ExtendedHandlingTimerTurnsYellowAtEightyPercentOfTheExtendedLimit) {
  const std::string case_no = receive(Channel::kWeb);
  drive_to(case_no, CaseStatus::kHandling);  // 4 work hours from Monday 10:00
  act(case_no, CaseAction::kRequestExtension, reason_input(), Role::kUnit);
  act(case_no, CaseAction::kApproveExtension, {},
      Role::kShiftLeader);                     // 8 work hours: Tuesday 11:00
  clock_->set(beijing(kTuesday, 9h + 30min));  // 6.5 of 8 work hours used: 81%

  const TimerView handling = timers_named(timers(case_no), StageTimer::kHandling).at(0);

  EXPECT_EQ(handling.light, domain::Light::kYellow);
}

TEST_F(CaseLifecycleTest, DeniedExtensionKeepsTheDeadline) {
  const std::string case_no = receive(Channel::kWeb);
  drive_to(case_no, CaseStatus::kHandling);
  act(case_no, CaseAction::kRequestExtension, reason_input(), Role::kUnit);

  const json found = act(case_no, CaseAction::kDenyExtension, {}, Role::kShiftLeader);

  EXPECT_EQ(found.at("extension_pending"), false);
  EXPECT_EQ(found.at("handling_deadline"), domain::format_rfc3339(beijing(kMonday, 16h + 30min)));
}

TEST_F(CaseLifecycleTest, RequestedExtensionIsPendingUntilDecided) {
  const std::string case_no = receive(Channel::kWeb);
  drive_to(case_no, CaseStatus::kHandling);

  const json found = act(case_no, CaseAction::kRequestExtension, reason_input(), Role::kUnit);

  EXPECT_EQ(found.at("status"), "handling");
  EXPECT_EQ(found.at("extension_pending"), true);
}

TEST_F(CaseLifecycleTest, CompleteClearsPendingExtensionAndSuspensionRequests) {
  const std::string case_no = receive(Channel::kWeb);
  drive_to(case_no, CaseStatus::kHandling);
  act(case_no, CaseAction::kRequestExtension, reason_input(), Role::kUnit);
  act(case_no, CaseAction::kRequestSuspension, until_input(clock_->now() + 48h, true), Role::kUnit);

  const json completed = act(case_no, CaseAction::kComplete, note_input(), Role::kUnit);

  EXPECT_EQ(completed.at("extension_pending"), false);
  EXPECT_TRUE(completed.at("suspension_requested_until").is_null());
  act(case_no, CaseAction::kCheck, result_input("failed"), Role::kOfficer);
  act(case_no, CaseAction::kAcknowledge, {}, Role::kUnit);  // the next handling instance
  const domain::Error approval =
      refusal(case_no, CaseAction::kApproveExtension, {}, Role::kShiftLeader);
  EXPECT_EQ(approval.code(), ErrorCode::kInvalidTransition);
  EXPECT_TRUE(contains(approval.what(), "no extension request is pending")) << approval.what();
  EXPECT_EQ(refusal(case_no, CaseAction::kSuspend, {}, Role::kDispatcher).code(),
            ErrorCode::kInvalidTransition);
  EXPECT_EQ(get(case_no).at("status"), "handling");
}

TEST_F(CaseLifecycleTest, ReturnClearsAPendingSuspensionRequest) {
  const std::string case_no = receive(Channel::kWeb);
  drive_to(case_no, CaseStatus::kHandling);
  act(case_no, CaseAction::kRequestSuspension, until_input(clock_->now() + 48h, true), Role::kUnit);

  const json returned = act(case_no, CaseAction::kReturn, reason_input(), Role::kUnit);

  EXPECT_TRUE(returned.at("suspension_requested_until").is_null());
}

TEST_F(CaseLifecycleTest, SuspensionPausesTheHandlingTimer) {
  const std::string case_no = receive(Channel::kWeb);
  drive_to(case_no, CaseStatus::kHandling);
  const Timestamp until = beijing(std::chrono::year{2026} / 11 / 25, 10h);
  act(case_no, CaseAction::kRequestSuspension, until_input(until, true), Role::kUnit);
  clock_->set(beijing(kMonday, 11h));

  const json found = act(case_no, CaseAction::kSuspend, {}, Role::kDispatcher);

  EXPECT_EQ(found.at("status"), "suspended");
  EXPECT_EQ(found.at("suspended_until"), domain::format_rfc3339(until));
  const TimerView handling = timers_named(timers(case_no), StageTimer::kHandling).at(0);
  EXPECT_EQ(handling.row.paused_at, beijing(kMonday, 11h));
  EXPECT_FALSE(handling.row.ended_at.has_value());
}

TEST_F(CaseLifecycleTest, ResumeMovesTheHandlingDeadlineByThePausedWorkingTime) {
  const std::string case_no = receive(Channel::kWeb);
  drive_to(case_no, CaseStatus::kHandling);  // deadline Monday 16:30
  clock_->set(beijing(kMonday, 11h));
  act(case_no, CaseAction::kSuspend, until_input(beijing(kTuesday, 18h), false), Role::kDispatcher);
  clock_->set(beijing(kTuesday, 11h));  // 7 working hours later

  const json found = act(case_no, CaseAction::kResume, {}, Role::kDispatcher);

  EXPECT_EQ(found.at("status"), "handling");
  const TimerView handling = timers_named(timers(case_no), StageTimer::kHandling).at(0);
  EXPECT_EQ(handling.row.deadline, beijing(kTuesday, 16h + 30min));
  EXPECT_FALSE(handling.row.paused_at.has_value());
  EXPECT_EQ(found.at("handling_deadline"), domain::format_rfc3339(beijing(kTuesday, 16h + 30min)));
}

TEST_F(CaseLifecycleTest, FailedCheckSendsTheCaseBackToTheSameUnitWithTheOriginalDeadline) {
  const std::string case_no = receive(Channel::kWeb);
  drive_to(case_no, CaseStatus::kHandled);  // handling deadline Monday 16:30
  clock_->set(beijing(kMonday, 15h));

  const json found = act(case_no, CaseAction::kCheck, result_input("failed"), Role::kOfficer);

  EXPECT_EQ(found.at("status"), "dispatched");
  EXPECT_EQ(found.at("rework_count"), 1);
  EXPECT_EQ(found.at("unit").at("code"), CaseDistrict::kStreetUnit);
  const std::vector<TimerView> handling = timers_named(timers(case_no), StageTimer::kHandling);
  ASSERT_EQ(handling.size(), 2U);
  EXPECT_EQ(handling[0].row.outcome, domain::TimerOutcome::kOnTime);
  EXPECT_EQ(handling[1].row.deadline, beijing(kMonday, 16h + 30min));
  EXPECT_EQ(handling[1].row.cycle, handling[0].row.cycle);
}

TEST_F(CaseLifecycleTest, ReworkLoopThatOnlySucceedsAfterTheOriginalDeadlineIsLate) {
  const std::string case_no = receive(Channel::kWeb);
  drive_to(case_no, CaseStatus::kHandled);
  clock_->set(beijing(kMonday, 15h));
  act(case_no, CaseAction::kCheck, result_input("failed"), Role::kOfficer);
  act(case_no, CaseAction::kAcknowledge, {}, Role::kUnit);
  clock_->set(beijing(kMonday, 17h));

  act(case_no, CaseAction::kComplete, note_input(), Role::kUnit);
  const json found = act(case_no, CaseAction::kCheck, result_input("passed"), Role::kOfficer);

  EXPECT_EQ(found.at("status"), "resolved");
  const std::vector<TimerView> handling = timers_named(timers(case_no), StageTimer::kHandling);
  ASSERT_EQ(handling.size(), 2U);
  EXPECT_EQ(handling[1].row.outcome, domain::TimerOutcome::kLate);
}

TEST_F(CaseLifecycleTest, ReworkFromResolvedSendsTheCaseBackToTheSameUnit) {
  const std::string case_no = receive(Channel::kWeb);
  drive_to(case_no, CaseStatus::kResolved);

  const json found = act(case_no, CaseAction::kRework, reason_input(), Role::kOperator);

  EXPECT_EQ(found.at("status"), "dispatched");
  EXPECT_EQ(found.at("rework_count"), 1);
  EXPECT_EQ(found.at("unit").at("code"), CaseDistrict::kStreetUnit);
  EXPECT_EQ(timers_named(timers(case_no), StageTimer::kClose).at(0).row.ended_at, clock_->now());
}

TEST_F(CaseLifecycleTest, ReopenAfterADissatisfiedCallbackRegistersTheCaseAgain) {
  const std::string case_no = receive(Channel::kWeb);
  drive_to(case_no, CaseStatus::kClosed);
  act(case_no, CaseAction::kCallback, callback_input("dissatisfied"), Role::kOperator);

  const json found = act(case_no, CaseAction::kReopen, reason_input(), Role::kShiftLeader);

  EXPECT_EQ(found.at("status"), "registered");
  EXPECT_TRUE(found.at("outcome").is_null());
  EXPECT_TRUE(found.at("closed_at").is_null());
  const json events = get(case_no).at("events");
  EXPECT_EQ(events.at(events.size() - 2).at("params").at("satisfaction"), "dissatisfied");
}

TEST_F(CaseLifecycleTest, ReopenedCaseIsDispatchedInANewHandlingCycle) {
  const std::string case_no = receive(Channel::kWeb);
  drive_to(case_no, CaseStatus::kClosed);
  act(case_no, CaseAction::kReopen, reason_input(), Role::kShiftLeader);
  clock_->set(beijing(kTuesday, 10h));

  act(case_no, CaseAction::kDispatch, unit_input(), Role::kDispatcher);

  const std::vector<TimerView> handling = timers_named(timers(case_no), StageTimer::kHandling);
  ASSERT_EQ(handling.size(), 2U);
  EXPECT_EQ(handling[1].row.deadline, beijing(kTuesday, 16h + 30min));
  EXPECT_GT(handling[1].row.cycle, handling[0].row.cycle);
}

TEST_F(CaseLifecycleTest, MergedDuplicateIsClosedAndLinkedToItsOriginal) {
  const std::string original = receive(Channel::kWeb);
  const std::string duplicate = receive(Channel::kHotline12319);
  domain::ActionInput input;
  input.into = original;

  const json found = act(duplicate, CaseAction::kMerge, input, Role::kDispatcher);

  EXPECT_EQ(found.at("status"), "closed");
  EXPECT_EQ(found.at("outcome"), "merged");
  EXPECT_EQ(found.at("merged_into"), original);
  EXPECT_EQ(timers(duplicate).at(0).row.outcome, domain::TimerOutcome::kNotCounted);
}

TEST_F(CaseLifecycleTest, ReplyToTheOriginalAnswersItsDuplicatesReporters) {
  const std::string original = receive(Channel::kWeb);
  const std::string duplicate = receive(Channel::kHotline12319);
  domain::ActionInput input;
  input.into = original;
  act(duplicate, CaseAction::kMerge, input, Role::kShiftLeader);
  drive_to(original, CaseStatus::kResolved);

  act(original, CaseAction::kReply, note_input(), Role::kOperator);

  const json event = get(duplicate).at("events").back();
  EXPECT_EQ(event.at("action"), "reply");
  EXPECT_EQ(event.at("params").at("via"), original);
}

TEST_F(CaseLifecycleTest, MergedCaseTakesNoCallback) {
  const std::string original = receive(Channel::kWeb);
  const std::string duplicate = receive(Channel::kWeb);
  domain::ActionInput input;
  input.into = original;
  act(duplicate, CaseAction::kMerge, input, Role::kDispatcher);

  const domain::Error error =
      refusal(duplicate, CaseAction::kCallback, callback_input("satisfied"), Role::kOperator);

  EXPECT_EQ(error.code(), ErrorCode::kInvalidTransition);
  EXPECT_TRUE(contains(error.what(), "merged")) << error.what();
}

TEST_F(CaseLifecycleTest, CaseCannotBeMergedIntoItself) {
  const std::string case_no = receive(Channel::kWeb);
  domain::ActionInput input;
  input.into = case_no;

  const domain::Error error = refusal(case_no, CaseAction::kMerge, input, Role::kDispatcher);

  EXPECT_EQ(error.code(), ErrorCode::kInvalidTransition);
}

TEST_F(CaseLifecycleTest, MergeIntoAnUnknownCaseIsRefusedNamingInto) {
  const std::string case_no = receive(Channel::kWeb);
  domain::ActionInput input;
  input.into = "150261-20261123-999999";

  const domain::Error error = refusal(case_no, CaseAction::kMerge, input, Role::kDispatcher);

  EXPECT_EQ(error.code(), ErrorCode::kInvalidValue);
  ASSERT_EQ(error.details().fields.size(), 1U);
  EXPECT_EQ(error.details().fields[0].field, "into");
}

TEST_F(CaseLifecycleTest, OverdueRegistrationTimerShowsRedAndEndsLate) {
  const std::string case_no = receive(Channel::kWeb);
  clock_->advance(1h + 1min);

  const TimerView overdue = timers(case_no).at(0);
  act(case_no, CaseAction::kRegister, register_input(), Role::kShiftLeader);

  EXPECT_TRUE(overdue.overdue);
  EXPECT_EQ(overdue.light, domain::Light::kRed);
  EXPECT_EQ(timers_named(timers(case_no), StageTimer::kRegistration).at(0).row.outcome,
            domain::TimerOutcome::kLate);
}

TEST_F(CaseLifecycleTest, RegistrationTimerTurnsYellowAtEightyPercent) {
  const std::string case_no = receive(Channel::kWeb);
  clock_->advance(48min);

  const TimerView timer = timers(case_no).at(0);

  EXPECT_EQ(timer.light, domain::Light::kYellow);
  EXPECT_FALSE(timer.overdue);
}

TEST_F(CaseLifecycleTest, HandlingDeadlineOfAnUrgentConditionCountsWallClockHours) {
  const std::string case_no = receive(Channel::kWeb);
  act(case_no, CaseAction::kRegister, register_input("component:0101", "missing"),
      Role::kShiftLeader);
  clock_->set(beijing(kMonday, 17h));

  act(case_no, CaseAction::kDispatch, unit_input(CaseDistrict::kDistrictUnit), Role::kDispatcher);

  EXPECT_EQ(timers_named(timers(case_no), StageTimer::kHandling).at(0).row.deadline,
            beijing(kMonday, 19h));
}

// ---- guards and the order of refusals ----

using CaseGuardServiceTest = CaseWorldTest;

TEST_F(CaseGuardServiceTest, ThirdExtensionInOneCycleIsRefusedWithItsReason) {
  const std::string case_no = receive(Channel::kWeb);
  drive_to(case_no, CaseStatus::kHandling);
  for (int i = 0; i < 2; ++i) {
    act(case_no, CaseAction::kRequestExtension, reason_input(), Role::kUnit);
    act(case_no, CaseAction::kApproveExtension, {}, Role::kShiftLeader);
  }

  const domain::Error error =
      refusal(case_no, CaseAction::kRequestExtension, reason_input(), Role::kUnit);

  EXPECT_EQ(error.code(), ErrorCode::kInvalidTransition);
  EXPECT_TRUE(contains(error.what(), "two extensions")) << error.what();
  EXPECT_FALSE(error.details().allowed_actions.empty());
}

TEST_F(CaseGuardServiceTest, ExtensionAfterTheHandlingDeadlineIsRefusedWithItsReason) {
  const std::string case_no = receive(Channel::kWeb);
  drive_to(case_no, CaseStatus::kHandling);  // deadline Monday 16:30
  clock_->set(beijing(kMonday, 16h + 31min));

  const domain::Error error =
      refusal(case_no, CaseAction::kRequestExtension, reason_input(), Role::kUnit);

  EXPECT_EQ(error.code(), ErrorCode::kInvalidTransition);
  EXPECT_TRUE(contains(error.what(), "passed")) << error.what();
}

TEST_F(CaseGuardServiceTest, CloseWithTheReporterUnansweredIsRefusedWithItsReason) {
  const std::string case_no = receive(Channel::kHotline12319);
  drive_to(case_no, CaseStatus::kResolved);

  const domain::Error error = refusal(case_no, CaseAction::kClose, {}, Role::kShiftLeader);

  EXPECT_EQ(error.code(), ErrorCode::kInvalidTransition);
  EXPECT_TRUE(contains(error.what(), "reply")) << error.what();
  EXPECT_EQ(get(case_no).at("status"), "resolved");
}

TEST_F(CaseGuardServiceTest, AnonymousResolvedCaseIsClosedWithoutAReply) {
  const std::string case_no = receive(Channel::kApp, false);
  drive_to(case_no, CaseStatus::kResolved);

  const json found = act(case_no, CaseAction::kClose, {}, Role::kShiftLeader);

  EXPECT_EQ(found.at("status"), "closed");
}

TEST_F(CaseGuardServiceTest, RoleThatMayNeverDoTheActionIsForbiddenBeforeAStaleIfMatch) {
  const std::string case_no = receive(Channel::kWeb);

  const domain::Error error =
      refusal(case_no, CaseAction::kRegister, register_input(), Role::kUnit, 99);

  EXPECT_EQ(error.code(), ErrorCode::kForbidden);
}

TEST_F(CaseGuardServiceTest, StaleIfMatchIsRefusedBeforeAStateConflict) {
  const std::string case_no = receive(Channel::kWeb);

  const domain::Error error =
      refusal(case_no, CaseAction::kDispatch, unit_input(), Role::kDispatcher, 99);

  EXPECT_EQ(error.code(), ErrorCode::kPreconditionFailed);
}

TEST_F(CaseGuardServiceTest, StateConflictIsRefusedBeforeAnUnknownUnit) {
  const std::string case_no = receive(Channel::kWeb);

  const domain::Error error =
      refusal(case_no, CaseAction::kDispatch, unit_input("150261-nobody"), Role::kDispatcher);

  EXPECT_EQ(error.code(), ErrorCode::kInvalidTransition);
  EXPECT_EQ(error.details().allowed_actions, std::vector<std::string>{"merge"});
}

TEST_F(CaseGuardServiceTest, CurrentIfMatchIsAccepted) {
  const std::string case_no = receive(Channel::kWeb);

  const json found = act(case_no, CaseAction::kRegister, register_input(), Role::kShiftLeader, 1);

  EXPECT_EQ(found.at("version"), 2);
}

TEST_F(CaseGuardServiceTest, UnknownCaseIsNotFound) {
  const domain::Error error =
      refusal("150261-20261123-999998", CaseAction::kUrge, {}, Role::kDispatcher);

  EXPECT_EQ(error.code(), ErrorCode::kNotFound);
}

TEST_F(CaseGuardServiceTest, MissingActionParameterIsMalformedBeforeTheCaseIsLookedUp) {
  const domain::Error error =
      refusal("150261-20261123-999998", CaseAction::kDispatch, {}, Role::kDispatcher);

  EXPECT_EQ(error.code(), ErrorCode::kMalformed);
}

}  // namespace
}  // namespace gridcase::testing
