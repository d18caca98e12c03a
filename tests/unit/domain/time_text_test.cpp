#include "gridcase/domain/time_text.hpp"

#include <gtest/gtest.h>

namespace gridcase::domain {
namespace {

using namespace std::chrono_literals;
using std::chrono::year_month_day;

Timestamp utc(year_month_day date, std::chrono::milliseconds time_of_day) {
  return Timestamp{std::chrono::sys_days{date} + time_of_day};
}

constexpr year_month_day kDay = std::chrono::year{2026} / 11 / 25;

// ---- parse_rfc3339 ----

TEST(ParseRfc3339Test, UtcTimeWithZParses) {
  EXPECT_EQ(parse_rfc3339("2026-11-25T10:00:00Z"), utc(kDay, 10h));
}

TEST(ParseRfc3339Test, PositiveOffsetIsSubtractedToReachUtc) {
  EXPECT_EQ(parse_rfc3339("2026-11-25T18:00:00+08:00"), utc(kDay, 10h));
}

TEST(ParseRfc3339Test, NegativeOffsetWithMinutesIsAddedToReachUtc) {
  EXPECT_EQ(parse_rfc3339("2026-11-25T04:30:00-05:30"), utc(kDay, 10h));
}

TEST(ParseRfc3339Test, OffsetCanCrossIntoThePreviousDay) {
  EXPECT_EQ(parse_rfc3339("2026-11-26T02:00:00+08:00"), utc(kDay, 18h));
}

TEST(ParseRfc3339Test, FractionOfASecondIsKeptToTheMillisecond) {
  EXPECT_EQ(parse_rfc3339("2026-11-25T10:00:00.5Z"), utc(kDay, 10h + 500ms));
  EXPECT_EQ(parse_rfc3339("2026-11-25T10:00:00.123456789Z"), utc(kDay, 10h + 123ms));
}

TEST(ParseRfc3339Test, LowercaseSeparatorAndZoneLettersAreAccepted) {
  EXPECT_EQ(parse_rfc3339("2026-11-25t10:00:00z"), utc(kDay, 10h));
}

TEST(ParseRfc3339Test, GarbageIsRefused) {
  for (const char* text :
       {"", "garbage", "2026-11-25", "2026-11-25T10:00", "2026-11-25T10:00:00",
        "2026-11-25T10:00:00Z trailing", "2026-11-25T10:00:00+0800", "2026-11-25T10:00:00+08",
        "2026-11-25T10:00:00.Z", "2026-11-25T10:00:00.1234567890Z", "2026/11/25T10:00:00Z",
        "26-11-25T10:00:00Z", "1764064800"}) {
    EXPECT_EQ(parse_rfc3339(text), std::nullopt) << text;
  }
}

TEST(ParseRfc3339Test, ImpossibleDatesAndTimesAreRefused) {
  for (const char* text :
       {"2026-02-30T10:00:00Z", "2026-13-01T10:00:00Z", "2026-11-25T24:00:00Z",
        "2026-11-25T10:60:00Z", "2026-11-25T10:00:61Z", "2026-11-25T10:00:00+24:00"}) {
    EXPECT_EQ(parse_rfc3339(text), std::nullopt) << text;
  }
}

TEST(ParseRfc3339Test, SignsInsideTheNumberFieldsAreRefused) {
  for (const char* text : {"2026-11-25T-1:00:00Z", "2026-11-25T10:-5:00Z", "2026-11-25T10:00:-1Z",
                           "2026-11-25T10:00:00+-1:00", "2026-11-25T10:00:00-08:-5"}) {
    EXPECT_EQ(parse_rfc3339(text), std::nullopt) << text;
  }
}

TEST(ParseRfc3339Test, FormattedTimeParsesBackToTheSameInstant) {
  const Timestamp at = utc(kDay, 23h + 59min + 58s + 7ms);

  EXPECT_EQ(format_rfc3339(at), "2026-11-25T23:59:58.007Z");
  EXPECT_EQ(parse_rfc3339(format_rfc3339(at)), at);
}

TEST(ParseRfc3339Test, LeapSecondReadsAsTheSecondBefore) {
  EXPECT_EQ(parse_rfc3339("2026-11-25T10:00:60Z"), utc(kDay, 10h + 59s));
}

TEST(FormatRfc3339Test, InstantsBeforeTheEpochAndAtMidnightAreWrittenInUtc) {
  EXPECT_EQ(format_rfc3339(utc(std::chrono::year{1969} / 12 / 31, 23h + 59min + 59s + 999ms)),
            "1969-12-31T23:59:59.999Z");
  EXPECT_EQ(format_rfc3339(utc(kDay, 0ms)), "2026-11-25T00:00:00.000Z");
}

// ---- is_iso_date ----

TEST(IsoDateTest, RealCalendarDatesAreAccepted) {
  EXPECT_TRUE(is_iso_date("2024-01-31"));
  EXPECT_TRUE(is_iso_date("2024-02-29"));
  EXPECT_TRUE(is_iso_date("2000-02-29"));
  EXPECT_TRUE(is_iso_date("2023-12-31"));
}

TEST(IsoDateTest, DaysThatDoNotExistAreRefused) {
  EXPECT_FALSE(is_iso_date("2023-02-29"));
  EXPECT_FALSE(is_iso_date("1900-02-29"));
  EXPECT_FALSE(is_iso_date("2024-04-31"));
  EXPECT_FALSE(is_iso_date("2024-13-01"));
  EXPECT_FALSE(is_iso_date("2024-00-10"));
  EXPECT_FALSE(is_iso_date("2024-01-00"));
}

TEST(IsoDateTest, OtherSpellingsAreRefused) {
  EXPECT_FALSE(is_iso_date("2024-1-01"));
  EXPECT_FALSE(is_iso_date("2024/01/01"));
  EXPECT_FALSE(is_iso_date("20240101"));
  EXPECT_FALSE(is_iso_date("2024-01-01T00:00:00Z"));
  EXPECT_FALSE(is_iso_date("２０24-01-01"));
  EXPECT_FALSE(is_iso_date(""));
}

TEST(IsoDateTest, IsoDatesParseStrictly) {
  EXPECT_EQ(parse_iso_date("2026-11-30"), 2026y / 11 / 30);
  EXPECT_EQ(parse_iso_date("2026-02-30"), std::nullopt);
  EXPECT_EQ(parse_iso_date("2026-1-30"), std::nullopt);
  EXPECT_EQ(parse_iso_date("2026-11-30T00"), std::nullopt);
  EXPECT_EQ(parse_iso_date("２026-11-30"), std::nullopt);
  EXPECT_EQ(format_iso_date(2026y / 1 / 5), "2026-01-05");
}

TEST(IsoDateTest, FormattedDateParsesBackToTheSameDate) {
  for (const year_month_day date : {2026y / 11 / 30, 2024y / 2 / 29, 1y / 1 / 1, 9999y / 12 / 31}) {
    EXPECT_EQ(parse_iso_date(format_iso_date(date)), date) << format_iso_date(date);
  }
}

// ---- time of day ----

TEST(TimeOfDayTest, HoursAndMinutesFromMidnightToTheEndOfTheDay) {
  EXPECT_EQ(parse_time_of_day("00:00"), 0min);
  EXPECT_EQ(parse_time_of_day("08:30"), 8h + 30min);
  EXPECT_EQ(parse_time_of_day("24:00"), 24h);
  EXPECT_EQ(format_time_of_day(8h + 30min), "08:30");
  EXPECT_EQ(format_time_of_day(24h), "24:00");
}

TEST(TimeOfDayTest, OtherSpellingsAndImpossibleTimesAreRefused) {
  for (const char* text : {"", "8:30", "08:30:00", "0830", "08-30", "24:01", "25:00", "08:60",
                           "-8:30", "08:+5", "０8:30"}) {
    EXPECT_EQ(parse_time_of_day(text), std::nullopt) << text;
  }
}

// ---- UTC offsets ----

TEST(UtcOffsetTest, SignedHoursAndMinutesRoundTrip) {
  EXPECT_EQ(parse_utc_offset("+08:00"), 8h);
  EXPECT_EQ(parse_utc_offset("-05:30"), -(5h + 30min));
  EXPECT_EQ(parse_utc_offset("+00:00"), 0min);
  EXPECT_EQ(format_utc_offset(8h), "+08:00");
  EXPECT_EQ(format_utc_offset(-(5h + 30min)), "-05:30");
  EXPECT_EQ(format_utc_offset(0min), "+00:00");
}

TEST(UtcOffsetTest, NegativeZeroAndMalformedOffsetsAreRefused) {
  for (const char* text : {"-00:00", "08:00", "+8:00", "+08:75", "+0800", "Z", "+08:-5", ""}) {
    EXPECT_EQ(parse_utc_offset(text), std::nullopt) << text;
  }
}

// ---- month-days ----

TEST(MonthDayTest, DaysOfAnyYearIncludingTheLeapDayRoundTrip) {
  EXPECT_EQ(parse_month_day("10-01"), std::chrono::October / 1);
  EXPECT_EQ(parse_month_day("02-29"), std::chrono::February / 29);
  EXPECT_EQ(format_month_day(std::chrono::January / 1), "01-01");
}

TEST(MonthDayTest, ImpossibleDaysAndOtherSpellingsAreRefused) {
  for (const char* text : {"02-30", "13-01", "1-01", "01-1", "0101", "2026-01-01", "", "+1-01"}) {
    EXPECT_EQ(parse_month_day(text), std::nullopt) << text;
  }
}

}  // namespace
}  // namespace gridcase::domain
