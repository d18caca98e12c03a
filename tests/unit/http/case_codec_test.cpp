#include "http/case_codec.hpp"

#include <gtest/gtest.h>

#include "error_of.hpp"
#include "gridcase/domain/error.hpp"

namespace gridcase::http {
namespace {

using testing::error_of;

using namespace std::chrono_literals;
using domain::Error;
using domain::ErrorCode;
using domain::Timestamp;
using nlohmann::json;

std::vector<std::string> fields_of(const Error& error) {
  std::vector<std::string> fields;
  for (const domain::FieldError& field : error.details().fields) fields.push_back(field.field);
  return fields;
}

Timestamp utc(std::chrono::year_month_day date, std::chrono::milliseconds time_of_day) {
  return Timestamp{std::chrono::sys_days{date} + time_of_day};
}

constexpr std::chrono::year_month_day kDay = std::chrono::year{2026} / 11 / 25;

// ---- decode_new_case ----

json hotline_body() {
  return json{{"channel", "hotline_12319"},
              {"description", "占道经营 road-occupying stall"},
              {"lon", 109.83},
              {"lat", 40.65},
              {"address", "钢铁大街 18 号"},
              {"category", "event:0101"},
              {"occurred_at", "2026-11-25T09:40:00+08:00"},
              {"photos", json::array({"https://photos.example.cn/1.jpg"})},
              {"reporter", {{"name", "张三"}, {"phone", "13812345678"}, {"confidential", true}}},
              {"call",
               {{"started_at", "2026-11-25T01:50:00Z"},
                {"ended_at", "2026-11-25T01:53:00Z"},
                {"operator", "op-07"}}}};
}

TEST(DecodeNewCaseTest, FullHotlineBodyIsReadFieldByField) {
  const domain::NewCase intake = decode_new_case(hotline_body());

  EXPECT_EQ(intake.channel, domain::Channel::kHotline12319);
  EXPECT_EQ(intake.description, "占道经营 road-occupying stall");
  ASSERT_TRUE(intake.point);
  EXPECT_DOUBLE_EQ(intake.point->lon, 109.83);
  EXPECT_DOUBLE_EQ(intake.point->lat, 40.65);
  EXPECT_EQ(intake.address, "钢铁大街 18 号");
  EXPECT_EQ(intake.category_key, "event:0101");
  EXPECT_EQ(intake.occurred_at, utc(kDay, 1h + 40min));
  EXPECT_EQ(intake.photos, std::vector<std::string>{"https://photos.example.cn/1.jpg"});
  ASSERT_TRUE(intake.reporter);
  EXPECT_EQ(intake.reporter->name, "张三");
  EXPECT_EQ(intake.reporter->phone, "13812345678");
  EXPECT_TRUE(intake.reporter->confidential);
  ASSERT_TRUE(intake.call);
  EXPECT_EQ(intake.call->started_at, utc(kDay, 1h + 50min));
  EXPECT_EQ(intake.call->ended_at, utc(kDay, 1h + 53min));
  EXPECT_EQ(intake.call->operator_name, "op-07");
}

TEST(DecodeNewCaseTest, PatrolOfficerAndMailboxLetterAreRead) {
  const domain::NewCase patrol = decode_new_case(
      json{{"channel", "patrol"}, {"description", "x"}, {"officer", "150203004-01"}});
  const domain::NewCase letter =
      decode_new_case(json{{"channel", "mayor_mailbox"},
                           {"description", "x"},
                           {"letter", {{"subject", "s"}, {"body", "b"}}}});

  EXPECT_EQ(patrol.officer_code, "150203004-01");
  ASSERT_TRUE(letter.letter);
  EXPECT_EQ(letter.letter->subject, "s");
  EXPECT_EQ(letter.letter->body, "b");
}

TEST(DecodeNewCaseTest, MissingChannelIsMalformedNamingIt) {
  json body = hotline_body();
  body.erase("channel");

  const Error error = error_of([&] { decode_new_case(body); });

  EXPECT_EQ(error.code(), ErrorCode::kMalformed);
  EXPECT_EQ(fields_of(error), std::vector<std::string>{"channel"});
}

TEST(DecodeNewCaseTest, UnknownChannelIsInvalidNamingIt) {
  json body = hotline_body();
  body["channel"] = "fax";

  const Error error = error_of([&] { decode_new_case(body); });

  EXPECT_EQ(error.code(), ErrorCode::kInvalidValue);
  EXPECT_EQ(fields_of(error), std::vector<std::string>{"channel"});
}

TEST(DecodeNewCaseTest, ChannelOfTheWrongTypeIsMalformedNamingIt) {
  json body = hotline_body();
  body["channel"] = 12319;

  const Error error = error_of([&] { decode_new_case(body); });

  EXPECT_EQ(error.code(), ErrorCode::kMalformed);
  EXPECT_EQ(fields_of(error), std::vector<std::string>{"channel"});
}

TEST(DecodeNewCaseTest, CoordinateGivenAsTextIsMalformedNamingIt) {
  json body = hotline_body();
  body["lat"] = "40.65";

  const Error error = error_of([&] { decode_new_case(body); });

  EXPECT_EQ(error.code(), ErrorCode::kMalformed);
  EXPECT_EQ(fields_of(error), std::vector<std::string>{"lat"});
}

TEST(DecodeNewCaseTest, LongitudeWithoutLatitudeIsMalformedNamingTheMissingOne) {
  json body = hotline_body();
  body.erase("lat");

  const Error error = error_of([&] { decode_new_case(body); });

  EXPECT_EQ(error.code(), ErrorCode::kMalformed);
  EXPECT_EQ(fields_of(error), std::vector<std::string>{"lat"});
}

TEST(DecodeNewCaseTest, PhotosThatAreNoArrayOfStringsAreMalformedNamingThem) {
  for (const json& photos : {json("https://photos.example.cn/1.jpg"), json::array({1, 2})}) {
    json body = hotline_body();
    body["photos"] = photos;

    const Error error = error_of([&] { decode_new_case(body); });

    EXPECT_EQ(error.code(), ErrorCode::kMalformed) << photos;
    EXPECT_EQ(fields_of(error), std::vector<std::string>{"photos"}) << photos;
  }
}

TEST(DecodeNewCaseTest, ConfidentialFlagThatIsNoBooleanIsMalformedNamingItsPath) {
  json body = hotline_body();
  body["reporter"]["confidential"] = "yes";

  const Error error = error_of([&] { decode_new_case(body); });

  EXPECT_EQ(error.code(), ErrorCode::kMalformed);
  EXPECT_EQ(fields_of(error), std::vector<std::string>{"reporter.confidential"});
}

TEST(DecodeNewCaseTest, UnknownTopLevelFieldIsMalformedNamingIt) {
  json body = hotline_body();
  body["priority"] = "high";

  const Error error = error_of([&] { decode_new_case(body); });

  EXPECT_EQ(error.code(), ErrorCode::kMalformed);
  EXPECT_EQ(fields_of(error), std::vector<std::string>{"priority"});
}

TEST(DecodeNewCaseTest, UnknownNestedFieldIsMalformedNamingItsPath) {
  json body = hotline_body();
  body["reporter"]["nickname"] = "三哥";

  const Error error = error_of([&] { decode_new_case(body); });

  EXPECT_EQ(error.code(), ErrorCode::kMalformed);
  EXPECT_EQ(fields_of(error), std::vector<std::string>{"reporter.nickname"});
}

TEST(DecodeNewCaseTest, CallWithoutStartIsMalformedNamingIt) {
  json body = hotline_body();
  body["call"].erase("started_at");

  const Error error = error_of([&] { decode_new_case(body); });

  EXPECT_EQ(error.code(), ErrorCode::kMalformed);
  EXPECT_EQ(fields_of(error), std::vector<std::string>{"call.started_at"});
}

TEST(DecodeNewCaseTest, CallStartThatIsNoRfc3339TimeIsMalformedNamingIt) {
  json body = hotline_body();
  body["call"]["started_at"] = "yesterday at ten";

  const Error error = error_of([&] { decode_new_case(body); });

  EXPECT_EQ(error.code(), ErrorCode::kMalformed);
  EXPECT_EQ(fields_of(error), std::vector<std::string>{"call.started_at"});
}

TEST(DecodeNewCaseTest, ReporterThatIsNoObjectIsMalformedNamingIt) {
  json body = hotline_body();
  body["reporter"] = "张三 13812345678";

  const Error error = error_of([&] { decode_new_case(body); });

  EXPECT_EQ(error.code(), ErrorCode::kMalformed);
  EXPECT_EQ(fields_of(error), std::vector<std::string>{"reporter"});
}

TEST(DecodeNewCaseTest, BodyThatIsNoObjectIsMalformed) {
  const Error error = error_of([] { decode_new_case(json::array({1})); });

  EXPECT_EQ(error.code(), ErrorCode::kMalformed);
  EXPECT_EQ(fields_of(error), std::vector<std::string>{"body"});
}

TEST(DecodeNewCaseTest, NullFieldsCountAsAbsent) {
  json body = hotline_body();
  body["address"] = nullptr;
  body["category"] = nullptr;

  const domain::NewCase intake = decode_new_case(body);

  EXPECT_EQ(intake.address, std::nullopt);
  EXPECT_EQ(intake.category_key, std::nullopt);
}

// ---- decode_action_input ----

TEST(DecodeActionInputTest, EmptyBodyGivesNoParameters) {
  const domain::ActionInput input = decode_action_input(json());

  EXPECT_EQ(input.unit, std::nullopt);
  EXPECT_EQ(input.reason, std::nullopt);
  EXPECT_TRUE(input.attachments.empty());
}

TEST(DecodeActionInputTest, ParametersOfEveryKindAreRead) {
  const domain::ActionInput input =
      decode_action_input(json{{"unit", "150203004-enforcement"},
                               {"assignee", "zhang"},
                               {"reached", true},
                               {"satisfaction", "satisfied"},
                               {"until", "2026-11-26T00:00:00Z"},
                               {"lon", 109.83},
                               {"lat", 40.65},
                               {"attachments", json::array({"https://photos.example.cn/a.jpg"})}});

  EXPECT_EQ(input.unit, "150203004-enforcement");
  EXPECT_EQ(input.assignee, "zhang");
  EXPECT_EQ(input.reached, true);
  EXPECT_EQ(input.satisfaction, "satisfied");
  EXPECT_EQ(input.until, utc(std::chrono::year{2026} / 11 / 26, 0h));
  ASSERT_TRUE(input.point);
  EXPECT_DOUBLE_EQ(input.point->lat, 40.65);
  EXPECT_EQ(input.attachments.size(), 1U);
}

TEST(DecodeActionInputTest, UnknownParameterIsMalformedNamingIt) {
  const Error error = error_of([] {
    decode_action_input(json{{"unit_code", "150203004-enforcement"}});
  });

  EXPECT_EQ(error.code(), ErrorCode::kMalformed);
  EXPECT_EQ(fields_of(error), std::vector<std::string>{"unit_code"});
}

TEST(DecodeActionInputTest, ReachedThatIsNoBooleanIsMalformedNamingIt) {
  const Error error = error_of([] { decode_action_input(json{{"reached", "yes"}}); });

  EXPECT_EQ(error.code(), ErrorCode::kMalformed);
  EXPECT_EQ(fields_of(error), std::vector<std::string>{"reached"});
}

TEST(DecodeActionInputTest, UntilThatIsNoRfc3339TimeIsMalformedNamingIt) {
  const Error error = error_of([] { decode_action_input(json{{"until", "next week"}}); });

  EXPECT_EQ(error.code(), ErrorCode::kMalformed);
  EXPECT_EQ(fields_of(error), std::vector<std::string>{"until"});
}

// ---- If-Match ----

Request with_header(std::string_view name, std::string_view value) {
  Request request;
  request.message.method(beast_http::verb::post);
  request.message.target("/api/v1/cases");
  request.message.set(name, value);
  return request;
}

TEST(DecodeIfMatchTest, QuotedEtagIsTheVersion) {
  EXPECT_EQ(decode_if_match(with_header("If-Match", "\"3\"")), 3);
}

TEST(DecodeIfMatchTest, BareAndWeakEtagsAreAcceptedToo) {
  EXPECT_EQ(decode_if_match(with_header("If-Match", "12")), 12);
  EXPECT_EQ(decode_if_match(with_header("If-Match", "W/\"7\"")), 7);
}

TEST(DecodeIfMatchTest, AbsentHeaderMeansNoPrecondition) {
  EXPECT_EQ(decode_if_match(Request{}), std::nullopt);
}

TEST(DecodeIfMatchTest, AnythingButAPositiveVersionIsMalformedNamingIt) {
  for (const char* value :
       {"\"abc\"", "\"0\"", "\"-1\"", "\"\"", "\"3", "*", "\"3\", \"4\"", "3.0"}) {
    const Error error = error_of([&] { decode_if_match(with_header("If-Match", value)); });

    EXPECT_EQ(error.code(), ErrorCode::kMalformed) << value;
    EXPECT_EQ(fields_of(error), std::vector<std::string>{"If-Match"}) << value;
  }
}

// ---- the case document ----

service::TimerRow timer_row(domain::StageTimer timer, Timestamp started, Timestamp deadline) {
  service::TimerRow row;
  row.timer = timer;
  row.started_at = started;
  row.deadline = deadline;
  row.limit = domain::TimeLimit{1, domain::LimitUnit::kWorkHour};
  return row;
}

TEST(CaseDocumentTest, ListsWhatTheActorMayDoInTheCasesState) {
  const service::CaseView view{
      service::JsonText{R"({"case_no":"150203-20261125-000001","status":"handling"})"}, {}};
  const domain::Actor unit{"u1", domain::RoleSet{domain::Role::kUnit}, domain::Role::kUnit};

  const json document = case_document(view, &unit);

  EXPECT_EQ(document.at("allowed_actions"),
            json::array({"return", "request_extension", "request_suspension", "complete"}));
}

TEST(CaseDocumentTest, RunningTimerShowsItsLightAndEndedTimerItsOutcome) {
  const Timestamp start = utc(kDay, 2h);
  service::TimerRow ended = timer_row(domain::StageTimer::kRegistration, start, start + 1h);
  ended.ended_at = start + 30min;
  ended.outcome = domain::TimerOutcome::kOnTime;
  const service::TimerRow running =
      timer_row(domain::StageTimer::kDispatch, start + 30min, start + 90min);
  const service::CaseView view{service::JsonText{R"({"status":"registered"})"},
                               {service::TimerView{ended, std::nullopt, false},
                                service::TimerView{running, domain::Light::kYellow, false}}};

  const json document = case_document(view, nullptr);

  const json& timers = document.at("timers");
  ASSERT_EQ(timers.size(), 2U);
  EXPECT_EQ(timers[0].at("timer"), "registration");
  EXPECT_EQ(timers[0].at("running"), false);
  EXPECT_EQ(timers[0].at("outcome"), "on_time");
  EXPECT_FALSE(timers[0].contains("light"));
  EXPECT_EQ(timers[1].at("running"), true);
  EXPECT_EQ(timers[1].at("light"), "yellow");
  EXPECT_EQ(timers[1].at("deadline"), "2026-11-25T03:30:00.000Z");
  EXPECT_FALSE(document.contains("allowed_actions"));
}

// ---- the work calendar ----

TEST(CalendarCodecTest, CalendarRoundTripsThroughJson) {
  domain::WorkCalendarSpec spec = domain::WorkCalendar::demo().spec();
  spec.holidays.push_back(std::chrono::year{2026} / 12 / 31);
  spec.swapped_working_days.push_back(std::chrono::year{2026} / 11 / 28);

  const domain::WorkCalendarSpec read = calendar_from_json(calendar_to_json(spec));

  EXPECT_EQ(read, spec);
}

TEST(CalendarCodecTest, OffsetIsWrittenAsSignedHoursAndMinutes) {
  domain::WorkCalendarSpec spec = domain::WorkCalendar::demo().spec();
  spec.utc_offset = std::chrono::minutes{-330};

  EXPECT_EQ(calendar_to_json(spec).at("utc_offset"), "-05:30");
}

// Found writing the request_body fuzz target's "stored as written" check: "+08:75" was read
// as 8 h 75 min and stored as +09:15 (corpus: request_body/calendar_offset_minutes_75).
TEST(CalendarCodecTest, OffsetWithMinutesPastFiftyNineIsMalformed) {
  json body = calendar_to_json(domain::WorkCalendar::demo().spec());
  body["utc_offset"] = "+08:75";

  const Error error = error_of([&] { calendar_from_json(body); });

  EXPECT_EQ(error.code(), ErrorCode::kMalformed);
  EXPECT_EQ(fields_of(error), std::vector<std::string>{"utc_offset"});
}

// RFC 3339 reads -00:00 as "offset unknown"; a calendar must know its own.
TEST(CalendarCodecTest, NegativeZeroOffsetIsMalformed) {
  json body = calendar_to_json(domain::WorkCalendar::demo().spec());
  body["utc_offset"] = "-00:00";

  const Error error = error_of([&] { calendar_from_json(body); });

  EXPECT_EQ(error.code(), ErrorCode::kMalformed);
  EXPECT_EQ(fields_of(error), std::vector<std::string>{"utc_offset"});
}

TEST(CalendarCodecTest, UnknownWeekdayIsMalformedNamingItsPath) {
  const json body{{"utc_offset", "+08:00"},
                  {"working_periods",
                   json::array({{{"weekday", "monday"}, {"start", "08:30"}, {"end", "12:00"}}})}};

  const Error error = error_of([&] { calendar_from_json(body); });

  EXPECT_EQ(error.code(), ErrorCode::kMalformed);
  EXPECT_EQ(fields_of(error), std::vector<std::string>{"working_periods[0].weekday"});
}

TEST(CalendarCodecTest, HolidayThatIsNoDateIsMalformedNamingItsIndex) {
  json body = calendar_to_json(domain::WorkCalendar::demo().spec());
  body["holidays"] = json::array({"2026-10-08", "2026-02-30"});

  const Error error = error_of([&] { calendar_from_json(body); });

  EXPECT_EQ(error.code(), ErrorCode::kMalformed);
  EXPECT_EQ(fields_of(error), std::vector<std::string>{"holidays[1]"});
}

// ---- the catalogue and its time limits ----

TEST(DecodeCatalogTest, ALimitIsReadAsAPairOrAsTheObjectTheListingShows) {
  const json body{{"categories",
                   {{{"key", "event:0101"},
                     {"name", "私搭乱建"},
                     {"retired_at", nullptr},
                     {"conditions",
                      {{{"id", "stop"},
                        {"text", "t"},
                        {"limit", {{"value", 4}, {"unit", "work_hour"}}},
                        {"unit_type", "enforcement"}},
                       {{"id", "old"},
                        {"text", "t"},
                        {"limit", json::array({2, "work_day"})},
                        {"unit_type", "enforcement"}}}}}}}};

  const std::vector<domain::Category> categories = decode_catalog(body);

  ASSERT_EQ(categories.size(), 1U);
  ASSERT_EQ(categories[0].conditions.size(), 2U);
  EXPECT_EQ(categories[0].conditions[0].limit_value, 4);
  EXPECT_EQ(categories[0].conditions[0].limit_unit, "work_hour");
  EXPECT_EQ(categories[0].conditions[1].limit_value, 2);
  EXPECT_EQ(categories[0].conditions[1].limit_unit, "work_day");
}

TEST(DecodeCatalogTest, ALimitObjectWithoutItsUnitIsMalformedNamingTheLimit) {
  const json body{{"categories",
                   {{{"key", "event:0101"},
                     {"name", "私搭乱建"},
                     {"conditions",
                      {{{"id", "stop"},
                        {"text", "t"},
                        {"limit", {{"value", 4}}},
                        {"unit_type", "enforcement"}}}}}}}};

  const Error error = error_of([&] { decode_catalog(body); });

  EXPECT_EQ(error.code(), ErrorCode::kMalformed);
  EXPECT_EQ(fields_of(error), std::vector<std::string>{"categories[0].conditions[0].limit"});
}

TEST(DecodeTimeLimitsTest, EachMemberIsATimerWithItsLimit) {
  const std::vector<domain::TimeLimitOverride> overrides = decode_time_limits(
      json{{"check", {{"value", 4}, {"unit", "work_hour"}}}, {"close", nullptr}});

  ASSERT_EQ(overrides.size(), 1U);
  EXPECT_EQ(overrides[0].timer, "check");
  EXPECT_EQ(overrides[0].value, 4);
  EXPECT_EQ(overrides[0].unit, "work_hour");
}

TEST(DecodeTimeLimitsTest, AMemberOfTheWrongShapeIsMalformedNamingIt) {
  EXPECT_EQ(fields_of(error_of([] {
              decode_time_limits(json{{"check", 4}});
            })),
            std::vector<std::string>{"check"});
  EXPECT_EQ(fields_of(error_of([] {
              decode_time_limits(json{{"check", {{"unit", "work_hour"}}}});
            })),
            std::vector<std::string>{"check.value"});
  EXPECT_EQ(fields_of(error_of([] {
              decode_time_limits(json{{"check", {{"value", 4}, {"unit", "work_hour"}, {"x", 1}}}});
            })),
            std::vector<std::string>{"check.x"});
  EXPECT_EQ(error_of([] { decode_time_limits(json::array()); }).code(), ErrorCode::kMalformed);
}

}  // namespace
}  // namespace gridcase::http
