#include "gridcase/domain/enum_names.hpp"

#include <gtest/gtest.h>

#include "gridcase/domain/case.hpp"
#include "gridcase/domain/grid.hpp"
#include "gridcase/domain/report.hpp"
#include "gridcase/domain/scope.hpp"
#include "gridcase/domain/time_limit.hpp"
#include "gridcase/domain/timers.hpp"
#include "gridcase/service/account_repository.hpp"

namespace gridcase::domain {
namespace {

// The check each table is held to, shown able to fail.
enum class Colour { kRed, kGreen, kBlue };
constexpr EnumNames<Colour, 3> kColours{
    {{Colour::kRed, "red"}, {Colour::kGreen, "green"}, {Colour::kBlue, "blue"}}};
constexpr EnumNames<Colour, 2> kMissingTheLast{{{Colour::kRed, "red"}, {Colour::kGreen, "green"}}};
constexpr EnumNames<Colour, 3> kOutOfOrder{
    {{Colour::kGreen, "green"}, {Colour::kRed, "red"}, {Colour::kBlue, "blue"}}};
constexpr EnumNames<Colour, 3> kNameTwice{
    {{Colour::kRed, "red"}, {Colour::kGreen, "red"}, {Colour::kBlue, "blue"}}};
static_assert(covers_every_value(kColours));
static_assert(!covers_every_value(kMissingTheLast));
static_assert(!covers_every_value(kOutOfOrder));
static_assert(!covers_every_value(kNameTwice));
constexpr Colour kAllColours[] = {Colour::kRed, Colour::kGreen, Colour::kBlue};
constexpr Colour kTwoColours[] = {Colour::kRed, Colour::kBlue};
static_assert(lists_every_value(kAllColours, kColours));
static_assert(!lists_every_value(kTwoColours, kColours));

TEST(EnumNamesTest, NamesAndValuesTranslateBothWays) {
  EXPECT_EQ(name_of(kColours, Colour::kBlue), "blue");
  EXPECT_EQ(value_named(kColours, "green"), Colour::kGreen);
  EXPECT_EQ(value_named(kColours, "Green"), std::nullopt);
  EXPECT_EQ(value_named(kColours, ""), std::nullopt);
  EXPECT_EQ(name_of(kColours, static_cast<Colour>(7)), "unknown");
}

/// Every value 0 .. count-1 of Enum has a name that parses back to it, and value `count` has
/// none: the table is as long as the enum.
template <class Enum, class Parse>
void expect_round_trips(int count, Parse parse) {
  for (int i = 0; i < count; ++i) {
    const auto value = static_cast<Enum>(i);
    const std::string_view name = to_string(value);
    EXPECT_NE(name, "unknown") << i;
    EXPECT_EQ(parse(name), value) << name;
  }
  EXPECT_EQ(to_string(static_cast<Enum>(count)), "unknown");
  EXPECT_EQ(parse("unknown"), std::nullopt);
}

TEST(EnumNamesTest, EveryDomainEnumRoundTripsThroughItsName) {
  expect_round_trips<CaseStatus>(11, parse_case_status);
  expect_round_trips<CaseAction>(26, parse_case_action);
  expect_round_trips<Role>(9, parse_role);
  expect_round_trips<CheckResult>(2, parse_check_result);
  expect_round_trips<Channel>(10, parse_channel);
  expect_round_trips<CaseOutcome>(3, parse_case_outcome);
  expect_round_trips<GridLevel>(4, parse_grid_level);
  expect_round_trips<Duty>(3, parse_duty);
  expect_round_trips<ScopeKind>(4, parse_scope_kind);
  expect_round_trips<LimitUnit>(4, parse_limit_unit);
  expect_round_trips<StageTimer>(7, parse_stage_timer);
  expect_round_trips<TimerOutcome>(3, parse_timer_outcome);
  expect_round_trips<ReportPeriod>(5, parse_report_period);
  expect_round_trips<ReportDimension>(8, parse_report_dimension);
  expect_round_trips<service::TokenKind>(3, service::parse_token_kind);
}

TEST(EnumNamesTest, NamesAreTheSpellingsTheApiAndTheDatabaseUse) {
  EXPECT_EQ(to_string(TimerOutcome::kNotCounted), "not_counted");
  EXPECT_EQ(to_string(CaseOutcome::kMerged), "merged");
  EXPECT_EQ(to_string(Channel::kHotline12319), "hotline_12319");
  EXPECT_EQ(to_string(CaseAction::kWithdrawVerification), "withdraw_verification");
  EXPECT_EQ(to_string(ReportPeriod::kYearToDate), "ytd");
  EXPECT_EQ(to_string(BacklogAge::kOneToThreeDays), "1_3d");
  EXPECT_EQ(to_string(Grade::kE), "E");
  EXPECT_EQ(to_string(Light::kYellow), "yellow");
  EXPECT_EQ(to_string(service::TokenKind::kIntegration), "integration");
  EXPECT_EQ(to_string(service::TokenKind::kKiosk), "kiosk");
}

}  // namespace
}  // namespace gridcase::domain
