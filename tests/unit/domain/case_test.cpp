#include "gridcase/domain/case.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <vector>

#include "error_of.hpp"

namespace gridcase::domain {
namespace {

using testing::error_of;

using namespace std::chrono_literals;
using std::chrono::year_month_day;

// ---- fixed time, calendar and helpers ----

/// A local (+08:00) wall-clock time on `date`.
Timestamp beijing(year_month_day date, std::chrono::minutes time_of_day) {
  return Timestamp{std::chrono::sys_days{date} + time_of_day - 8h};
}

constexpr year_month_day kMonday = 2026y / 11 / 23;
constexpr year_month_day kTuesday = 2026y / 11 / 24;
const Timestamp kNow = beijing(kMonday, 10h);  // Monday 10:00, inside the morning period

constexpr TimeLimit kFourWorkHours{4, LimitUnit::kWorkHour};     // event:0101/stop
constexpr TimeLimit kTwoUrgentHours{2, LimitUnit::kUrgentHour};  // component:0101/missing

const WorkCalendar& demo() {
  static const WorkCalendar calendar = WorkCalendar::demo();
  return calendar;
}

std::vector<std::string> fields_of(const Error& error) {
  std::vector<std::string> fields;
  for (const FieldError& field : error.details().fields) fields.push_back(field.field);
  return fields;
}

bool names(const Error& error, const std::string& field) {
  const std::vector<std::string> fields = fields_of(error);
  return std::find(fields.begin(), fields.end(), field) != fields.end();
}

// ---- intake ----

/// The smallest report each channel accepts (domain.md §4).
NewCase report(Channel channel) {
  NewCase intake;
  intake.channel = channel;
  intake.description = "路边垃圾堆放 exposed garbage by the road";
  intake.point = Point{109.83, 40.65};
  if (is_hotline(channel)) {
    intake.reporter = Reporter{"张三", "13812345678", false};
    intake.call = HotlineCall{kNow - 5min, kNow - 2min, "op-07"};
  }
  if (channel == Channel::kPatrol) {
    intake.officer_code = "150203004-01";
    intake.photos = {"https://photos.example.cn/p/1.jpg"};
  }
  if (channel == Channel::kMayorMailbox)
    intake.letter = Letter{"关于垃圾的来信", "小区门口垃圾三天没有清运。"};
  return intake;
}

TEST(IntakeValidationTest, MinimalReportOfEveryChannelIsValid) {
  for (Channel channel : kAllChannels) {
    SCOPED_TRACE(std::string(to_string(channel)));

    EXPECT_NO_THROW(require_valid(report(channel), kNow));
  }
}

TEST(IntakeValidationTest, EveryHotlineChannelNeedsItsCall) {
  for (Channel channel : {Channel::kHotline12319, Channel::kHotline12345, Channel::kMayorHotline}) {
    NewCase intake = report(channel);
    intake.call.reset();

    const Error error = error_of([&] { require_valid(intake, kNow); });

    EXPECT_EQ(error.code(), ErrorCode::kMalformed) << to_string(channel);
    EXPECT_TRUE(names(error, "call")) << to_string(channel);
  }
}

TEST(IntakeValidationTest, HotlineCaseFromAnAnonymousCallerWithAPhoneIsValid) {
  for (Channel channel : {Channel::kHotline12319, Channel::kHotline12345, Channel::kMayorHotline}) {
    NewCase intake = report(channel);
    intake.reporter->name.reset();

    EXPECT_NO_THROW(require_valid(intake, kNow)) << to_string(channel);
  }
}

TEST(IntakeValidationTest, HotlineCaseWithoutReporterPhoneIsMalformedNamingIt) {
  NewCase intake = report(Channel::kHotline12345);
  intake.reporter->phone.reset();

  const Error error = error_of([&] { require_valid(intake, kNow); });

  EXPECT_EQ(error.code(), ErrorCode::kMalformed);
  EXPECT_EQ(fields_of(error), std::vector<std::string>{"reporter.phone"});
}

TEST(IntakeValidationTest, HotlineCaseWithoutAnyReporterNamesThePhoneOnly) {
  NewCase intake = report(Channel::kMayorHotline);
  intake.reporter.reset();

  const Error error = error_of([&] { require_valid(intake, kNow); });

  EXPECT_EQ(error.code(), ErrorCode::kMalformed);
  EXPECT_EQ(fields_of(error), std::vector<std::string>{"reporter.phone"});
}

TEST(IntakeValidationTest, HotlineCallWithoutOperatorIsMalformedNamingIt) {
  NewCase intake = report(Channel::kHotline12319);
  intake.call->operator_name.clear();

  const Error error = error_of([&] { require_valid(intake, kNow); });

  EXPECT_EQ(error.code(), ErrorCode::kMalformed);
  EXPECT_EQ(fields_of(error), std::vector<std::string>{"call.operator"});
}

TEST(IntakeValidationTest, CallStartingInTheFutureIsInvalidNamingItsStart) {
  NewCase intake = report(Channel::kHotline12319);
  intake.call->started_at = kNow + 1h;
  intake.call->ended_at.reset();

  const Error error = error_of([&] { require_valid(intake, kNow); });

  EXPECT_EQ(error.code(), ErrorCode::kInvalidValue);
  EXPECT_EQ(fields_of(error), std::vector<std::string>{"call.started_at"});
}

TEST(IntakeValidationTest, CallEndingBeforeItStartedIsInvalidNamingItsEnd) {
  NewCase intake = report(Channel::kHotline12319);
  intake.call->ended_at = intake.call->started_at - 1min;

  const Error error = error_of([&] { require_valid(intake, kNow); });

  EXPECT_EQ(error.code(), ErrorCode::kInvalidValue);
  EXPECT_EQ(fields_of(error), std::vector<std::string>{"call.ended_at"});
}

TEST(IntakeValidationTest, PatrolReportWithoutOfficerIsMalformedNamingIt) {
  NewCase intake = report(Channel::kPatrol);
  intake.officer_code.reset();

  const Error error = error_of([&] { require_valid(intake, kNow); });

  EXPECT_EQ(error.code(), ErrorCode::kMalformed);
  EXPECT_EQ(fields_of(error), std::vector<std::string>{"officer"});
}

Actor officer_account(const std::string& code) {
  Actor actor{"officer-" + code, RoleSet{Role::kOfficer}, Role::kOfficer};
  actor.scope = Scope{ScopeKind::kOfficer, code};
  return actor;
}

TEST(PatrolAttributionTest, AnOfficersOwnPatrolReportNamesThem) {
  NewCase intake = report(Channel::kPatrol);
  intake.officer_code.reset();

  attribute_patrol_report(intake, officer_account("KDL0007"));

  EXPECT_EQ(intake.officer_code, "KDL0007");
  EXPECT_NO_THROW(require_valid(intake, kNow));
  intake.officer_code = "KDL0007";
  EXPECT_NO_THROW(attribute_patrol_report(intake, officer_account("KDL0007")));
}

TEST(PatrolAttributionTest, AnOfficerCannotReportAsAnotherOfficer) {
  NewCase intake = report(Channel::kPatrol);
  intake.officer_code = "KDL0008";

  const Error error =
      error_of([&] { attribute_patrol_report(intake, officer_account("KDL0007")); });

  EXPECT_EQ(error.code(), ErrorCode::kInvalidValue);
  EXPECT_EQ(fields_of(error), std::vector<std::string>{"officer"});
}

TEST(PatrolAttributionTest, OtherReportsAndOtherActorsAreLeftAsSent) {
  NewCase web = report(Channel::kWeb);
  attribute_patrol_report(web, officer_account("KDL0007"));
  EXPECT_FALSE(web.officer_code.has_value());

  NewCase radioed = report(Channel::kPatrol);  // entered by an operator for an officer on the radio
  radioed.officer_code.reset();
  attribute_patrol_report(radioed, Actor{"op", RoleSet{Role::kOperator}, Role::kOperator});
  EXPECT_FALSE(radioed.officer_code.has_value());
}

TEST(IntakeValidationTest, PatrolReportWithoutPhotoIsMalformedNamingPhotos) {
  NewCase intake = report(Channel::kPatrol);
  intake.photos.clear();

  const Error error = error_of([&] { require_valid(intake, kNow); });

  EXPECT_EQ(error.code(), ErrorCode::kMalformed);
  EXPECT_EQ(fields_of(error), std::vector<std::string>{"photos"});
}

TEST(IntakeValidationTest, MailboxCaseWithoutLetterIsMalformedNamingIt) {
  NewCase intake = report(Channel::kMayorMailbox);
  intake.letter.reset();

  const Error error = error_of([&] { require_valid(intake, kNow); });

  EXPECT_EQ(error.code(), ErrorCode::kMalformed);
  EXPECT_EQ(fields_of(error), std::vector<std::string>{"letter"});
}

TEST(IntakeValidationTest, LetterWithoutSubjectIsMalformedNamingIt) {
  NewCase intake = report(Channel::kMayorMailbox);
  intake.letter->subject.clear();

  const Error error = error_of([&] { require_valid(intake, kNow); });

  EXPECT_EQ(error.code(), ErrorCode::kMalformed);
  EXPECT_EQ(fields_of(error), std::vector<std::string>{"letter.subject"});
}

TEST(IntakeValidationTest, LetterWithoutBodyIsMalformedNamingIt) {
  NewCase intake = report(Channel::kMayorMailbox);
  intake.letter->body.clear();

  const Error error = error_of([&] { require_valid(intake, kNow); });

  EXPECT_EQ(error.code(), ErrorCode::kMalformed);
  EXPECT_EQ(fields_of(error), std::vector<std::string>{"letter.body"});
}

TEST(IntakeValidationTest, WebAndAppReportsNeedNoContact) {
  for (Channel channel : {Channel::kWeb, Channel::kApp}) {
    NewCase intake = report(channel);
    intake.reporter.reset();

    EXPECT_NO_THROW(require_valid(intake, kNow)) << to_string(channel);
  }
}

TEST(IntakeValidationTest, MissingDescriptionIsMalformedNamingIt) {
  NewCase intake = report(Channel::kWeb);
  intake.description.clear();

  const Error error = error_of([&] { require_valid(intake, kNow); });

  EXPECT_EQ(error.code(), ErrorCode::kMalformed);
  EXPECT_EQ(fields_of(error), std::vector<std::string>{"description"});
}

TEST(IntakeValidationTest, ReportWithNeitherPointNorAddressIsMalformedNamingLon) {
  NewCase intake = report(Channel::kWeb);
  intake.point.reset();

  const Error error = error_of([&] { require_valid(intake, kNow); });

  EXPECT_EQ(error.code(), ErrorCode::kMalformed);
  EXPECT_EQ(fields_of(error), std::vector<std::string>{"lon"});
}

TEST(IntakeValidationTest, AddressAloneLocatesNothingYetButIsEnough) {
  NewCase intake = report(Channel::kWeb);
  intake.point.reset();
  intake.address = "包头市昆都仑区钢铁大街 18 号";

  EXPECT_NO_THROW(require_valid(intake, kNow));
}

TEST(IntakeValidationTest, PhotoThatIsNoWebUrlIsInvalidNamingItsIndex) {
  NewCase intake = report(Channel::kWeb);
  intake.photos = {"https://photos.example.cn/ok.jpg", "ftp://photos.example.cn/bad.jpg"};

  const Error error = error_of([&] { require_valid(intake, kNow); });

  EXPECT_EQ(error.code(), ErrorCode::kInvalidValue);
  EXPECT_EQ(fields_of(error), std::vector<std::string>{"photos[1]"});
}

TEST(IntakeValidationTest, MoreThanTwentyPhotosAreInvalid) {
  NewCase intake = report(Channel::kWeb);
  intake.photos.assign(kMaxPhotos + 1, "https://photos.example.cn/p.jpg");

  const Error error = error_of([&] { require_valid(intake, kNow); });

  EXPECT_EQ(error.code(), ErrorCode::kInvalidValue);
  EXPECT_EQ(fields_of(error), std::vector<std::string>{"photos"});
}

TEST(IntakeValidationTest, DescriptionOfTwoThousandCharactersIsValid) {
  NewCase intake = report(Channel::kWeb);
  std::string text;
  for (std::size_t i = 0; i < kMaxDescriptionChars; ++i) text += "垃";  // 3 bytes, 1 character
  intake.description = text;

  EXPECT_NO_THROW(require_valid(intake, kNow));
}

TEST(IntakeValidationTest, DescriptionOverTwoThousandCharactersIsInvalidNamingIt) {
  NewCase intake = report(Channel::kWeb);
  intake.description = std::string(kMaxDescriptionChars + 1, 'x');

  const Error error = error_of([&] { require_valid(intake, kNow); });

  EXPECT_EQ(error.code(), ErrorCode::kInvalidValue);
  EXPECT_EQ(fields_of(error), std::vector<std::string>{"description"});
}

TEST(IntakeValidationTest, ControlCharacterInTheDescriptionIsInvalidNamingIt) {
  NewCase intake = report(Channel::kWeb);
  intake.description = std::string("garbage\x07 by the road");

  const Error error = error_of([&] { require_valid(intake, kNow); });

  EXPECT_EQ(error.code(), ErrorCode::kInvalidValue);
  EXPECT_EQ(fields_of(error), std::vector<std::string>{"description"});
}

TEST(IntakeValidationTest, LineBreaksAndTabsInTheDescriptionAreValid) {
  NewCase intake = report(Channel::kWeb);
  intake.description = "line one\r\nline two\tand a tab";

  EXPECT_NO_THROW(require_valid(intake, kNow));
}

TEST(IntakeValidationTest, DescriptionThatIsNotUtf8IsInvalidNamingIt) {
  NewCase intake = report(Channel::kWeb);
  intake.description = std::string("bad \xC3\x28 bytes");

  const Error error = error_of([&] { require_valid(intake, kNow); });

  EXPECT_EQ(error.code(), ErrorCode::kInvalidValue);
  EXPECT_EQ(fields_of(error), std::vector<std::string>{"description"});
}

TEST(IntakeValidationTest, LatitudeNinetyFiveIsInvalidNamingLat) {
  NewCase intake = report(Channel::kWeb);
  intake.point = Point{109.83, 95};

  const Error error = error_of([&] { require_valid(intake, kNow); });

  EXPECT_EQ(error.code(), ErrorCode::kInvalidValue);
  EXPECT_EQ(fields_of(error), std::vector<std::string>{"lat"});
}

TEST(IntakeValidationTest, LongitudeBeyondOneEightyIsInvalidNamingLon) {
  NewCase intake = report(Channel::kWeb);
  intake.point = Point{180.5, 40.65};

  const Error error = error_of([&] { require_valid(intake, kNow); });

  EXPECT_EQ(error.code(), ErrorCode::kInvalidValue);
  EXPECT_EQ(fields_of(error), std::vector<std::string>{"lon"});
}

TEST(IntakeValidationTest, ReporterPhoneWithLettersIsInvalidNamingIt) {
  NewCase intake = report(Channel::kWeb);
  intake.reporter = Reporter{"李四", "138-CALL-ME", false};

  const Error error = error_of([&] { require_valid(intake, kNow); });

  EXPECT_EQ(error.code(), ErrorCode::kInvalidValue);
  EXPECT_EQ(fields_of(error), std::vector<std::string>{"reporter.phone"});
}

TEST(IntakeValidationTest, CategoryThatIsNoTypeAndCodeIsInvalidNamingIt) {
  NewCase intake = report(Channel::kWeb);
  intake.category_key = "garbage";

  const Error error = error_of([&] { require_valid(intake, kNow); });

  EXPECT_EQ(error.code(), ErrorCode::kInvalidValue);
  EXPECT_EQ(fields_of(error), std::vector<std::string>{"category"});
}

TEST(IntakeValidationTest, OccurrenceInTheFutureIsInvalidNamingIt) {
  NewCase intake = report(Channel::kWeb);
  intake.occurred_at = kNow + 1h;

  const Error error = error_of([&] { require_valid(intake, kNow); });

  EXPECT_EQ(error.code(), ErrorCode::kInvalidValue);
  EXPECT_EQ(fields_of(error), std::vector<std::string>{"occurred_at"});
}

TEST(IntakeValidationTest, MissingFieldsAreReportedBeforeInvalidValues) {
  NewCase intake = report(Channel::kPatrol);
  intake.officer_code.reset();
  intake.point = Point{109.83, 95};

  const Error error = error_of([&] { require_valid(intake, kNow); });

  EXPECT_EQ(error.code(), ErrorCode::kMalformed);
  EXPECT_EQ(fields_of(error), std::vector<std::string>{"officer"});
}

TEST(IntakeValidationTest, EveryInvalidValueIsListedAtOnce) {
  NewCase intake = report(Channel::kWeb);
  intake.point = Point{200, 95};
  intake.photos = {"not a url"};

  const Error error = error_of([&] { require_valid(intake, kNow); });

  EXPECT_EQ(error.code(), ErrorCode::kInvalidValue);
  EXPECT_EQ(fields_of(error), (std::vector<std::string>{"lon", "lat", "photos[0]"}));
}

TEST(WebUrlTest, OnlyAbsoluteHttpAndHttpsUrlsWithAHostAreWebUrls) {
  EXPECT_TRUE(is_web_url("https://photos.example.cn/a.jpg"));
  EXPECT_TRUE(is_web_url("http://10.0.0.7/a.jpg"));
  EXPECT_FALSE(is_web_url("ftp://photos.example.cn/a.jpg"));
  EXPECT_FALSE(is_web_url("https:///a.jpg"));
  EXPECT_FALSE(is_web_url("https://"));
  EXPECT_FALSE(is_web_url("https://photos.example.cn/a b.jpg"));
  EXPECT_FALSE(is_web_url("/relative/a.jpg"));
  EXPECT_FALSE(is_web_url("javascript:alert(1)"));
}

TEST(ReporterToAnswerTest, PatrolAndVideoAndAnonymousReportsHaveNoReporterToAnswer) {
  const std::optional<Reporter> someone = Reporter{"张三", "13812345678", false};

  EXPECT_FALSE(has_reporter_to_answer(Channel::kPatrol, someone));
  EXPECT_FALSE(has_reporter_to_answer(Channel::kVideo, someone));
  EXPECT_FALSE(has_reporter_to_answer(Channel::kWeb, std::nullopt));
  EXPECT_FALSE(has_reporter_to_answer(Channel::kWeb, Reporter{}));
  EXPECT_TRUE(has_reporter_to_answer(Channel::kWeb, someone));
  EXPECT_TRUE(has_reporter_to_answer(Channel::kHotline12319, someone));
}

TEST(ChannelTest, EveryChannelRoundTripsThroughItsDomainName) {
  for (Channel channel : kAllChannels) {
    EXPECT_EQ(parse_channel(to_string(channel)), channel) << to_string(channel);
  }
  EXPECT_EQ(to_string(Channel::kHotline12319), "hotline_12319");
  EXPECT_EQ(to_string(Channel::kEnvInspection), "env_inspection");
  EXPECT_EQ(parse_channel("fax"), std::nullopt);
  EXPECT_EQ(parse_channel("WEB"), std::nullopt);
}

// ---- action parameters ----

ActionInput with_reason() {
  ActionInput input;
  input.reason = "不属于本单位职责 not ours";
  return input;
}

TEST(ActionValidationTest, DispatchWithoutUnitIsMalformedNamingIt) {
  const Error error = error_of([] { require_valid(CaseAction::kDispatch, ActionInput{}); });

  EXPECT_EQ(error.code(), ErrorCode::kMalformed);
  EXPECT_EQ(fields_of(error), std::vector<std::string>{"unit"});
}

TEST(ActionValidationTest, ReassignWithoutUnitIsMalformedNamingIt) {
  const Error error = error_of([] { require_valid(CaseAction::kReassign, ActionInput{}); });

  EXPECT_EQ(error.code(), ErrorCode::kMalformed);
  EXPECT_EQ(fields_of(error), std::vector<std::string>{"unit"});
}

TEST(ActionValidationTest, RejectWithoutReasonIsMalformedNamingIt) {
  const Error error = error_of([] { require_valid(CaseAction::kReject, ActionInput{}); });

  EXPECT_EQ(error.code(), ErrorCode::kMalformed);
  EXPECT_EQ(fields_of(error), std::vector<std::string>{"reason"});
}

TEST(ActionValidationTest, RejectWithAnEmptyReasonIsMalformedToo) {
  ActionInput input;
  input.reason = "";

  const Error error = error_of([&] { require_valid(CaseAction::kReject, input); });

  EXPECT_EQ(error.code(), ErrorCode::kMalformed);
  EXPECT_EQ(fields_of(error), std::vector<std::string>{"reason"});
}

TEST(ActionValidationTest, ReturnReworkReopenAndExtensionRequestNeedAReason) {
  for (CaseAction action : {CaseAction::kReturn, CaseAction::kRework, CaseAction::kReopen,
                            CaseAction::kRequestExtension}) {
    const Error error = error_of([&] { require_valid(action, ActionInput{}); });

    EXPECT_EQ(error.code(), ErrorCode::kMalformed) << to_string(action);
    EXPECT_EQ(fields_of(error), std::vector<std::string>{"reason"}) << to_string(action);
    EXPECT_NO_THROW(require_valid(action, with_reason())) << to_string(action);
  }
}

TEST(ActionValidationTest, SuspensionRequestNeedsAnUntilDate) {
  const Error error =
      error_of([] { require_valid(CaseAction::kRequestSuspension, with_reason()); });

  EXPECT_EQ(error.code(), ErrorCode::kMalformed);
  EXPECT_EQ(fields_of(error), std::vector<std::string>{"until"});
}

TEST(ActionValidationTest, RegisterNeedsCategoryAndCondition) {
  const Error error = error_of([] { require_valid(CaseAction::kRegister, ActionInput{}); });

  EXPECT_EQ(error.code(), ErrorCode::kMalformed);
  EXPECT_EQ(fields_of(error), (std::vector<std::string>{"category", "condition"}));
}

TEST(ActionValidationTest, RegisterWithAMalformedCategoryKeyIsInvalidNamingIt) {
  ActionInput input;
  input.category = "event-0101";
  input.condition = "stop";

  const Error error = error_of([&] { require_valid(CaseAction::kRegister, input); });

  EXPECT_EQ(error.code(), ErrorCode::kInvalidValue);
  EXPECT_EQ(fields_of(error), std::vector<std::string>{"category"});
}

TEST(ActionValidationTest, VerifyNeedsAResultAndASitePhoto) {
  const Error error = error_of([] { require_valid(CaseAction::kVerify, ActionInput{}); });

  EXPECT_EQ(error.code(), ErrorCode::kMalformed);
  EXPECT_EQ(fields_of(error), (std::vector<std::string>{"result", "attachments"}));
}

TEST(ActionValidationTest, VerifyResultOutsideItsEnumerationIsInvalidNamingIt) {
  ActionInput input;
  input.result = "passed";  // a check result, not a verification result
  input.attachments = {"https://photos.example.cn/site.jpg"};

  const Error error = error_of([&] { require_valid(CaseAction::kVerify, input); });

  EXPECT_EQ(error.code(), ErrorCode::kInvalidValue);
  EXPECT_EQ(fields_of(error), std::vector<std::string>{"result"});
}

TEST(ActionValidationTest, CheckResultOutsideItsEnumerationIsInvalidNamingIt) {
  ActionInput input;
  input.result = "confirmed";  // a verification result, not a check result

  const Error error = error_of([&] { require_valid(CaseAction::kCheck, input); });

  EXPECT_EQ(error.code(), ErrorCode::kInvalidValue);
  EXPECT_EQ(fields_of(error), std::vector<std::string>{"result"});
}

TEST(ActionValidationTest, CheckWithoutResultIsMalformedNamingIt) {
  const Error error = error_of([] { require_valid(CaseAction::kCheck, ActionInput{}); });

  EXPECT_EQ(error.code(), ErrorCode::kMalformed);
  EXPECT_EQ(fields_of(error), std::vector<std::string>{"result"});
}

TEST(ActionValidationTest, CallbackThatReachedTheReporterNeedsASatisfaction) {
  ActionInput input;
  input.reached = true;

  const Error error = error_of([&] { require_valid(CaseAction::kCallback, input); });

  EXPECT_EQ(error.code(), ErrorCode::kMalformed);
  EXPECT_EQ(fields_of(error), std::vector<std::string>{"satisfaction"});
}

TEST(ActionValidationTest, CallbackThatDidNotReachTheReporterNeedsNoSatisfaction) {
  ActionInput input;
  input.reached = false;

  EXPECT_NO_THROW(require_valid(CaseAction::kCallback, input));
}

TEST(ActionValidationTest, CallbackWithoutReachedIsMalformedNamingIt) {
  const Error error = error_of([] { require_valid(CaseAction::kCallback, ActionInput{}); });

  EXPECT_EQ(error.code(), ErrorCode::kMalformed);
  EXPECT_EQ(fields_of(error), std::vector<std::string>{"reached"});
}

TEST(ActionValidationTest, SatisfactionOutsideItsEnumerationIsInvalidNamingIt) {
  ActionInput input;
  input.reached = true;
  input.satisfaction = "very_happy";

  const Error error = error_of([&] { require_valid(CaseAction::kCallback, input); });

  EXPECT_EQ(error.code(), ErrorCode::kInvalidValue);
  EXPECT_EQ(fields_of(error), std::vector<std::string>{"satisfaction"});
}

TEST(ActionValidationTest, EverySatisfactionOfTheDomainReferenceIsValid) {
  for (const char* satisfaction : {"satisfied", "basically_satisfied", "dissatisfied"}) {
    ActionInput input;
    input.reached = true;
    input.satisfaction = satisfaction;

    EXPECT_NO_THROW(require_valid(CaseAction::kCallback, input)) << satisfaction;
  }
}

TEST(ActionValidationTest, ReplyNeedsANote) {
  const Error error = error_of([&] { require_valid(CaseAction::kReply, ActionInput{}); });

  EXPECT_EQ(error.code(), ErrorCode::kMalformed);
  EXPECT_EQ(fields_of(error), std::vector<std::string>{"note"});
}

TEST(ActionValidationTest, CompleteNeedsANoteAndAPhoto) {
  const Error error = error_of([&] { require_valid(CaseAction::kComplete, ActionInput{}); });

  EXPECT_EQ(error.code(), ErrorCode::kMalformed);
  EXPECT_EQ(fields_of(error), (std::vector<std::string>{"note", "attachments"}));
}

TEST(ActionValidationTest, APhotoIsAWebUrlOrAnAttachmentId) {
  ActionInput input;
  input.note = "fixed";
  input.attachments = {"https://photos.example.cn/after.jpg",
                       "0b6f3b8e-8d1c-4c43-9a59-3f3e8c3d2a10"};

  EXPECT_NO_THROW(require_valid(CaseAction::kComplete, input));
}

TEST(ActionValidationTest, MergeIntoSomethingThatIsNoCaseNumberIsInvalidNamingInto) {
  ActionInput input;
  input.into = "case 42";

  const Error error = error_of([&] { require_valid(CaseAction::kMerge, input); });

  EXPECT_EQ(error.code(), ErrorCode::kInvalidValue);
  EXPECT_EQ(fields_of(error), std::vector<std::string>{"into"});
}

TEST(ActionValidationTest, LocateWithNeitherPointNorAddressIsMalformedNamingLon) {
  const Error error = error_of([] { require_valid(CaseAction::kLocate, ActionInput{}); });

  EXPECT_EQ(error.code(), ErrorCode::kMalformed);
  EXPECT_EQ(fields_of(error), std::vector<std::string>{"lon"});
}

TEST(ActionValidationTest, AttachmentThatIsNoWebUrlIsInvalidNamingItsIndex) {
  ActionInput input;
  input.note = "fixed";
  input.attachments = {"file:///etc/passwd"};

  const Error error = error_of([&] { require_valid(CaseAction::kComplete, input); });

  EXPECT_EQ(error.code(), ErrorCode::kInvalidValue);
  EXPECT_EQ(fields_of(error), std::vector<std::string>{"attachments[0]"});
}

TEST(ActionValidationTest, NoteOverTwoThousandCharactersIsInvalidNamingIt) {
  ActionInput input;
  input.note = std::string(kMaxNoteChars + 1, 'n');

  const Error error = error_of([&] { require_valid(CaseAction::kUrge, input); });

  EXPECT_EQ(error.code(), ErrorCode::kInvalidValue);
  EXPECT_EQ(fields_of(error), std::vector<std::string>{"note"});
}

TEST(ActionValidationTest, ReceiveIsNoActionOnAnExistingCase) {
  const Error error = error_of([] { require_valid(CaseAction::kReceive, ActionInput{}); });

  EXPECT_EQ(error.code(), ErrorCode::kInvalidValue);
  EXPECT_EQ(fields_of(error), std::vector<std::string>{"action"});
}

TEST(ActionValidationTest, ActionsWithoutParametersAcceptAnEmptyBody) {
  for (CaseAction action : {CaseAction::kRequestVerification, CaseAction::kWithdrawVerification,
                            CaseAction::kAcknowledge, CaseAction::kUrge,
                            CaseAction::kApproveExtension, CaseAction::kDenyExtension,
                            CaseAction::kSuspend, CaseAction::kResume, CaseAction::kClose}) {
    EXPECT_NO_THROW(require_valid(action, ActionInput{})) << to_string(action);
  }
}

// ---- the lifecycle engine ----

Actor actor_as(Role role) {
  return Actor{"user-" + std::string(to_string(role)), RoleSet{role}, role};
}

/// A register's parameters: event:0101/stop.
ActionInput register_input() {
  ActionInput input;
  input.category = "event:0101";
  input.condition = "stop";
  return input;
}

/// The lookups of a register (its condition's limit).
ActionReferences registering(TimeLimit limit) {
  ActionReferences references;
  references.condition_limit = limit;
  return references;
}

/// A case driven through apply_action the way the service stores it: after each action the
/// record is the updated one, ended timers are gone, started ones are open (with fresh ids) and
/// a moved handling deadline is moved on the open handling timer too.
class CaseLife {
 public:
  explicit CaseLife(Timestamp received_at, Channel channel = Channel::kWeb, bool reporter = true) {
    record_.id = 1;
    record_.case_no = "150203-20261123-000001";
    record_.channel = channel;
    record_.cell_code = "150203004007017";
    record_.reporter_to_answer = reporter;
    for (const TimerStart& start : intake_timers(received_at, demo())) open(start, received_at);
  }

