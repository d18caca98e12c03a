#include "gridcase/domain/timers.hpp"

#include <gtest/gtest.h>

namespace gridcase::domain {
namespace {

using namespace std::chrono_literals;
using std::chrono::milliseconds;
using std::chrono::year_month_day;

Timestamp beijing(year_month_day date, std::chrono::minutes time_of_day) {
  return Timestamp{std::chrono::sys_days{date} + time_of_day - 8h};
}

constexpr year_month_day kMonday = 2026y / 11 / 23;
constexpr year_month_day kTuesday = 2026y / 11 / 24;
constexpr year_month_day kWednesday = 2026y / 11 / 25;
constexpr year_month_day kFriday = 2026y / 11 / 27;
constexpr year_month_day kNextMonday = 2026y / 11 / 30;

const WorkCalendar& demo() {
  static const WorkCalendar calendar = WorkCalendar::demo();
  return calendar;
}

// ---- the light rule ----

TEST(TrafficLightTest, SeventyNinePercentIsGreen) {
  EXPECT_EQ(traffic_light(79min, 100min), Light::kGreen);
}

TEST(TrafficLightTest, EightyPercentIsYellow) {
  EXPECT_EQ(traffic_light(80min, 100min), Light::kYellow);
  EXPECT_EQ(traffic_light(48min, 60min), Light::kYellow);
  EXPECT_EQ(traffic_light(48min - 1ms, 60min), Light::kGreen);
}

TEST(TrafficLightTest, JustBeforeTheDeadlineIsStillYellow) {
  EXPECT_EQ(traffic_light(100min - 1ms, 100min), Light::kYellow);
}

TEST(TrafficLightTest, HundredPercentAndMoreIsRed) {
  EXPECT_EQ(traffic_light(100min, 100min), Light::kRed);
  EXPECT_EQ(traffic_light(250min, 100min), Light::kRed);
}

TEST(TrafficLightTest, LightsHaveLowercaseNames) {
  EXPECT_EQ(to_string(Light::kGreen), "green");
  EXPECT_EQ(to_string(Light::kYellow), "yellow");
  EXPECT_EQ(to_string(Light::kRed), "red");
}

// ---- lights of running timers ----

TEST(TimerLightTest, OneWorkHourTimerTurnsYellowAtFortyEightMinutesAndRedAtTheDeadline) {
  const TimerState timer = start_timer(beijing(kMonday, 9h), {1, LimitUnit::kWorkHour}, demo());

  EXPECT_EQ(light_at(timer, beijing(kMonday, 9h + 47min), demo()), Light::kGreen);
  EXPECT_EQ(light_at(timer, beijing(kMonday, 9h + 48min), demo()), Light::kYellow);
  EXPECT_EQ(light_at(timer, beijing(kMonday, 10h), demo()), Light::kRed);
}

TEST(TimerLightTest, LunchBreakDoesNotCountTowardsTheLight) {
  const TimerState timer =
      start_timer(beijing(kMonday, 11h + 30min), {1, LimitUnit::kWorkHour}, demo());

  EXPECT_EQ(timer.deadline, beijing(kMonday, 15h));
  EXPECT_EQ(light_at(timer, beijing(kMonday, 14h + 30min), demo()), Light::kGreen);
  EXPECT_EQ(light_at(timer, beijing(kMonday, 14h + 48min), demo()), Light::kYellow);
  EXPECT_EQ(light_at(timer, beijing(kMonday, 15h), demo()), Light::kRed);
}

TEST(TimerLightTest, WorkDayTimerTurnsYellowAtEightyPercentOfItsWorkingTime) {
  // 2 work days = 14 h of work; 80% = 11.2 h = Mon 5.5 + Tue 3.5 + 2.2 h after 14:30.
  const TimerState timer = start_timer(beijing(kMonday, 10h), {2, LimitUnit::kWorkDay}, demo());

  EXPECT_EQ(timer.deadline, beijing(kWednesday, 10h));
  EXPECT_EQ(light_at(timer, beijing(kTuesday, 16h + 41min), demo()), Light::kGreen);
  EXPECT_EQ(light_at(timer, beijing(kTuesday, 16h + 42min), demo()), Light::kYellow);
  EXPECT_EQ(elapsed_at(timer, beijing(kTuesday, 16h + 42min), demo()), 11h + 12min);
}

TEST(TimerLightTest, TimerStartedOnSaturdayHasUsedNothingBeforeMonday) {
  const TimerState timer =
      start_timer(beijing(2026y / 11 / 28, 10h), {1, LimitUnit::kWorkDay}, demo());

  EXPECT_EQ(elapsed_at(timer, beijing(kNextMonday, 8h), demo()), 0ms);
  EXPECT_EQ(light_at(timer, beijing(kNextMonday, 16h), demo()), Light::kGreen);
}

TEST(TimerLightTest, OverdueTimerKeepsCountingPastItsLimit) {
  const TimerState timer = start_timer(beijing(kMonday, 9h), {1, LimitUnit::kWorkHour}, demo());

  EXPECT_EQ(elapsed_at(timer, beijing(kMonday, 11h), demo()), 2h);
  EXPECT_EQ(escalation_level_at(timer, beijing(kMonday, 10h + 59min), demo()), 1);
  EXPECT_EQ(escalation_level_at(timer, beijing(kMonday, 11h), demo()), 2);
  EXPECT_EQ(escalation_level_at(timer, beijing(kMonday, 9h + 59min), demo()), 0);
}

// ---- overdue ----

TEST(TimerOverdueTest, TimerIsOverdueOnlyAfterItsDeadline) {
  const TimerState timer = start_timer(beijing(kMonday, 9h), {1, LimitUnit::kWorkHour}, demo());

  EXPECT_FALSE(is_overdue_at(timer, beijing(kMonday, 10h)));
  EXPECT_TRUE(is_overdue_at(timer, beijing(kMonday, 10h) + 1ms));
}

TEST(TimerOverdueTest, PausedTimerDoesNotBecomeOverdue) {
  const TimerState timer = start_timer(beijing(kMonday, 9h), {1, LimitUnit::kWorkHour}, demo())
                               .on_suspend(beijing(kMonday, 9h + 30min));

  EXPECT_FALSE(is_overdue_at(timer, beijing(kFriday, 9h)));
}

// ---- handling cycles: suspension and extension ----

TEST(HandlingCycleTest, ResumeMovesAWorkDayDeadlineByTheWorkingTimePaused) {
  // Paused Mon 17:00 – Wed 09:00: 1 h + 7 h + 0.5 h of work = 8.5 h; Tue 10:00 + 8.5 h.
  const TimerState cycle = start_timer(beijing(kMonday, 10h), {1, LimitUnit::kWorkDay}, demo());

  const TimerState resumed =
      cycle.on_suspend(beijing(kMonday, 17h)).on_resume(beijing(kWednesday, 9h), demo());

  EXPECT_EQ(cycle.deadline, beijing(kTuesday, 10h));
  EXPECT_EQ(resumed.deadline, beijing(kWednesday, 11h + 30min));
  EXPECT_FALSE(resumed.is_paused());
}

TEST(HandlingCycleTest, RemainingWorkingTimeIsTheSameAfterAPause) {
  const TimerState cycle = start_timer(beijing(kMonday, 10h), {1, LimitUnit::kWorkDay}, demo());
  const TimerState paused = cycle.on_suspend(beijing(kMonday, 17h));

  const TimerState resumed = paused.on_resume(beijing(kWednesday, 9h), demo());

  EXPECT_EQ(demo().working_time_between(beijing(kMonday, 17h), cycle.deadline),
            demo().working_time_between(beijing(kWednesday, 9h), resumed.deadline));
  EXPECT_EQ(elapsed_at(paused, beijing(kTuesday, 17h), demo()),
            elapsed_at(resumed, beijing(kWednesday, 9h), demo()));
}

TEST(HandlingCycleTest, SuspensionOverAWeekendDoesNotMoveAWorkHourDeadline) {
  const TimerState cycle =
      start_timer(beijing(kFriday, 17h + 30min), {1, LimitUnit::kWorkHour}, demo());

  const TimerState resumed =
      cycle.on_suspend(beijing(kFriday, 18h + 30min)).on_resume(beijing(kNextMonday, 8h), demo());

  EXPECT_EQ(resumed.deadline, beijing(kNextMonday, 9h));
}

TEST(HandlingCycleTest, ResumeMovesAnUrgentDeadlineByTheWallTimePaused) {
  const TimerState cycle = start_timer(beijing(kMonday, 10h), {4, LimitUnit::kUrgentHour}, demo());

  const TimerState resumed =
      cycle.on_suspend(beijing(kMonday, 11h)).on_resume(beijing(kMonday, 13h), demo());

  EXPECT_EQ(resumed.deadline, beijing(kMonday, 16h));
}

TEST(HandlingCycleTest, SuspensionOfAnOverdueCaseLeavesItOverdue) {
  const TimerState cycle = start_timer(beijing(kMonday, 9h), {1, LimitUnit::kWorkHour}, demo());

  const TimerState resumed =
      cycle.on_suspend(beijing(kMonday, 11h)).on_resume(beijing(kTuesday, 9h), demo());

  EXPECT_TRUE(is_overdue_at(resumed, beijing(kTuesday, 9h)));
  EXPECT_EQ(elapsed_at(resumed, beijing(kTuesday, 9h), demo()), 2h);
}

TEST(HandlingCycleTest, LightIsFrozenWhileSuspended) {
  const TimerState paused = start_timer(beijing(kMonday, 9h), {1, LimitUnit::kWorkHour}, demo())
                                .on_suspend(beijing(kMonday, 9h + 30min));

  EXPECT_EQ(elapsed_at(paused, beijing(kFriday, 17h), demo()), 30min);
  EXPECT_EQ(light_at(paused, beijing(kFriday, 17h), demo()), Light::kGreen);
}

TEST(HandlingCycleTest, SecondSuspendKeepsTheFirstPauseAndResumeWithoutPauseChangesNothing) {
  const TimerState cycle = start_timer(beijing(kMonday, 9h), {1, LimitUnit::kWorkHour}, demo());

  const TimerState paused_twice =
      cycle.on_suspend(beijing(kMonday, 9h + 10min)).on_suspend(beijing(kMonday, 9h + 20min));

  EXPECT_EQ(paused_twice.paused_at, beijing(kMonday, 9h + 10min));
  EXPECT_EQ(cycle.on_resume(beijing(kMonday, 9h + 30min), demo()), cycle);
}

TEST(HandlingCycleTest, ApprovedExtensionAddsOneOriginalPeriod) {
  const TimerState cycle = start_timer(beijing(kMonday, 10h), {1, LimitUnit::kWorkDay}, demo());

  const TimerState extended = cycle.on_extension_approved(demo());

  EXPECT_EQ(extended.deadline, beijing(kWednesday, 10h));
  EXPECT_EQ(extended.approved_extensions, 1);
  EXPECT_EQ(extended.limit, (TimeLimit{1, LimitUnit::kWorkDay}));
}

TEST(HandlingCycleTest, ExtensionCountsInTheLight) {
  const TimerState extended = start_timer(beijing(kMonday, 10h), {1, LimitUnit::kWorkDay}, demo())
                                  .on_extension_approved(demo());

  EXPECT_EQ(limit_with_extensions(extended, demo()), 14h);
  EXPECT_EQ(light_at(extended, beijing(kTuesday, 10h), demo()), Light::kGreen);
  EXPECT_EQ(elapsed_at(extended, beijing(kTuesday, 10h), demo()), 7h);
}

TEST(HandlingCycleTest, ExtensionAfterAPauseStacksOnTheMovedDeadline) {
  const TimerState cycle = start_timer(beijing(kMonday, 9h), {2, LimitUnit::kWorkHour}, demo())
                               .on_suspend(beijing(kMonday, 10h))
                               .on_resume(beijing(kMonday, 14h + 30min), demo())  // 2 h
                               .on_extension_approved(demo());

  EXPECT_EQ(cycle.deadline, beijing(kMonday, 17h + 30min));
  EXPECT_EQ(elapsed_at(cycle, beijing(kMonday, 14h + 30min), demo()), 1h);
}

TEST(HandlingCycleTest, ActionsAffectTheCycleAsDomainReferenceSays) {
  EXPECT_EQ(cycle_effect(CaseAction::kDispatch), CycleEffect::kStartFresh);
  EXPECT_EQ(cycle_effect(CaseAction::kReassign), CycleEffect::kStartFresh);
  EXPECT_EQ(cycle_effect(CaseAction::kRework), CycleEffect::kReenter);
  EXPECT_EQ(cycle_effect(CaseAction::kCheck, CheckResult::kFailed), CycleEffect::kReenter);
  EXPECT_EQ(cycle_effect(CaseAction::kCheck, CheckResult::kPassed), CycleEffect::kNone);
  EXPECT_EQ(cycle_effect(CaseAction::kSuspend), CycleEffect::kPause);
  EXPECT_EQ(cycle_effect(CaseAction::kResume), CycleEffect::kResume);
  EXPECT_EQ(cycle_effect(CaseAction::kApproveExtension), CycleEffect::kExtend);
  EXPECT_EQ(cycle_effect(CaseAction::kDenyExtension), CycleEffect::kNone);
  EXPECT_EQ(cycle_effect(CaseAction::kComplete), CycleEffect::kStop);
  EXPECT_EQ(cycle_effect(CaseAction::kReturn), CycleEffect::kEnd);
  EXPECT_EQ(cycle_effect(CaseAction::kReopen), CycleEffect::kEnd);
  EXPECT_EQ(cycle_effect(CaseAction::kMerge), CycleEffect::kEnd);
  EXPECT_EQ(cycle_effect(CaseAction::kUrge), CycleEffect::kNone);
}

// ---- which timers run ----

TEST(StageTimerTest, EachOpenStatusRunsItsStageTimers) {
  using T = StageTimer;
  EXPECT_EQ(timers_for(CaseStatus::kReceived), std::vector{T::kRegistration});
  EXPECT_EQ(timers_for(CaseStatus::kVerifying), std::vector{T::kVerification});
  EXPECT_EQ(timers_for(CaseStatus::kRegistered), std::vector{T::kDispatch});
  EXPECT_EQ(timers_for(CaseStatus::kDispatched), (std::vector{T::kAcknowledgement, T::kHandling}));
  EXPECT_EQ(timers_for(CaseStatus::kHandling), std::vector{T::kHandling});
  EXPECT_EQ(timers_for(CaseStatus::kSuspended), std::vector{T::kHandling});
  EXPECT_EQ(timers_for(CaseStatus::kHandled), std::vector{T::kCheck});
  EXPECT_EQ(timers_for(CaseStatus::kResolved), std::vector{T::kClose});
  EXPECT_EQ(timers_for(CaseStatus::kReplied), std::vector{T::kClose});
  EXPECT_TRUE(timers_for(CaseStatus::kRejected).empty());
  EXPECT_TRUE(timers_for(CaseStatus::kClosed).empty());
}

TEST(StageTimerTest, DefaultLimitsAreOneWorkHourAndTwoForCheck) {
  for (StageTimer timer : kAllStageTimers) {
    const std::optional<TimeLimit> limit = default_limit(timer);
    if (timer == StageTimer::kHandling) {
      EXPECT_EQ(limit, std::nullopt);
    } else if (timer == StageTimer::kCheck) {
      EXPECT_EQ(limit, (TimeLimit{2, LimitUnit::kWorkHour}));
    } else {
      EXPECT_EQ(limit, (TimeLimit{1, LimitUnit::kWorkHour})) << to_string(timer);
    }
  }
}

TEST(StageTimerTest, TimerNamesRoundTrip) {
  for (StageTimer timer : kAllStageTimers) EXPECT_EQ(parse_stage_timer(to_string(timer)), timer);
  EXPECT_EQ(to_string(StageTimer::kAcknowledgement), "acknowledgement");
  EXPECT_EQ(parse_stage_timer("ack"), std::nullopt);
}

TEST(StageTimerTest, ReceiveStartsTheRegistrationTimer) {
  const TimerChanges changes =
      timer_changes(std::nullopt, CaseAction::kReceive, CaseStatus::kReceived);

  EXPECT_EQ(changes, (TimerChanges{{}, {StageTimer::kRegistration}}));
}

TEST(StageTimerTest, DispatchEndsDispatchAndStartsAcknowledgementAndHandling) {
  const TimerChanges changes =
      timer_changes(CaseStatus::kRegistered, CaseAction::kDispatch, CaseStatus::kDispatched);

  EXPECT_EQ(changes, (TimerChanges{{StageTimer::kDispatch},
                                   {StageTimer::kAcknowledgement, StageTimer::kHandling}}));
}

TEST(StageTimerTest, AcknowledgeEndsAcknowledgementAndHandlingRunsOn) {
  const TimerChanges changes =
      timer_changes(CaseStatus::kDispatched, CaseAction::kAcknowledge, CaseStatus::kHandling);

  EXPECT_EQ(changes, (TimerChanges{{StageTimer::kAcknowledgement}, {}}));
}

TEST(StageTimerTest, ReassignRestartsEveryTimerForTheNewUnit) {
  const TimerChanges changes =
      timer_changes(CaseStatus::kHandling, CaseAction::kReassign, CaseStatus::kDispatched);

  EXPECT_EQ(changes, (TimerChanges{{StageTimer::kHandling},
                                   {StageTimer::kAcknowledgement, StageTimer::kHandling}}));
}

TEST(StageTimerTest, SuspendAndSameStateActionsKeepTimersRunning) {
  EXPECT_EQ(timer_changes(CaseStatus::kHandling, CaseAction::kSuspend, CaseStatus::kSuspended),
            TimerChanges{});
  EXPECT_EQ(timer_changes(CaseStatus::kDispatched, CaseAction::kUrge, CaseStatus::kDispatched),
            TimerChanges{});
  EXPECT_EQ(timer_changes(CaseStatus::kResolved, CaseAction::kReply, CaseStatus::kReplied),
            TimerChanges{});
}

TEST(StageTimerTest, FailedCheckEndsCheckAndReentersHandling) {
  const TimerChanges changes =
      timer_changes(CaseStatus::kHandled, CaseAction::kCheck, CaseStatus::kDispatched);

  EXPECT_EQ(changes, (TimerChanges{{StageTimer::kCheck},
                                   {StageTimer::kAcknowledgement, StageTimer::kHandling}}));
}

TEST(StageTimerTest, CompleteEndsHandlingAndStartsCheck) {
  const TimerChanges changes =
      timer_changes(CaseStatus::kHandling, CaseAction::kComplete, CaseStatus::kHandled);

  EXPECT_EQ(changes, (TimerChanges{{StageTimer::kHandling}, {StageTimer::kCheck}}));
}

// ---- outcomes of ended timers ----

TEST(TimerOutcomeTest, EndingAtTheDeadlineIsOnTimeAndAfterItLate) {
  const Timestamp deadline = beijing(kMonday, 10h);

  EXPECT_EQ(timer_outcome(StageTimer::kHandling, CaseAction::kComplete, deadline, deadline),
            TimerOutcome::kOnTime);
  EXPECT_EQ(timer_outcome(StageTimer::kHandling, CaseAction::kComplete, deadline + 1ms, deadline),
            TimerOutcome::kLate);
}

TEST(TimerOutcomeTest, RejectMergeReassignAndWithdrawalCountAsNeither) {
  const Timestamp deadline = beijing(kMonday, 10h);

  for (CaseAction action : {CaseAction::kReject, CaseAction::kMerge, CaseAction::kReassign,
                            CaseAction::kWithdrawVerification}) {
    EXPECT_EQ(timer_outcome(StageTimer::kHandling, action, deadline + 1h, deadline),
              TimerOutcome::kNotCounted)
        << to_string(action);
  }
}

TEST(TimerOutcomeTest, ReturnedHandlingCountsOnlyWhenLate) {
  const Timestamp deadline = beijing(kMonday, 10h);

  EXPECT_EQ(timer_outcome(StageTimer::kHandling, CaseAction::kReturn, deadline, deadline),
            TimerOutcome::kNotCounted);
  EXPECT_EQ(timer_outcome(StageTimer::kHandling, CaseAction::kReturn, deadline + 1ms, deadline),
            TimerOutcome::kLate);
  EXPECT_EQ(timer_outcome(StageTimer::kAcknowledgement, CaseAction::kReturn, deadline, deadline),
            TimerOutcome::kOnTime);
}

}  // namespace
}  // namespace gridcase::domain
