#include <gtest/gtest.h>

#include "case_world.hpp"
#include "run_sync.hpp"

namespace gridcase::testing {
namespace {

using domain::CaseAction;
using domain::CaseStatus;
using domain::Channel;
using domain::ErrorCode;
using domain::Role;
using nlohmann::json;

/// Refused requests must leave no trace: no case, no event, no timer.
class CaseBadInputTest : public CaseWorldTest {
 protected:
  struct Rows {
    long long cases = 0;
    long long events = 0;
    long long timers = 0;
    friend bool operator==(const Rows&, const Rows&) = default;
  };

  Rows rows() { return Rows{rows_in("cases"), rows_in("case_events"), rows_in("case_timers")}; }

  domain::Error intake_refusal(const domain::NewCase& intake, Role role = Role::kOperator) {
    try {
      domain::NewCase sent = intake;
      sent.photos = with_uploads(std::move(sent.photos), case_actor(role));
      run_sync(cases_->receive(std::move(sent), case_actor(role), std::nullopt));
    } catch (const domain::Error& error) {
      return error;
    }
    ADD_FAILURE() << "the intake was accepted";
    return domain::Error(ErrorCode::kInternal, "accepted");
  }

  domain::NewCase web_report() {
    return case_report(Channel::kWeb, CaseDistrict::in_cell(), true, clock_->now());
  }

