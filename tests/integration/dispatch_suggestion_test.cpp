#include <gtest/gtest.h>

#include "case_world.hpp"
#include "error_of.hpp"
#include "gridcase/service/report_service.hpp"
#include "run_sync.hpp"

namespace gridcase::testing {
namespace {

// Dispatch suggestions (docs/case-lifecycle.md, "Dispatch suggestions") and the report's
// "suggestion followed" figure (docs/reports.md).

using namespace std::chrono_literals;
using domain::CaseAction;
using domain::CaseStatus;
using domain::ErrorCode;
using domain::Role;

domain::Actor scoped(Role role, domain::Scope scope) {
  domain::Actor actor{"it-case-suggest", domain::RoleSet{role}, role};
  actor.scope = std::move(scope);
  return actor;
}

class DispatchSuggestionTest : public CaseWorldTest {
 protected:
  service::DispatchSuggestions suggest(const std::string& case_no,
                                       const domain::Actor& actor = case_actor(Role::kDispatcher)) {
    return run_sync(cases_->suggestions(case_no, actor));
  }

  static std::vector<std::string> units_of(const service::DispatchSuggestions& answer) {
    std::vector<std::string> units;
    for (const domain::DispatchSuggestion& each : answer.suggestions)
      units.push_back(each.unit.code);
    return units;
  }

