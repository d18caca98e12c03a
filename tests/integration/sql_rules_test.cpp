// The rules that only SQL decides (docs/architecture.md, "SQL-owned rules"), one test named
// after each, against the real PostgreSQL and the production statements.
#include <gtest/gtest.h>

#include <string>

#include "case_world.hpp"
#include "gridcase/domain/access.hpp"
#include "test_database.hpp"

namespace gridcase::testing {
namespace {

using namespace std::chrono_literals;
using domain::CaseAction;
using domain::CaseStatus;
using domain::Channel;
using domain::ReporterAccess;
using domain::Role;
using nlohmann::json;

// Days no other test receives cases on, so their sequences are this test's to set.
constexpr std::chrono::year_month_day kNumberingDay = std::chrono::year{2031} / 3 / 5;
constexpr std::chrono::year_month_day kNextNumberingDay = std::chrono::year{2031} / 3 / 6;

class SqlRulesTest : public CaseWorldTest {
 protected:
  std::string scalar(const std::string& sql) { return query_scalar(url_, sql); }

  /// The next case numbered on `day` (YYYYMMDD) gets daily sequence number `next`.
  void number_next(const std::string& day, long long next) {
    // The day's sequence is created on first use; it may be exhausted already, so only then.
    scalar("SELECT gridcase_next_case_seq('" + day + "') WHERE to_regclass('case_seq_" + day +
           "') IS NULL");
    scalar("SELECT setval('case_seq_" + day + "', " + std::to_string(next - 1) + ")");
  }

  /// A web report of category `category` at `point`.
  std::string receive_at(domain::Point point, const char* category = "event:0101") {
    domain::NewCase intake = case_report(Channel::kWeb, point, true, clock_->now());
    intake.category_key = category;
    return receive(intake);
  }

  /// Makes `officer` the grid officer of `cell` from today (the district's local date) on.
  void appoint_grid_officer(const char* officer, const char* cell) {
    scalar(std::string("INSERT INTO officer_cells (officer_id, duty, cell_code) ") +
           "SELECT id, 'grid_officer', '" + cell + "' FROM officers WHERE code = '" + officer +
           "'");
  }