  static std::vector<std::string> fields_of(const domain::Error& error) {
    std::vector<std::string> fields;
    for (const domain::FieldError& field : error.details().fields) fields.push_back(field.field);
    return fields;
  }
};

TEST_F(CaseBadInputTest, UnknownCategoryIsRefusedNamingItAndWritesNothing) {
  domain::NewCase intake = web_report();
  intake.category_key = "event:0999";
  const Rows before = rows();

  const domain::Error error = intake_refusal(intake);

  EXPECT_EQ(error.code(), ErrorCode::kInvalidValue);
  EXPECT_EQ(fields_of(error), std::vector<std::string>{"category"});
  EXPECT_EQ(rows(), before);
}

TEST_F(CaseBadInputTest,
       PatrolReportByAnUnknownOrInactiveOfficerIsRefusedNamingOfficerAndWritesNothing) {
  for (const char* officer : {"150261-no-such-officer", CaseDistrict::kRetiredOfficer}) {
    domain::NewCase intake =
        case_report(Channel::kPatrol, CaseDistrict::in_cell(), false, clock_->now());
    intake.officer_code = officer;
    const Rows before = rows();

    const domain::Error error = intake_refusal(intake);

    EXPECT_EQ(error.code(), ErrorCode::kInvalidValue) << officer;
    EXPECT_EQ(fields_of(error), std::vector<std::string>{"officer"}) << officer;
    EXPECT_EQ(rows(), before) << officer;
  }
  // The world's active patrol officer is accepted.
  receive(case_report(Channel::kPatrol, CaseDistrict::in_cell(), false, clock_->now()));
}

TEST_F(CaseBadInputTest, AStaffPhotoThatIsALinkIsRefusedNamingItAndWritesNothing) {
  // Staff photograph through the server (issue 15): a link is refused at intake...
  domain::NewCase intake =
      case_report(Channel::kPatrol, CaseDistrict::in_cell(), false, clock_->now());
  intake.photos = {"https://photos.example.cn/patrol/1.jpg"};
  const Rows before = rows();

  const domain::Error error = intake_refusal(intake);

  EXPECT_EQ(error.code(), ErrorCode::kInvalidValue);
  EXPECT_EQ(fields_of(error), std::vector<std::string>{"photos[0]"});
  EXPECT_EQ(rows(), before);

  // ...and in an action, after one that is an upload,
  const std::string case_no = receive(Channel::kWeb);
  drive_to(case_no, CaseStatus::kHandling);
  domain::ActionInput done = note_input();
  done.attachments.emplace_back("https://photos.example.cn/after.jpg");
  const Rows acting = rows();

  const domain::Error action_error = refusal(case_no, CaseAction::kComplete, done, Role::kUnit);

  EXPECT_EQ(action_error.code(), ErrorCode::kInvalidValue);
  EXPECT_EQ(fields_of(action_error), std::vector<std::string>{"attachments[1]"});
  EXPECT_EQ(rows(), acting);
  EXPECT_EQ(get(case_no).at("status"), "handling");

  // while a case an integration files carries its links, as before.
  domain::NewCase filed = web_report();
  filed.photos = {"https://photos.example.cn/web/1.jpg"};
  EXPECT_EQ(get(receive(filed, Role::kIntegration)).at("photos"),
            json::array({"https://photos.example.cn/web/1.jpg"}));
}

TEST_F(CaseBadInputTest, PointOutsideTheDistrictIsRefusedNamingLonAndWritesNothing) {
  domain::NewCase intake = web_report();
  intake.point = CaseDistrict::outside();
  const Rows before = rows();

  const domain::Error error = intake_refusal(intake);

  EXPECT_EQ(error.code(), ErrorCode::kInvalidValue);
  EXPECT_EQ(fields_of(error), std::vector<std::string>{"lon"});
  EXPECT_EQ(rows(), before);
}

TEST_F(CaseBadInputTest, ImpossibleLatitudeIsRefusedNamingItAndWritesNothing) {
  domain::NewCase intake = web_report();
  intake.point = domain::Point{60.005, 95};
  const Rows before = rows();

  const domain::Error error = intake_refusal(intake);

  EXPECT_EQ(error.code(), ErrorCode::kInvalidValue);
  EXPECT_EQ(fields_of(error), std::vector<std::string>{"lat"});
  EXPECT_EQ(rows(), before);
}

TEST_F(CaseBadInputTest, HotlineCaseWithoutPhoneIsMalformedAndWritesNothing) {
  domain::NewCase intake =
      case_report(Channel::kHotline12319, CaseDistrict::in_cell(), true, clock_->now());
  intake.reporter->phone.reset();
  const Rows before = rows();

  const domain::Error error = intake_refusal(intake);

  EXPECT_EQ(error.code(), ErrorCode::kMalformed);
  EXPECT_EQ(fields_of(error), std::vector<std::string>{"reporter.phone"});
  EXPECT_EQ(rows(), before);
}

TEST_F(CaseBadInputTest, RoleThatMayNotReceiveIsForbiddenAndWritesNothing) {
  const Rows before = rows();

  const domain::Error error = intake_refusal(web_report(), Role::kUnit);

  EXPECT_EQ(error.code(), ErrorCode::kForbidden);
  EXPECT_EQ(rows(), before);
}

TEST_F(CaseBadInputTest, UnknownUnitOnDispatchIsRefusedNamingUnitAndWritesNoEvent) {
  const std::string case_no = receive(Channel::kWeb);
  drive_to(case_no, CaseStatus::kRegistered);
  const Rows before = rows();

  const domain::Error error =
      refusal(case_no, CaseAction::kDispatch, unit_input("150261-no-such-unit"), Role::kDispatcher);

  EXPECT_EQ(error.code(), ErrorCode::kInvalidValue);
  EXPECT_EQ(fields_of(error), std::vector<std::string>{"unit"});
  EXPECT_EQ(rows(), before);
  const json found = get(case_no);
  EXPECT_EQ(found.at("status"), "registered");
  EXPECT_EQ(found.at("version"), 2);
}

TEST_F(CaseBadInputTest, UnknownFilingConditionOnRegisterIsRefusedNamingItAndWritesNothing) {
  const std::string case_no = receive(Channel::kWeb);
  const Rows before = rows();

  const domain::Error error = refusal(case_no, CaseAction::kRegister,
                                      register_input("event:0101", "no_such"), Role::kShiftLeader);

  EXPECT_EQ(error.code(), ErrorCode::kInvalidValue);
  EXPECT_EQ(fields_of(error), std::vector<std::string>{"condition"});
  EXPECT_EQ(rows(), before);
}

TEST_F(CaseBadInputTest, ConditionOfAnotherCategoryIsRefusedAsUnknown) {
  const std::string case_no = receive(Channel::kWeb);

  const domain::Error error = refusal(case_no, CaseAction::kRegister,
                                      register_input("event:0101", "missing"), Role::kShiftLeader);

  EXPECT_EQ(error.code(), ErrorCode::kInvalidValue);
  EXPECT_EQ(fields_of(error), std::vector<std::string>{"condition"});
}

TEST_F(CaseBadInputTest, UnknownCaseIsNotFoundAndWritesNothing) {
  const Rows before = rows();

  const domain::Error error =
      refusal("150261-20261123-999997", CaseAction::kReject, reason_input(), Role::kShiftLeader);

  EXPECT_EQ(error.code(), ErrorCode::kNotFound);
  EXPECT_EQ(rows(), before);
}

TEST_F(CaseBadInputTest, ReadingAnUnknownCaseIsNotFound) {
  try {
    get("150261-20261123-999996");
    ADD_FAILURE() << "an unknown case was found";
  } catch (const domain::Error& error) {
    EXPECT_EQ(error.code(), ErrorCode::kNotFound);
  }
}

TEST_F(CaseBadInputTest, MalformedCaseNumberIsNotFound) {
  try {
    get("../../etc/passwd");
    ADD_FAILURE() << "a malformed case number was found";
  } catch (const domain::Error& error) {
    EXPECT_EQ(error.code(), ErrorCode::kNotFound);
  }
}

}  // namespace
}  // namespace gridcase::testing