  static std::string suggestion_param(const nlohmann::json& case_json, const char* action) {
    std::string found = "(none)";
    for (const nlohmann::json& event : case_json.at("events")) {
      if (event.at("action") == action) {
        found = event.at("params").value("suggestion", "(none)");
      }
    }
    return found;
  }
};

TEST_F(DispatchSuggestionTest, TheMatchingUnitOfTheNarrowestScopeComesFirstWithItsReason) {
  const std::string case_no = receive(domain::Channel::kApp, false);
  drive_to(case_no, CaseStatus::kRegistered);  // event:0101/stop wants enforcement

  const service::DispatchSuggestions answer = suggest(case_no);

  EXPECT_EQ(answer.action, CaseAction::kDispatch);
  EXPECT_EQ(answer.unit_type, "enforcement");
  // The other street's squad does not serve the cell: it is not offered.
  EXPECT_EQ(units_of(answer),
            (std::vector<std::string>{CaseDistrict::kStreetUnit, CaseDistrict::kDistrictUnit}));
  const domain::DispatchSuggestion& first = answer.suggestions.front();
  EXPECT_EQ(first.rank, 1);
  EXPECT_TRUE(first.type_matches);
  EXPECT_FALSE(answer.suggestions.back().type_matches);
  EXPECT_NE(first.reason.find("type enforcement matches the filing condition"), std::string::npos)
      << first.reason;
  EXPECT_NE(first.reason.find("street 150261001"), std::string::npos) << first.reason;
  EXPECT_NE(first.reason.find("0 open handling instances"), std::string::npos) << first.reason;
  EXPECT_EQ(first.unit.open_handling, 0);
  EXPECT_FALSE(first.recent_on_time_rate.has_value());
}

TEST_F(DispatchSuggestionTest, LoadAndRecentOnTimeHandlingAreCountedPerUnit) {
  const std::string open = receive(domain::Channel::kApp, false);
  drive_to(open, CaseStatus::kHandling);  // one open instance of the street's squad
  const std::string done = receive(domain::Channel::kApp, false);
  drive_to(done, CaseStatus::kClosed);  // one on time
  const std::string case_no = receive(domain::Channel::kApp, false);
  drive_to(case_no, CaseStatus::kRegistered);

  const service::DispatchSuggestions answer = suggest(case_no);

  const domain::DispatchSuggestion& first = answer.suggestions.front();
  EXPECT_EQ(first.unit.code, CaseDistrict::kStreetUnit);
  EXPECT_EQ(first.unit.open_handling, 1);
  EXPECT_EQ(first.recent_on_time_rate, 1.0);
  EXPECT_NE(first.reason.find("1 open handling instance;"), std::string::npos) << first.reason;
  EXPECT_NE(first.reason.find("on-time handling 100.00% (1 of 1)"), std::string::npos)
      << first.reason;
}

TEST_F(DispatchSuggestionTest,
       AReassignIsOfferedTheOtherUnitsAndADispatchRecordsWhetherItFollowed) {
  const std::string followed = receive(domain::Channel::kApp, false);
  drive_to(followed, CaseStatus::kDispatched);  // to the street's squad: the first suggestion
  const std::string other = receive(domain::Channel::kApp, false);
  drive_to(other, CaseStatus::kRegistered);
  act(other, CaseAction::kDispatch, unit_input(CaseDistrict::kDistrictUnit), Role::kDispatcher);

  const service::DispatchSuggestions reassign = suggest(followed);
  act(followed, CaseAction::kReassign, unit_input(CaseDistrict::kDistrictUnit), Role::kDispatcher);

  EXPECT_EQ(reassign.action, CaseAction::kReassign);
  EXPECT_EQ(units_of(reassign), (std::vector<std::string>{CaseDistrict::kDistrictUnit}));
  EXPECT_EQ(suggestion_param(get(followed), "dispatch"), "followed");
  EXPECT_EQ(suggestion_param(get(followed), "reassign"), "followed");  // the only one left
  EXPECT_EQ(suggestion_param(get(other), "dispatch"), "not_followed");

  // The report counts it beside dispatch accuracy, which keeps its definition.
  service::ReportService reports{*database_, *calendar_, *clock_, service::ReportOptions{}};
  const service::Report today =
      run_sync(reports.get(domain::ReportPeriod::kDay, std::chrono::year{2026} / 11 / 23));
  domain::ReportCounts district;
  for (const domain::ReportRow& row : today.rows) {
    if (row.dimension == domain::ReportDimension::kDistrict) district = row.counts;
  }
  EXPECT_EQ(district.dispatched, 3);
  EXPECT_EQ(district.dispatches_kept, 2);  // the reassign overturned the first dispatch
  EXPECT_EQ(district.dispatches_suggested, 3);
  EXPECT_EQ(district.suggestions_followed, 2);
  const domain::ReportMetrics metrics = domain::compute_metrics(district, {});
  EXPECT_EQ(domain::format_percent(metrics.suggestion_followed), "66.67%");
  EXPECT_EQ(domain::format_percent(metrics.dispatch_accuracy), "66.67%");
}

TEST_F(DispatchSuggestionTest, RefusalsFollowTheContractsOrder) {
  const std::string received = receive(domain::Channel::kApp, false);
  const std::string registered = receive(domain::Channel::kApp, false);
  drive_to(registered, CaseStatus::kRegistered);

  EXPECT_EQ(error_of([&] { suggest("150261-20261123-999999"); }).code(), ErrorCode::kNotFound);
  EXPECT_EQ(error_of([&] { suggest("not-a-case"); }).code(), ErrorCode::kNotFound);
  // Outside the caller's scope: 404 before the role is looked at.
  const domain::Actor other_street =
      scoped(Role::kOperator, {domain::ScopeKind::kGrid, CaseDistrict::kOtherStreet});
  EXPECT_EQ(error_of([&] { suggest(registered, other_street); }).code(), ErrorCode::kNotFound);
  EXPECT_EQ(error_of([&] { suggest(registered, case_actor(Role::kOperator)); }).code(),
            ErrorCode::kForbidden);
  EXPECT_EQ(error_of([&] { suggest(registered, case_actor(Role::kIntegration)); }).code(),
            ErrorCode::kForbidden);
  const domain::Error not_yet = error_of([&] { suggest(received); });
  EXPECT_EQ(not_yet.code(), ErrorCode::kInvalidTransition);
  // A street's dispatcher is offered the units that serve the case's cell.
  const domain::Actor street_dispatcher =
      scoped(Role::kDispatcher, {domain::ScopeKind::kGrid, CaseDistrict::kStreet});
  EXPECT_EQ(units_of(suggest(registered, street_dispatcher)),
            (std::vector<std::string>{CaseDistrict::kStreetUnit, CaseDistrict::kDistrictUnit}));
}

}  // namespace
}  // namespace gridcase::testing