  const CaseRecord& record() const { return record_; }
  CaseRecord& record() { return record_; }

  /// The open instance of `timer`; fails the test when there is none.
  OpenTimer running(StageTimer timer) const {
    for (const OpenTimer& open_timer : record_.timers) {
      if (open_timer.timer == timer) return open_timer;
    }
    ADD_FAILURE() << "no running " << to_string(timer) << " timer";
    return OpenTimer{};
  }

  bool is_running(StageTimer timer) const {
    return std::any_of(record_.timers.begin(), record_.timers.end(),
                       [&](const OpenTimer& open_timer) { return open_timer.timer == timer; });
  }

  ActionOutcome act(CaseAction action, const ActionInput& input, Role role, Timestamp at,
                    const ActionReferences& references = {}) {
    ActionOutcome outcome =
        apply_action(record_, action, input, actor_as(role), std::nullopt, references, at, demo());
    std::vector<OpenTimer> timers = record_.timers;
    record_ = outcome.updated;
    std::erase_if(timers, [&](const OpenTimer& open_timer) {
      return std::any_of(outcome.ended.begin(), outcome.ended.end(),
                         [&](const TimerEnd& ended) { return ended.id == open_timer.id; });
    });
    if (outcome.handling_deadline_moved) {
      for (OpenTimer& open_timer : timers) {
        if (open_timer.timer == StageTimer::kHandling)
          open_timer.deadline = *outcome.handling_deadline_moved;
      }
    }
    record_.timers = std::move(timers);
    for (const TimerStart& start : outcome.started) open(start, at);
    return outcome;
  }