  /// The params of the last event of `case_no`.
  json last_event_params(const std::string& case_no) {
    return get(case_no).at("events").back().at("params");
  }
};

domain::Point east_of(domain::Point point, double metres) {
  // Metres per degree of longitude at the district's latitude (20°N).
  constexpr double kMetresPerDegree = 111320 * 0.9396926;
  point.lon += metres / kMetresPerDegree;
  return point;
}

// ---- case numbers (src/storage/queries/insert_case.sql,
// sql/functions/050_gridcase_next_case_seq.sql)

TEST_F(SqlRulesTest, CaseNumberIsDistrictLocalDateAndSixDigitDailySequence) {
  clock_->set(beijing(kNumberingDay, 10h));
  number_next("20310305", 42);
  const std::string forty_second = receive(Channel::kWeb);
  number_next("20310305", 999999);
  const std::string last_of_the_day = receive(Channel::kWeb);

  EXPECT_EQ(forty_second, "150261-20310305-000042");
  EXPECT_EQ(last_of_the_day, "150261-20310305-999999");
  EXPECT_TRUE(domain::is_case_number(forty_second));
  EXPECT_TRUE(domain::is_case_number(last_of_the_day));
}

TEST_F(SqlRulesTest, CaseNumbersCountPerLocalDayAndSortByTimeAsStrings) {
  clock_->set(beijing(kNumberingDay, 10h));
  number_next("20310305", 9);
  const std::string ninth = receive(Channel::kWeb);
  const std::string tenth = receive(Channel::kWeb);
  scalar("DROP SEQUENCE IF EXISTS case_seq_20310306");
  clock_->set(beijing(kNextNumberingDay, 0h + 30min));  // still 5 March in UTC

  const std::string next_day = receive(Channel::kWeb);

  EXPECT_EQ(ninth, "150261-20310305-000009");
  EXPECT_EQ(tenth, "150261-20310305-000010");
  EXPECT_EQ(next_day, "150261-20310306-000001");
  EXPECT_LT(ninth, tenth);
  EXPECT_LT(tenth, next_day);
}

TEST_F(SqlRulesTest, ADayWhoseCaseNumbersAreUsedUpRefusesIntakeAsUnavailableAndWritesNothing) {
  clock_->set(beijing(kNumberingDay, 10h));
  number_next("20310305", 999999);
  const std::string last_of_the_day = receive(Channel::kWeb);
  const long long cases = rows_in("cases");

  try {
    receive(Channel::kWeb);
    ADD_FAILURE() << "a case was numbered after " << last_of_the_day;
  } catch (const domain::Error& error) {
    EXPECT_EQ(error.code(), domain::ErrorCode::kUnavailable);
    EXPECT_NE(std::string(error.what()).find("no case number is left for today"), std::string::npos)
        << error.what();
    EXPECT_TRUE(error.details().retry_after.has_value());
  }
  EXPECT_EQ(last_of_the_day, "150261-20310305-999999");
  EXPECT_EQ(rows_in("cases"), cases);
}

// ---- reporter fields (sql/functions/060_gridcase_reveals.sql, 070_, 080_) ----

TEST_F(SqlRulesTest, RevealsReporterToFullAccessAlwaysToUnlessConfidentialOnlyWhenNotConfidential) {
  auto reveals = [&](ReporterAccess access, bool confidential) {
    return scalar("SELECT gridcase_reveals(" + std::to_string(static_cast<int>(access)) + ", " +
                  (confidential ? "true" : "false") + ")") == "t";
  };

  EXPECT_TRUE(reveals(ReporterAccess::kFull, true));
  EXPECT_TRUE(reveals(ReporterAccess::kFull, false));
  EXPECT_TRUE(reveals(ReporterAccess::kUnlessConfidential, false));
  EXPECT_FALSE(reveals(ReporterAccess::kUnlessConfidential, true));
  EXPECT_FALSE(reveals(ReporterAccess::kMasked, false));
  EXPECT_FALSE(reveals(ReporterAccess::kMasked, true));
}

TEST_F(SqlRulesTest, MaskedPhoneKeepsItsFirstThreeAndLastFourDigits) {
  EXPECT_EQ(scalar("SELECT gridcase_mask_phone('13812345678')"), "138****5678");
  EXPECT_EQ(scalar("SELECT gridcase_mask_phone('04723456789')"), "047****6789");
  EXPECT_EQ(scalar("SELECT gridcase_mask_phone(NULL) IS NULL"), "t");
}

TEST_F(SqlRulesTest, MaskedPhoneHidesAtLeastFourDigitsAndItsLengthHoweverShort) {
  EXPECT_EQ(scalar("SELECT gridcase_mask_phone('51234567')"), "****4567");
  EXPECT_EQ(scalar("SELECT gridcase_mask_phone('0472512345')"), "****2345");
  EXPECT_EQ(scalar("SELECT gridcase_mask_phone('1234567')"), "****");
  EXPECT_EQ(scalar("SELECT gridcase_mask_phone('110')"), "****");
  EXPECT_EQ(scalar("SELECT gridcase_mask_phone('12-34-56-78')"), "****5678");
  EXPECT_EQ(scalar("SELECT gridcase_mask_phone('138 1234 5678')"), "138****5678");
  EXPECT_EQ(scalar("SELECT gridcase_mask_phone('+8613812345678')"), "+861****5678");
  EXPECT_EQ(scalar("SELECT gridcase_mask_phone('047212345678')"), "047****5678");
}

TEST_F(SqlRulesTest, MaskedNameKeepsItsFirstCharacterAndHidesTheLength) {
  EXPECT_EQ(scalar("SELECT gridcase_mask_name('张三')"), "张*");
  EXPECT_EQ(scalar("SELECT gridcase_mask_name('欧阳明月')"), "欧***");
  EXPECT_EQ(scalar("SELECT gridcase_mask_name('张')"), "张*");
  EXPECT_EQ(scalar("SELECT gridcase_mask_name('') = ''"), "t");
}

// ---- possible duplicates (src/storage/queries/insert_case.sql, CTE duplicates) ----

TEST_F(SqlRulesTest, PossibleDuplicatesAreOpenCasesOfTheSameCategoryWithinTheRadiusNewestFirst) {
  const domain::Point here = CaseDistrict::in_cell();
  const std::string older = receive_at(here);
  const std::string near = receive_at(east_of(here, 30));
  const std::string rejected = receive_at(here);
  drive_to(rejected, CaseStatus::kRejected);
  receive_at(east_of(here, 80));       // beyond the 50 m radius
  receive_at(here, "component:0101");  // another category

  const json found = get(receive_at(here));

  EXPECT_EQ(found.at("possible_duplicates"), json::array({near, older}));
}

// ---- what an answer names of other cases (sql/functions/190_gridcase_readable_cases.sql) ----

TEST_F(SqlRulesTest, ReadableCasesAreThoseInsideTheReadersScopeOrItsOwnInTheirOrder) {
  const std::string west = receive_at(CaseDistrict::in_cell());
  const std::string other = receive_at(CaseDistrict::in_other_street());
  const std::string east = receive_at(CaseDistrict::in_east_cell());
  const std::string listed =
      "ARRAY['" + east + "', '" + other + "', '" + west + "', '150261-19990101-000001']";
  const auto readable = [&](const std::string& reader) {
    return scalar("SELECT array_to_string(gridcase_readable_cases(" + listed + ", " + reader +
                  "), ',')");
  };

  EXPECT_EQ(readable("'district', NULL, NULL"), east + "," + other + "," + west);
  EXPECT_EQ(readable(std::string("'grid', '") + CaseDistrict::kStreet + "', NULL"),
            east + "," + west);
  EXPECT_EQ(readable(std::string("'grid', '") + CaseDistrict::kOtherStreet + "', NULL"), other);
  EXPECT_EQ(readable("'district', NULL, 'nobody'"), "");
  EXPECT_EQ(scalar("SELECT cardinality(gridcase_readable_cases('{}', 'unit', 'x', NULL))"), "0");
}

// ---- the officer named in verification and check tasks (PgCaseRepository kInsertEvent) ----

TEST_F(SqlRulesTest, VerificationAndCheckEventsNameTheCellsActiveGridOfficerInForce) {
  appoint_grid_officer(CaseDistrict::kPatrolOfficer, CaseDistrict::kCell);
  appoint_grid_officer(CaseDistrict::kRetiredOfficer, CaseDistrict::kEastCell);
  const std::string in_cell = receive(Channel::kWeb);
  const std::string in_east_cell = receive_at(CaseDistrict::in_east_cell());
  const std::string handled = receive(Channel::kWeb);

  drive_to(in_cell, CaseStatus::kVerifying);
  drive_to(in_east_cell, CaseStatus::kVerifying);
  drive_to(handled, CaseStatus::kHandled);

  EXPECT_EQ(last_event_params(in_cell).value("officer", ""), CaseDistrict::kPatrolOfficer);
  EXPECT_FALSE(last_event_params(in_east_cell).contains("officer"));  // inactive officer
  EXPECT_EQ(last_event_params(handled).value("officer", ""), CaseDistrict::kPatrolOfficer);
}

TEST_F(SqlRulesTest, OtherEventsNameNoOfficer) {
  appoint_grid_officer(CaseDistrict::kPatrolOfficer, CaseDistrict::kCell);
  const std::string case_no = receive(Channel::kWeb);

  drive_to(case_no, CaseStatus::kHandling);

  const json found = get(case_no);
  for (const json& event : found.at("events")) {
    EXPECT_FALSE(event.at("params").contains("officer")) << event.at("action");
  }
}

// ---- replies passed on to merged duplicates (PgCaseRepository kReplyToDuplicates) ----

TEST_F(SqlRulesTest, ReplyToAnOriginalIsRecordedOnEveryCaseMergedIntoIt) {
  const std::string original = receive(Channel::kWeb);
  const std::string first = receive(Channel::kHotline12319);
  const std::string second = receive(Channel::kHotline12345);
  const std::string unrelated = receive(Channel::kHotline12319);
  domain::ActionInput into;
  into.into = original;
  act(first, CaseAction::kMerge, into, Role::kShiftLeader);
  act(second, CaseAction::kMerge, into, Role::kShiftLeader);
  drive_to(original, CaseStatus::kResolved);

  act(original, CaseAction::kReply, note_input(), Role::kOperator);

  for (const std::string& duplicate : {first, second}) {
    const json event = get(duplicate).at("events").back();
    EXPECT_EQ(event.at("action"), "reply") << duplicate;
    EXPECT_EQ(event.at("params").at("via"), original) << duplicate;
    EXPECT_EQ(event.at("from"), "closed") << duplicate;
    EXPECT_EQ(event.at("to"), "closed") << duplicate;
  }
  EXPECT_EQ(get(unrelated).at("events").back().at("action"), "receive");
}

TEST_F(SqlRulesTest, ReplyToAnOriginalReachesEveryCaseMergedIntoItTransitively) {
  const std::string first = receive(Channel::kHotline12319);   // merged into middle
  const std::string middle = receive(Channel::kHotline12345);  // merged into original
  const std::string original = receive(Channel::kApp, false);
  domain::ActionInput into;
  into.into = middle;
  act(first, CaseAction::kMerge, into, Role::kShiftLeader);
  into.into = original;
  act(middle, CaseAction::kMerge, into, Role::kDispatcher);
  drive_to(original, CaseStatus::kResolved);

  act(original, CaseAction::kReply, note_input(), Role::kOperator);

  for (const std::string& duplicate : {first, middle}) {
    const json event = get(duplicate).at("events").back();
    EXPECT_EQ(event.at("action"), "reply") << duplicate;
    EXPECT_EQ(event.at("params").at("via"), original) << duplicate;
  }
  EXPECT_EQ(scalar("SELECT count(*) FROM case_events e JOIN cases c ON c.id = e.case_id "
                   "WHERE c.case_no = '" +
                   first + "' AND e.action = 'reply'"),
            "1");
}

// ---- a reporter still to answer (sql/functions/300_gridcase_reporter_to_answer.sql) ----

TEST_F(SqlRulesTest, AnOriginalWithoutAReporterKeepsTheUnansweredReportersOfItsDuplicates) {
  const std::string caller = receive(Channel::kHotline12319);
  const std::string middle = receive(Channel::kApp, false);
  const std::string original = receive(Channel::kApp, false);
  const std::string to_answer =
      "SELECT gridcase_reporter_to_answer(id) FROM cases WHERE case_no = '" + original + "'";
  EXPECT_EQ(scalar(to_answer), "f");
  domain::ActionInput into;
  into.into = middle;
  act(caller, CaseAction::kMerge, into, Role::kShiftLeader);
  into.into = original;
  act(middle, CaseAction::kMerge, into, Role::kShiftLeader);
  drive_to(original, CaseStatus::kResolved);
  EXPECT_EQ(scalar(to_answer), "t");

  const domain::Error refused = refusal(original, CaseAction::kClose, {}, Role::kShiftLeader);
  EXPECT_EQ(refused.code(), domain::ErrorCode::kInvalidTransition);
  EXPECT_NE(std::string(refused.what()).find("merged"), std::string::npos) << refused.what();
  EXPECT_EQ(get(original).at("status"), "resolved");
  act(original, CaseAction::kReply, note_input(), Role::kOperator);

  EXPECT_EQ(scalar(to_answer), "f");
  EXPECT_EQ(act(original, CaseAction::kClose, {}, Role::kShiftLeader).at("status"), "closed");
}

TEST_F(SqlRulesTest, ADuplicateWhoseReporterWasAnsweredBeforeTheMergeHoldsNoCloseBack) {
  const std::string answered = receive(Channel::kHotline12319);
  drive_to(answered, CaseStatus::kReplied);
  const std::string original = receive(Channel::kApp, false);
  domain::ActionInput into;
  into.into = original;
  act(answered, CaseAction::kMerge, into, Role::kShiftLeader);
  drive_to(original, CaseStatus::kResolved);

  EXPECT_EQ(scalar("SELECT gridcase_reporter_to_answer(id) FROM cases WHERE case_no = '" +
                   original + "'"),
            "f");
  EXPECT_EQ(act(original, CaseAction::kClose, {}, Role::kShiftLeader).at("status"), "closed");
}

TEST_F(SqlRulesTest, AnOriginalsOwnReporterIsToAnswerWhateverItsDuplicates) {
  const std::string original = receive(Channel::kHotline12319);
  const std::string anonymous = receive(Channel::kApp, false);
  domain::ActionInput into;
  into.into = original;
  act(anonymous, CaseAction::kMerge, into, Role::kShiftLeader);

  EXPECT_EQ(scalar("SELECT gridcase_reporter_to_answer(id) FROM cases WHERE case_no = '" +
                   original + "'"),
            "t");
  EXPECT_EQ(scalar("SELECT gridcase_reporter_to_answer(id) FROM cases WHERE case_no = '" +
                   anonymous + "'"),
            "f");
}

// ---- the live feed's payload (sql/functions/130_gridcase_event_payload.sql) ----

TEST_F(SqlRulesTest, EventPayloadCarriesTheCasesCurrentGridUnitAndCell) {
  const std::string case_no = receive(Channel::kWeb);
  drive_to(case_no, CaseStatus::kDispatched);

  const json payload = json::parse(
      scalar("SELECT gridcase_event_payload(e, c) FROM case_events e JOIN cases c ON c.id = "
             "e.case_id WHERE c.case_no = '" +
             case_no + "' AND e.action = 'receive'"));

  EXPECT_EQ(payload.at("case_no"), case_no);
  EXPECT_EQ(payload.at("action"), "receive");
  EXPECT_TRUE(payload.at("from").is_null());
  EXPECT_EQ(payload.at("to"), "received");
  EXPECT_EQ(payload.at("grid_path"), "150261.150261001.150261001001.150261001001001");
  EXPECT_EQ(payload.at("cell"), CaseDistrict::kCell);
  EXPECT_EQ(payload.at("unit"), CaseDistrict::kStreetUnit);  // dispatched after the event
}

// ---- what the nightly report reads of the past (170_gridcase_keep_case_attributes.sql,
// 180_gridcase_keep_timer_state.sql) ----

TEST_F(SqlRulesTest, CaseAttributeChangesAreKeptWithTheTimeOfTheActionThatMadeThem) {
  const std::string case_no = receive(Channel::kWeb);
  clock_->advance(1h);
  drive_to(case_no, CaseStatus::kDispatched);
  clock_->advance(1h);
  act(case_no, CaseAction::kAcknowledge, {}, Role::kUnit);

  const std::string history = scalar(
      "SELECT string_agg(h.cell_code || ' ' || coalesce(h.unit_code, '-') || ' ' || "
      "h.category_key || ' ' || gridcase_iso(h.at), ', ' ORDER BY h.id) "
      "FROM case_attribute_history h JOIN cases c ON c.id = h.case_id WHERE c.case_no = '" +
      case_no + "'");

  EXPECT_EQ(history,
            "150261001001001 - event:0101 2026-11-23T02:00:00.000Z, "
            "150261001001001 150261001-enforcement event:0101 2026-11-23T03:00:00.000Z");
}

TEST_F(SqlRulesTest, TimerDeadlineAndPauseChangesAreKeptFromEachChangeOn) {
  const std::string case_no = receive(Channel::kWeb);

  drive_to(case_no, CaseStatus::kSuspended);

  const std::string history = scalar(
      "SELECT string_agg((h.paused_at IS NOT NULL)::text, ',' ORDER BY h.id) "
      "FROM case_timer_history h JOIN case_timers t ON t.id = h.timer_id "
      "JOIN cases c ON c.id = t.case_id WHERE c.case_no = '" +
      case_no + "' AND t.timer = 'handling'");

  EXPECT_EQ(history, "false,true");
}

}  // namespace
}  // namespace gridcase::testing