  // The happy path, one step each (the case must be in the step's from-state).
  ActionOutcome do_register(Timestamp at, TimeLimit limit = kFourWorkHours) {
    ActionInput input;
    input.category = "event:0101";
    input.condition = "stop";
    return act(CaseAction::kRegister, input, Role::kShiftLeader, at, registering(limit));
  }
  ActionOutcome do_dispatch(Timestamp at, std::string unit = "150203004-enforcement") {
    ActionInput input;
    input.unit = std::move(unit);
    return act(CaseAction::kDispatch, input, Role::kDispatcher, at);
  }
  ActionOutcome do_acknowledge(Timestamp at) {
    return act(CaseAction::kAcknowledge, {}, Role::kUnit, at);
  }
  ActionOutcome do_complete(Timestamp at) {
    ActionInput input;
    input.note = "摊位已清理 stall removed";
    input.attachments = {"https://photos.example.cn/after.jpg"};
    return act(CaseAction::kComplete, input, Role::kUnit, at);
  }
  ActionOutcome do_check(Timestamp at, const char* result) {
    ActionInput input;
    input.result = result;
    return act(CaseAction::kCheck, input, Role::kOfficer, at);
  }
  ActionOutcome do_reply(Timestamp at) {
    ActionInput input;
    input.note = "已处理完毕 handled";
    return act(CaseAction::kReply, input, Role::kOperator, at);
  }
  ActionOutcome do_close(Timestamp at) {
    return act(CaseAction::kClose, {}, Role::kShiftLeader, at);
  }
  ActionOutcome do_request_extension(Timestamp at) {
    return act(CaseAction::kRequestExtension, with_reason(), Role::kUnit, at);
  }
  ActionOutcome do_approve_extension(Timestamp at) {
    return act(CaseAction::kApproveExtension, {}, Role::kShiftLeader, at);
  }
  ActionOutcome do_merge(Timestamp at) {
    ActionInput input;
    input.into = "150203-20261123-000002";
    ActionReferences references;
    references.merge_target_status = CaseStatus::kRegistered;
    return act(CaseAction::kMerge, input, Role::kShiftLeader, at, references);
  }

  /// register, dispatch and acknowledge at `at`.
  void to_handling(Timestamp at, TimeLimit limit = kFourWorkHours) {
    do_register(at, limit);
    do_dispatch(at);
    do_acknowledge(at);
  }

 private:
  void open(const TimerStart& start, Timestamp at) {
    record_.timers.push_back(
        OpenTimer{next_timer_id_++, start.timer, at, start.deadline, start.limit});
  }

  CaseRecord record_;
  long long next_timer_id_ = 1;
};

std::optional<TimerOutcome> ended_outcome(const ActionOutcome& outcome, StageTimer timer) {
  for (const TimerEnd& ended : outcome.ended) {
    if (ended.timer == timer) return ended.outcome;
  }
  return std::nullopt;
}

std::optional<TimerStart> started(const ActionOutcome& outcome, StageTimer timer) {
  for (const TimerStart& start : outcome.started) {
    if (start.timer == timer) return start;
  }
  return std::nullopt;
}

std::vector<StageTimer> ended_timers(const ActionOutcome& outcome) {
  std::vector<StageTimer> timers;
  for (const TimerEnd& ended : outcome.ended) timers.push_back(ended.timer);
  return timers;
}

std::vector<StageTimer> started_timers(const ActionOutcome& outcome) {
  std::vector<StageTimer> timers;
  for (const TimerStart& start : outcome.started) timers.push_back(start.timer);
  return timers;
}

// -- the order of refusals (domain.md §6) --

TEST(ApplyActionOrderTest, RoleThatMayNeverDoTheActionIsRefusedBeforeAStaleIfMatch) {
  const CaseLife life{kNow};

  const Error error = error_of([&] {
    apply_action(life.record(), CaseAction::kDispatch, {}, actor_as(Role::kUnit), 99, {}, kNow,
                 demo());
  });

  EXPECT_EQ(error.code(), ErrorCode::kForbidden);
}

TEST(ApplyActionOrderTest, StaleIfMatchIsRefusedBeforeAStateConflict) {
  const CaseLife life{kNow};  // received: dispatch is not allowed yet
  ActionInput input;
  input.unit = "150203004-enforcement";

  const Error error = error_of([&] {
    apply_action(life.record(), CaseAction::kDispatch, input, actor_as(Role::kDispatcher), 99, {},
                 kNow, demo());
  });

  EXPECT_EQ(error.code(), ErrorCode::kPreconditionFailed);
}

TEST(ApplyActionOrderTest, StateConflictIsRefusedBeforeAnUnknownUnit) {
  const CaseLife life{kNow};
  ActionInput input;
  input.unit = "no-such-unit";
  ActionReferences references;
  references.unit_exists = false;

  const Error error = error_of([&] {
    apply_action(life.record(), CaseAction::kDispatch, input, actor_as(Role::kDispatcher), 1,
                 references, kNow, demo());
  });

  EXPECT_EQ(error.code(), ErrorCode::kInvalidTransition);
}

TEST(ApplyActionOrderTest, GuardFailureIsRefusedBeforeAnUnknownUnit) {
  CaseLife life{kNow};
  life.do_register(kNow);
  life.record().cell_code.reset();  // mislocated and cleared
  ActionInput input;
  input.unit = "no-such-unit";
  ActionReferences references;
  references.unit_exists = false;

  const Error error = error_of([&] {
    apply_action(life.record(), CaseAction::kDispatch, input, actor_as(Role::kDispatcher),
                 std::nullopt, references, kNow, demo());
  });

  EXPECT_EQ(error.code(), ErrorCode::kInvalidTransition);
  EXPECT_NE(std::string(error.what()).find("locate"), std::string::npos) << error.what();
}

TEST(ApplyActionOrderTest, UnknownUnitIsRefusedWhenEverythingElseHolds) {
  CaseLife life{kNow};
  life.do_register(kNow);
  ActionInput input;
  input.unit = "no-such-unit";
  ActionReferences references;
  references.unit_exists = false;

  const Error error = error_of([&] {
    apply_action(life.record(), CaseAction::kDispatch, input, actor_as(Role::kDispatcher), 2,
                 references, kNow, demo());
  });

  EXPECT_EQ(error.code(), ErrorCode::kInvalidValue);
  EXPECT_EQ(fields_of(error), std::vector<std::string>{"unit"});
}

TEST(ApplyActionOrderTest, StateConflictIsRefusedBeforeABadValue) {
  const CaseLife life{kNow};  // received: dispatch is not allowed yet
  ActionInput input;
  input.unit = "150203004-enforcement";
  input.attachments = {"not a url"};

  const Error error = error_of([&] {
    apply_action(life.record(), CaseAction::kDispatch, input, actor_as(Role::kDispatcher),
                 std::nullopt, {}, kNow, demo());
  });

  EXPECT_EQ(error.code(), ErrorCode::kInvalidTransition);
}

TEST(ApplyActionOrderTest, BadValueIsRefusedWhenEverythingElseHolds) {
  CaseLife life{kNow};
  life.do_register(kNow);
  ActionInput input;
  input.unit = "150203004-enforcement";
  input.attachments = {"not a url"};

  const Error error = error_of([&] {
    apply_action(life.record(), CaseAction::kDispatch, input, actor_as(Role::kDispatcher),
                 std::nullopt, {}, kNow, demo());
  });

  EXPECT_EQ(error.code(), ErrorCode::kInvalidValue);
  EXPECT_EQ(fields_of(error), std::vector<std::string>{"attachments[0]"});
}

TEST(ApplyActionOrderTest, AStreetDispatcherSendsNoCaseToAnotherStreetsUnit) {
  CaseLife life{kNow};
  life.do_register(kNow);
  Actor street = actor_as(Role::kDispatcher);
  street.scope = Scope{ScopeKind::kGrid, "150203004"};
  ActionInput input;
  input.unit = "150203005-enforcement";
  ActionReferences references;
  references.unit_scope = "150203005";

  const Error error = error_of([&] {
    apply_action(life.record(), CaseAction::kDispatch, input, street, std::nullopt, references,
                 kNow, demo());
  });

  EXPECT_EQ(error.code(), ErrorCode::kInvalidValue);
  EXPECT_EQ(fields_of(error), std::vector<std::string>{"unit"});
  references.unit_scope = "150203";  // a district-wide unit
  EXPECT_NO_THROW(apply_action(life.record(), CaseAction::kDispatch, input, street, std::nullopt,
                               references, kNow, demo()));
}

TEST(ApplyActionOrderTest, LocatingOutsideTheCallersPartOfTheGridIsRefusedLikeIntake) {
  const CaseLife life{kNow};
  ActionInput input;
  input.point = Point{109.79, 40.62};
  ActionReferences references;
  references.located_cell = "150203005001001";
  references.located_in_scope = false;

  const Error error = error_of([&] {
    apply_action(life.record(), CaseAction::kLocate, input, actor_as(Role::kOperator), std::nullopt,
                 references, kNow, demo());
  });

  EXPECT_EQ(error.code(), ErrorCode::kInvalidValue);
  EXPECT_EQ(fields_of(error), std::vector<std::string>{"lon"});
  EXPECT_NE(std::string(error.what()).find("your part of the grid"), std::string::npos);
}

TEST(ApplyActionOrderTest, UnknownFilingConditionIsRefusedNamingTheCondition) {
  const CaseLife life{kNow};
  ActionInput input;
  input.category = "event:0101";
  input.condition = "no_such_condition";

  const Error error = error_of([&] {
    apply_action(life.record(), CaseAction::kRegister, input, actor_as(Role::kShiftLeader), 1,
                 ActionReferences{}, kNow, demo());
  });

  EXPECT_EQ(error.code(), ErrorCode::kInvalidValue);
  EXPECT_EQ(fields_of(error), std::vector<std::string>{"condition"});
}

TEST(ApplyActionOrderTest, CurrentIfMatchIsAccepted) {
  const CaseLife life{kNow};
  ActionInput input;
  input.category = "event:0101";
  input.condition = "stop";

  const ActionOutcome outcome =
      apply_action(life.record(), CaseAction::kRegister, input, actor_as(Role::kShiftLeader), 1,
                   registering(kFourWorkHours), kNow, demo());

  EXPECT_EQ(outcome.updated.status, CaseStatus::kRegistered);
  EXPECT_EQ(outcome.updated.version, 2);
}

TEST(ApplyActionOrderTest, RoleAllowedElsewhereButNotInThisStateIsAStateConflictNotForbidden) {
  CaseLife life{kNow};
  life.do_register(kNow);  // after registration only the shift leader may reject

  const Error error = error_of([&] {
    apply_action(life.record(), CaseAction::kReject, with_reason(), actor_as(Role::kOperator),
                 std::nullopt, {}, kNow, demo());
  });

  EXPECT_EQ(error.code(), ErrorCode::kInvalidTransition);
  EXPECT_EQ(error.details().allowed_actions, std::vector<std::string>{"locate"});
}

TEST(ApplyActionOrderTest, StateConflictListsWhatTheCallerMayDoNow) {
  const CaseLife life{kNow};
  ActionInput input;
  input.unit = "150203004-enforcement";

  const Error error = error_of([&] {
    apply_action(life.record(), CaseAction::kDispatch, input, actor_as(Role::kDispatcher),
                 std::nullopt, {}, kNow, demo());
  });

  EXPECT_EQ(error.code(), ErrorCode::kInvalidTransition);
  EXPECT_EQ(error.details().allowed_actions, std::vector<std::string>{"merge"});
}

TEST(ApplyActionOrderTest, GuardFailureListsWhatTheCallerMayDoNowAndWhy) {
  CaseLife life{kNow};
  life.to_handling(kNow);
  life.do_request_extension(kNow + 10min);

  const Error error = error_of([&] { life.do_request_extension(kNow + 20min); });

  EXPECT_EQ(error.code(), ErrorCode::kInvalidTransition);
  EXPECT_NE(std::string(error.what()).find("pending"), std::string::npos) << error.what();
  EXPECT_EQ(
      error.details().allowed_actions,
      (std::vector<std::string>{"return", "request_extension", "request_suspension", "complete"}));
}

// -- what each action changes --

TEST(ApplyActionTest, EveryActionBumpsTheVersionByOne) {
  CaseLife life{kNow};

  const ActionOutcome registered = life.do_register(kNow);
  const ActionOutcome dispatched = life.do_dispatch(kNow);

  EXPECT_EQ(registered.updated.version, 2);
  EXPECT_EQ(dispatched.updated.version, 3);
}

TEST(ApplyActionTest, RegisterFixesCategoryConditionAndHandlingLimit) {
  CaseLife life{kNow};

  const ActionOutcome outcome = life.do_register(kNow, kTwoUrgentHours);

  EXPECT_EQ(outcome.updated.category_key, "event:0101");
  EXPECT_EQ(outcome.updated.condition_id, "stop");
  EXPECT_EQ(outcome.updated.handling_limit, kTwoUrgentHours);
}

TEST(ApplyActionTest, RegisterFixesTheStageLimitsInForceOnTheCase) {
  CaseLife life{kNow};
  ActionReferences references = registering(kTwoUrgentHours);
  references.stage_limits =
      StageLimits{}.overridden_by({{StageTimer::kCheck, TimeLimit{4, LimitUnit::kWorkDay}}});

  const ActionOutcome registered =
      life.act(CaseAction::kRegister, register_input(), Role::kShiftLeader, kNow, references);
  life.do_dispatch(kNow);
  life.do_acknowledge(kNow);
  // Later lookups carry the deployment's limits: the case's own win.
  const ActionOutcome completed = life.do_complete(kNow);

  EXPECT_EQ(registered.updated.stage_limits, references.stage_limits);
  ASSERT_TRUE(started(completed, StageTimer::kCheck).has_value());
  EXPECT_EQ(started(completed, StageTimer::kCheck)->limit, (TimeLimit{4, LimitUnit::kWorkDay}));
}

TEST(ApplyActionTest, RegisterNamesAnUnknownOrRetiredCategoryBeforeTheCondition) {
  CaseLife life{kNow};
  ActionReferences unknown;  // no condition found either
  unknown.category_known = false;
  ActionReferences retired = registering(kTwoUrgentHours);
  retired.category_current = false;
  ActionReferences retired_condition = registering(kTwoUrgentHours);
  retired_condition.condition_current = false;
  ActionReferences no_condition;

  for (const auto& [references, field] :
       std::vector<std::pair<ActionReferences, std::string>>{{unknown, "category"},
                                                             {retired, "category"},
                                                             {retired_condition, "condition"},
                                                             {no_condition, "condition"}}) {
    const Error error = error_of([&] {
      life.act(CaseAction::kRegister, register_input(), Role::kShiftLeader, kNow, references);
    });
    EXPECT_EQ(error.code(), ErrorCode::kInvalidValue);
    EXPECT_EQ(fields_of(error), std::vector<std::string>{field});
  }
}

TEST(ActionTimerTest, IntakeTakesTheRegistrationLimitOfTheDeployment) {
  StageLimits limits;
  limits.limits[StageTimer::kRegistration] = TimeLimit{3, LimitUnit::kUrgentHour};

  const std::vector<TimerStart> timers = intake_timers(kNow, demo(), limits);

  ASSERT_EQ(timers.size(), 1U);
  EXPECT_EQ(timers[0].limit, (TimeLimit{3, LimitUnit::kUrgentHour}));
  EXPECT_EQ(timers[0].deadline, kNow + 3h);
}

TEST(ApplyActionTest, ReturnClearsTheUnitAndEndsTheHandlingCycle) {
  CaseLife life{kNow};
  life.to_handling(kNow);

  const ActionOutcome outcome =
      life.act(CaseAction::kReturn, with_reason(), Role::kUnit, kNow + 1h);

  EXPECT_EQ(outcome.updated.status, CaseStatus::kRegistered);
  EXPECT_EQ(outcome.updated.unit_code, std::nullopt);
  EXPECT_EQ(outcome.updated.cycle, std::nullopt);
}

TEST(ApplyActionTest, UrgeRaisesTheEscalationLevelAndRecordsIt) {
  CaseLife life{kNow};
  life.to_handling(kNow);

  const ActionOutcome outcome = life.act(CaseAction::kUrge, {}, Role::kSupervisor, kNow + 1h);

  EXPECT_EQ(outcome.updated.status, CaseStatus::kHandling);
  EXPECT_EQ(outcome.updated.escalation_level, 1);
  EXPECT_NE(std::find(outcome.event_params.begin(), outcome.event_params.end(),
                      std::pair<std::string, std::string>{"level", "1"}),
            outcome.event_params.end());
}

TEST(ApplyActionTest, FailedCheckSendsTheCaseBackToTheSameUnitAndCountsARework) {
  CaseLife life{kNow};
  life.to_handling(kNow);
  life.do_complete(kNow + 1h);

  const ActionOutcome outcome = life.do_check(kNow + 2h, "failed");

  EXPECT_EQ(outcome.updated.status, CaseStatus::kDispatched);
  EXPECT_EQ(outcome.updated.unit_code, "150203004-enforcement");
  EXPECT_EQ(outcome.updated.rework_count, 1);
}

TEST(ApplyActionTest, PassedCheckResolvesWithoutARework) {
  CaseLife life{kNow};
  life.to_handling(kNow);
  life.do_complete(kNow + 1h);

  const ActionOutcome outcome = life.do_check(kNow + 2h, "passed");

  EXPECT_EQ(outcome.updated.status, CaseStatus::kResolved);
  EXPECT_EQ(outcome.updated.rework_count, 0);
}

TEST(ApplyActionTest, CloseRecordsTheOutcomeResolved) {
  CaseLife life{kNow, Channel::kPatrol, false};
  life.to_handling(kNow);
  life.do_complete(kNow + 1h);
  life.do_check(kNow + 2h, "passed");

  const ActionOutcome outcome = life.do_close(kNow + 3h);

  EXPECT_EQ(outcome.updated.status, CaseStatus::kClosed);
  EXPECT_EQ(outcome.updated.outcome, CaseOutcome::kResolved);
}

TEST(ApplyActionTest, ReopenSendsAClosedCaseBackToRegisteredWithoutUnitOrOutcome) {
  CaseLife life{kNow, Channel::kPatrol, false};
  life.to_handling(kNow);
  life.do_complete(kNow + 1h);
  life.do_check(kNow + 2h, "passed");
  life.do_close(kNow + 3h);

  const ActionOutcome outcome =
      life.act(CaseAction::kReopen, with_reason(), Role::kShiftLeader, kNow + 4h);

  EXPECT_EQ(outcome.updated.status, CaseStatus::kRegistered);
  EXPECT_EQ(outcome.updated.outcome, std::nullopt);
  EXPECT_EQ(outcome.updated.unit_code, std::nullopt);
  EXPECT_EQ(outcome.updated.cycle, std::nullopt);
}

// -- timers started and ended per action (domain.md §7) --

TEST(ActionTimerTest, ReceiveStartsTheRegistrationTimerOneWorkHourAhead) {
  const std::vector<TimerStart> timers = intake_timers(kNow, demo());

  ASSERT_EQ(timers.size(), 1U);
  EXPECT_EQ(timers[0].timer, StageTimer::kRegistration);
  EXPECT_EQ(timers[0].deadline, kNow + 1h);
}

TEST(ActionTimerTest, ReceiveOnSaturdayCountsFromMondayMorning) {
  const std::vector<TimerStart> timers = intake_timers(beijing(2026y / 11 / 28, 10h), demo());

  ASSERT_EQ(timers.size(), 1U);
  EXPECT_EQ(timers[0].deadline, beijing(2026y / 11 / 30, 9h + 30min));
}

TEST(ActionTimerTest, RegisterInTimeEndsRegistrationOnTimeAndStartsDispatch) {
  CaseLife life{kNow};

  const ActionOutcome outcome = life.do_register(kNow + 59min);

  EXPECT_EQ(ended_timers(outcome), std::vector<StageTimer>{StageTimer::kRegistration});
  EXPECT_EQ(ended_outcome(outcome, StageTimer::kRegistration), TimerOutcome::kOnTime);
  ASSERT_EQ(started_timers(outcome), std::vector<StageTimer>{StageTimer::kDispatch});
  EXPECT_EQ(started(outcome, StageTimer::kDispatch)->deadline, kNow + 59min + 1h);
}

TEST(ActionTimerTest, RegisterAfterTheRegistrationDeadlineEndsItLate) {
  CaseLife life{kNow};

  const ActionOutcome outcome = life.do_register(kNow + 1h + 1s);

  EXPECT_EQ(ended_outcome(outcome, StageTimer::kRegistration), TimerOutcome::kLate);
}

TEST(ActionTimerTest, RequestVerificationSwapsRegistrationForVerification) {
  CaseLife life{kNow};

  const ActionOutcome outcome =
      life.act(CaseAction::kRequestVerification, {}, Role::kOperator, kNow);

  EXPECT_EQ(ended_timers(outcome), std::vector<StageTimer>{StageTimer::kRegistration});
  EXPECT_EQ(started_timers(outcome), std::vector<StageTimer>{StageTimer::kVerification});
}

TEST(ActionTimerTest, VerifyEndsVerificationAndRestartsRegistration) {
  CaseLife life{kNow};
  life.act(CaseAction::kRequestVerification, {}, Role::kOperator, kNow);
  ActionInput input;
  input.result = "confirmed";
  input.attachments = {"https://photos.example.cn/site.jpg"};

  const ActionOutcome outcome = life.act(CaseAction::kVerify, input, Role::kOfficer, kNow + 30min);

  EXPECT_EQ(outcome.updated.status, CaseStatus::kReceived);
  EXPECT_EQ(ended_outcome(outcome, StageTimer::kVerification), TimerOutcome::kOnTime);
  EXPECT_EQ(started(outcome, StageTimer::kRegistration)->deadline, kNow + 30min + 1h);
}

TEST(ActionTimerTest, WithdrawnVerificationCountsAsNeitherOnTimeNorLate) {
  CaseLife life{kNow};
  life.act(CaseAction::kRequestVerification, {}, Role::kOperator, kNow);

  const ActionOutcome outcome =
      life.act(CaseAction::kWithdrawVerification, {}, Role::kOperator, kNow + 2h);

  EXPECT_EQ(ended_outcome(outcome, StageTimer::kVerification), TimerOutcome::kNotCounted);
}

TEST(ActionTimerTest, RejectEndsTheRunningTimerAsNotCountedAndStartsNothing) {
  CaseLife life{kNow};

  const ActionOutcome outcome =
      life.act(CaseAction::kReject, with_reason(), Role::kOperator, kNow + 2h);

  EXPECT_EQ(outcome.updated.status, CaseStatus::kRejected);
  EXPECT_EQ(outcome.updated.outcome, CaseOutcome::kRejected);
  EXPECT_EQ(ended_outcome(outcome, StageTimer::kRegistration), TimerOutcome::kNotCounted);
  EXPECT_TRUE(outcome.started.empty());
}

TEST(ActionTimerTest, DispatchEndsDispatchAndStartsAcknowledgementAndHandling) {
  CaseLife life{kNow};
  life.do_register(kNow);

  const ActionOutcome outcome = life.do_dispatch(kNow + 10min);

  EXPECT_EQ(ended_timers(outcome), std::vector<StageTimer>{StageTimer::kDispatch});
  EXPECT_EQ(started_timers(outcome),
            (std::vector<StageTimer>{StageTimer::kAcknowledgement, StageTimer::kHandling}));
  EXPECT_EQ(started(outcome, StageTimer::kAcknowledgement)->deadline, kNow + 10min + 1h);
}

TEST(ActionTimerTest, AcknowledgeEndsOnlyTheAcknowledgementTimer) {
  CaseLife life{kNow};
  life.do_register(kNow);
  life.do_dispatch(kNow);

  const ActionOutcome outcome = life.do_acknowledge(kNow + 30min);

  EXPECT_EQ(ended_timers(outcome), std::vector<StageTimer>{StageTimer::kAcknowledgement});
  EXPECT_TRUE(outcome.started.empty());
  EXPECT_TRUE(life.is_running(StageTimer::kHandling));
}

TEST(ActionTimerTest, CompleteEndsHandlingAndStartsATwoWorkHourCheck) {
  CaseLife life{kNow};
  life.to_handling(kNow);

  const ActionOutcome outcome = life.do_complete(kNow + 1h);

  EXPECT_EQ(ended_timers(outcome), std::vector<StageTimer>{StageTimer::kHandling});
  EXPECT_EQ(ended_outcome(outcome, StageTimer::kHandling), TimerOutcome::kOnTime);
  ASSERT_EQ(started_timers(outcome), std::vector<StageTimer>{StageTimer::kCheck});
  EXPECT_EQ(started(outcome, StageTimer::kCheck)->deadline, beijing(kMonday, 15h + 30min));
}

TEST(ActionTimerTest, CompleteAfterTheHandlingDeadlineEndsItLate) {
  CaseLife life{kNow};
  life.to_handling(kNow, kTwoUrgentHours);

  const ActionOutcome outcome = life.do_complete(kNow + 2h + 1s);

  EXPECT_EQ(ended_outcome(outcome, StageTimer::kHandling), TimerOutcome::kLate);
}

TEST(ActionTimerTest, ReplyKeepsTheCloseTimerRunning) {
  CaseLife life{kNow};
  life.to_handling(kNow);
  life.do_complete(kNow + 1h);
  life.do_check(kNow + 2h, "passed");

  const ActionOutcome outcome = life.do_reply(kNow + 3h);

  EXPECT_TRUE(outcome.ended.empty());
  EXPECT_TRUE(outcome.started.empty());
  EXPECT_TRUE(life.is_running(StageTimer::kClose));
}

TEST(ActionTimerTest, CloseEndsTheCloseTimerAndLeavesNothingRunning) {
  CaseLife life{kNow};
  life.to_handling(kNow);
  life.do_complete(kNow + 1h);
  life.do_check(kNow + 2h, "passed");
  life.do_reply(kNow + 2h + 10min);

  const ActionOutcome outcome = life.do_close(kNow + 2h + 20min);

  EXPECT_EQ(ended_outcome(outcome, StageTimer::kClose), TimerOutcome::kOnTime);
  EXPECT_TRUE(life.record().timers.empty());
}

TEST(ActionTimerTest, PromptReturnIsNotCountedAsHandledOnTime) {
  CaseLife life{kNow};
  life.to_handling(kNow);

  const ActionOutcome outcome =
      life.act(CaseAction::kReturn, with_reason(), Role::kUnit, kNow + 10min);

  EXPECT_EQ(ended_outcome(outcome, StageTimer::kHandling), TimerOutcome::kNotCounted);
  EXPECT_EQ(started_timers(outcome), std::vector<StageTimer>{StageTimer::kDispatch});
}

TEST(ActionTimerTest, MergeEndsEveryRunningTimerAsNotCounted) {
  CaseLife life{kNow};
  life.to_handling(kNow);

  const ActionOutcome outcome = life.do_merge(kNow + 5h);

  EXPECT_EQ(ended_outcome(outcome, StageTimer::kHandling), TimerOutcome::kNotCounted);
  EXPECT_TRUE(outcome.started.empty());
  EXPECT_TRUE(life.record().timers.empty());
}

// -- handling cycles (domain.md §7) --

TEST(HandlingCycleActionTest, DispatchStartsACycleWithTheFilingConditionsDeadline) {
  CaseLife life{kNow};
  life.do_register(kNow);

  const ActionOutcome outcome = life.do_dispatch(kNow);

  // 4 work hours from Monday 10:00: two before lunch, two from 14:30.
  const std::optional<TimerStart> handling = started(outcome, StageTimer::kHandling);
  ASSERT_TRUE(handling);
  EXPECT_EQ(handling->deadline, beijing(kMonday, 16h + 30min));
  EXPECT_EQ(handling->limit, kFourWorkHours);
  EXPECT_EQ(handling->cycle, 1);
}

TEST(HandlingCycleActionTest, DispatchAfterAReturnStartsAFreshCycleFromThatMoment) {
  CaseLife life{kNow};
  life.to_handling(kNow);
  life.act(CaseAction::kReturn, with_reason(), Role::kUnit, kNow + 30min);

  const ActionOutcome outcome = life.do_dispatch(beijing(kMonday, 15h), "150203-utilities");

  const std::optional<TimerStart> handling = started(outcome, StageTimer::kHandling);
  ASSERT_TRUE(handling);
  EXPECT_EQ(handling->cycle, 2);
  EXPECT_EQ(handling->deadline, beijing(kTuesday, 9h + 30min));  // 3 h Monday, 1 h Tuesday
}

TEST(HandlingCycleActionTest, ReassignEndsTheFirstUnitsInstanceUncountedAndStartsAFreshCycle) {
  CaseLife life{kNow};
  life.to_handling(kNow);
  ActionInput input;
  input.unit = "150203-utilities";

  const ActionOutcome outcome =
      life.act(CaseAction::kReassign, input, Role::kDispatcher, beijing(kMonday, 15h));

  EXPECT_EQ(ended_outcome(outcome, StageTimer::kHandling), TimerOutcome::kNotCounted);
  const std::optional<TimerStart> handling = started(outcome, StageTimer::kHandling);
  ASSERT_TRUE(handling);
  EXPECT_EQ(handling->cycle, 2);
  EXPECT_EQ(handling->deadline, beijing(kTuesday, 9h + 30min));
  EXPECT_EQ(outcome.updated.unit_code, "150203-utilities");
}

TEST(HandlingCycleActionTest, FailedCheckReentersTheCycleWithItsOriginalDeadline) {
  CaseLife life{kNow};
  life.to_handling(kNow);  // deadline Monday 16:30
  life.do_complete(kNow + 1h);

  const ActionOutcome outcome = life.do_check(beijing(kMonday, 15h), "failed");

  EXPECT_EQ(ended_outcome(outcome, StageTimer::kCheck), TimerOutcome::kOnTime);
  const std::optional<TimerStart> handling = started(outcome, StageTimer::kHandling);
  ASSERT_TRUE(handling);
  EXPECT_EQ(handling->cycle, 1);
  EXPECT_EQ(handling->deadline, beijing(kMonday, 16h + 30min));
}

TEST(HandlingCycleActionTest, ReworkFromResolvedReentersTheCycleWithItsOriginalDeadline) {
  CaseLife life{kNow};
  life.to_handling(kNow);
  life.do_complete(kNow + 1h);
  life.do_check(kNow + 2h, "passed");

  const ActionOutcome outcome =
      life.act(CaseAction::kRework, with_reason(), Role::kShiftLeader, kNow + 3h);

  EXPECT_EQ(outcome.updated.status, CaseStatus::kDispatched);
  EXPECT_EQ(outcome.updated.rework_count, 1);
  EXPECT_EQ(ended_timers(outcome), std::vector<StageTimer>{StageTimer::kClose});
  const std::optional<TimerStart> handling = started(outcome, StageTimer::kHandling);
  ASSERT_TRUE(handling);
  EXPECT_EQ(handling->cycle, 1);
  EXPECT_EQ(handling->deadline, beijing(kMonday, 16h + 30min));
}

TEST(HandlingCycleActionTest, FixThatOnlySucceedsAfterTheOriginalDeadlineIsLate) {
  CaseLife life{kNow};
  life.to_handling(kNow);  // deadline Monday 16:30
  life.do_complete(kNow + 1h);
  life.do_check(beijing(kMonday, 15h), "failed");
  life.do_acknowledge(beijing(kMonday, 15h + 10min));

  const ActionOutcome outcome = life.do_complete(beijing(kMonday, 17h));

  EXPECT_EQ(ended_outcome(outcome, StageTimer::kHandling), TimerOutcome::kLate);
}

TEST(HandlingCycleActionTest, SuspendPausesTheCycleWithoutMovingItsDeadline) {
  CaseLife life{kNow};
  life.to_handling(kNow, kTwoUrgentHours);  // deadline 12:00
  ActionInput input;
  input.until = kNow + 48h;

  const ActionOutcome outcome =
      life.act(CaseAction::kSuspend, input, Role::kDispatcher, kNow + 30min);

  EXPECT_EQ(outcome.updated.status, CaseStatus::kSuspended);
  EXPECT_EQ(outcome.updated.suspended_until, kNow + 48h);
  ASSERT_TRUE(outcome.updated.cycle);
  EXPECT_EQ(outcome.updated.cycle->state.paused_at, kNow + 30min);
  EXPECT_EQ(outcome.handling_deadline_moved, kNow + 2h);
}

TEST(HandlingCycleActionTest, ResumeMovesTheDeadlineByThePausedTime) {
  CaseLife life{kNow};
  life.to_handling(kNow, kTwoUrgentHours);  // deadline 12:00
  ActionInput input;
  input.until = kNow + 48h;
  life.act(CaseAction::kSuspend, input, Role::kDispatcher, kNow + 30min);

  const ActionOutcome outcome =
      life.act(CaseAction::kResume, {}, Role::kDispatcher, kNow + 3h + 30min);

  EXPECT_EQ(outcome.updated.status, CaseStatus::kHandling);
  EXPECT_EQ(outcome.handling_deadline_moved, kNow + 5h);
  EXPECT_EQ(life.running(StageTimer::kHandling).deadline, kNow + 5h);
  EXPECT_FALSE(outcome.updated.cycle->state.is_paused());
}

TEST(HandlingCycleActionTest, SuspendTakesUntilFromThePendingRequest) {
  CaseLife life{kNow};
  life.to_handling(kNow);
  ActionInput request = with_reason();
  request.until = kNow + 72h;
  life.act(CaseAction::kRequestSuspension, request, Role::kUnit, kNow + 10min);

  const ActionOutcome outcome = life.act(CaseAction::kSuspend, {}, Role::kDispatcher, kNow + 20min);

  EXPECT_EQ(outcome.updated.suspended_until, kNow + 72h);
  EXPECT_EQ(outcome.updated.suspension_requested_until, std::nullopt);
}

TEST(HandlingCycleActionTest, SuspensionForMoreThanAYearIsRefused) {
  CaseLife life{kNow};
  life.to_handling(kNow);
  ActionInput request = with_reason();
  request.until = kNow + std::chrono::days{367};

  const Error error = error_of(
      [&] { life.act(CaseAction::kRequestSuspension, request, Role::kUnit, kNow + 10min); });

  EXPECT_EQ(error.code(), ErrorCode::kInvalidTransition);
}

TEST(HandlingCycleActionTest, ApprovedExtensionAddsOneOriginalPeriod) {
  CaseLife life{kNow};
  life.to_handling(kNow);  // deadline Monday 16:30
  life.do_request_extension(kNow + 1h);

  const ActionOutcome outcome = life.do_approve_extension(kNow + 1h + 10min);

  // 4 more work hours: 16:30–18:00 Monday, then 08:30–11:00 Tuesday.
  EXPECT_EQ(outcome.handling_deadline_moved, beijing(kTuesday, 11h));
  EXPECT_EQ(outcome.updated.cycle->state.approved_extensions, 1);
  EXPECT_FALSE(outcome.updated.extension_pending);
}

TEST(HandlingCycleActionTest, DeniedExtensionLeavesTheDeadlineAlone) {
  CaseLife life{kNow};
  life.to_handling(kNow);
  life.do_request_extension(kNow + 1h);

  const ActionOutcome outcome =
      life.act(CaseAction::kDenyExtension, {}, Role::kShiftLeader, kNow + 2h);

  EXPECT_EQ(outcome.handling_deadline_moved, std::nullopt);
  EXPECT_FALSE(outcome.updated.extension_pending);
  EXPECT_EQ(life.running(StageTimer::kHandling).deadline, beijing(kMonday, 16h + 30min));
}

TEST(HandlingCycleActionTest, CompleteEndsThePendingExtensionAndSuspensionRequests) {
  CaseLife life{kNow};
  life.to_handling(kNow);
  life.do_request_extension(kNow + 10min);
  ActionInput suspension = with_reason();
  suspension.until = kNow + 48h;
  life.act(CaseAction::kRequestSuspension, suspension, Role::kUnit, kNow + 20min);

  const ActionOutcome completed = life.do_complete(kNow + 30min);
  life.do_check(kNow + 40min, "failed");  // the same cycle, a new handling instance
  life.do_acknowledge(kNow + 50min);

  EXPECT_FALSE(completed.updated.extension_pending);
  EXPECT_EQ(completed.updated.suspension_requested_until, std::nullopt);
  const Error approval = error_of([&] { life.do_approve_extension(kNow + 1h); });
  EXPECT_EQ(approval.code(), ErrorCode::kInvalidTransition);
  const Error suspend =
      error_of([&] { life.act(CaseAction::kSuspend, {}, Role::kDispatcher, kNow + 1h); });
  EXPECT_EQ(suspend.code(), ErrorCode::kInvalidTransition);
}

TEST(HandlingCycleActionTest, ThirdExtensionInOneCycleIsRefused) {
  CaseLife life{kNow};
  life.to_handling(kNow);
  life.do_request_extension(kNow + 10min);
  life.do_approve_extension(kNow + 20min);
  life.do_request_extension(kNow + 30min);
  life.do_approve_extension(kNow + 40min);

  const Error error = error_of([&] { life.do_request_extension(kNow + 50min); });

  EXPECT_EQ(error.code(), ErrorCode::kInvalidTransition);
  EXPECT_NE(std::string(error.what()).find("two extensions"), std::string::npos) << error.what();
}

TEST(HandlingCycleActionTest, ExtensionRequestedAfterTheDeadlineIsRefused) {
  CaseLife life{kNow};
  life.to_handling(kNow);  // deadline Monday 16:30

  const Error error =
      error_of([&] { life.do_request_extension(beijing(kMonday, 16h + 30min) + 1ms); });

  EXPECT_EQ(error.code(), ErrorCode::kInvalidTransition);
  EXPECT_NE(std::string(error.what()).find("passed"), std::string::npos) << error.what();
}

TEST(HandlingCycleActionTest, ExtensionDeadlineIsJudgedAgainstTheExtendedDeadline) {
  CaseLife life{kNow};
  life.to_handling(kNow);  // deadline Monday 16:30, Tuesday 11:00 once extended
  life.do_request_extension(kNow + 10min);
  life.do_approve_extension(kNow + 20min);

  const ActionOutcome outcome = life.do_request_extension(beijing(kMonday, 17h));

  EXPECT_TRUE(outcome.updated.extension_pending);
}

// -- close, callback, reopen and merge guards --

TEST(CloseGuardTest, CloseOfAResolvedCaseWithItsReporterUnansweredIsRefused) {
  CaseLife life{kNow, Channel::kHotline12319, true};
  life.to_handling(kNow);
  life.do_complete(kNow + 1h);
  life.do_check(kNow + 2h, "passed");

  const Error error = error_of([&] { life.do_close(kNow + 3h); });

  EXPECT_EQ(error.code(), ErrorCode::kInvalidTransition);
  EXPECT_NE(std::string(error.what()).find("reply"), std::string::npos) << error.what();
}

TEST(CloseGuardTest, ResolvedCaseWithoutReporterMayBeClosedDirectly) {
  CaseLife life{kNow, Channel::kVideo, false};
  life.to_handling(kNow);
  life.do_complete(kNow + 1h);
  life.do_check(kNow + 2h, "passed");

  const ActionOutcome outcome = life.do_close(kNow + 3h);

  EXPECT_EQ(outcome.updated.status, CaseStatus::kClosed);
}

TEST(CloseGuardTest, MergedCaseTakesNoCallback) {
  CaseLife life{kNow};
  life.do_merge(kNow);
  ActionInput input;
  input.reached = true;
  input.satisfaction = "satisfied";

  const Error error =
      error_of([&] { life.act(CaseAction::kCallback, input, Role::kOperator, kNow + 1h); });

  EXPECT_EQ(error.code(), ErrorCode::kInvalidTransition);
  EXPECT_NE(std::string(error.what()).find("merged"), std::string::npos) << error.what();
}

TEST(CloseGuardTest, MergedCaseCannotBeReopened) {
  CaseLife life{kNow};
  life.do_merge(kNow);

  const Error error = error_of(
      [&] { life.act(CaseAction::kReopen, with_reason(), Role::kShiftLeader, kNow + 1h); });

  EXPECT_EQ(error.code(), ErrorCode::kInvalidTransition);
}

TEST(CloseGuardTest, MergeClosesTheCaseWithOutcomeMerged) {
  CaseLife life{kNow};

  const ActionOutcome outcome = life.do_merge(kNow);

  EXPECT_EQ(outcome.updated.status, CaseStatus::kClosed);
  EXPECT_EQ(outcome.updated.outcome, CaseOutcome::kMerged);
}

TEST(CloseGuardTest, MergeIntoAClosedCaseIsRefused) {
  CaseLife life{kNow};
  ActionInput input;
  input.into = "150203-20261123-000002";
  ActionReferences references;
  references.merge_target_status = CaseStatus::kClosed;

  const Error error =
      error_of([&] { life.act(CaseAction::kMerge, input, Role::kDispatcher, kNow, references); });

  EXPECT_EQ(error.code(), ErrorCode::kInvalidTransition);
}

TEST(CloseGuardTest, MergeIntoAnUnknownCaseIsRefusedNamingInto) {
  CaseLife life{kNow};
  ActionInput input;
  input.into = "150203-20261123-000099";

  const Error error =
      error_of([&] { life.act(CaseAction::kMerge, input, Role::kDispatcher, kNow); });

  EXPECT_EQ(error.code(), ErrorCode::kInvalidValue);
  EXPECT_EQ(fields_of(error), std::vector<std::string>{"into"});
}

TEST(CloseGuardTest, CallbackOnAClosedCaseKeepsItClosedAndRecordsTheAnswer) {
  CaseLife life{kNow, Channel::kPatrol, false};
  life.to_handling(kNow);
  life.do_complete(kNow + 1h);
  life.do_check(kNow + 2h, "passed");
  life.do_close(kNow + 3h);
  ActionInput input;
  input.reached = true;
  input.satisfaction = "dissatisfied";

  const ActionOutcome outcome = life.act(CaseAction::kCallback, input, Role::kOperator, kNow + 4h);

  EXPECT_EQ(outcome.updated.status, CaseStatus::kClosed);
  EXPECT_NE(std::find(outcome.event_params.begin(), outcome.event_params.end(),
                      std::pair<std::string, std::string>{"satisfaction", "dissatisfied"}),
            outcome.event_params.end());
}

// ---- case numbers ----

TEST(CaseNumberTest, WellFormedCaseNumberIsRecognised) {
  EXPECT_TRUE(is_case_number("150203-20261125-000042"));
}

TEST(CaseNumberTest, MalformedCaseNumbersAreNotRecognised) {
  for (const char* text :
       {"", "150203-20261125-42", "150203-20261125-0000042", "15020-20261125-000042",
        "150203_20261125_000042", "150203-2026112a-000042", "150203-20261125-00004x",
        "150203-20261125-000042 ", "../etc/passwd"}) {
    EXPECT_FALSE(is_case_number(text)) << text;
  }
}

}  // namespace
}  // namespace gridcase::domain
