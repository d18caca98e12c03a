#pragma once

#include <gtest/gtest.h>

#include <chrono>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "fixed_clock.hpp"
#include "gridcase/domain/case.hpp"
#include "gridcase/domain/clock.hpp"
#include "gridcase/service/case_service.hpp"
#include "gridcase/service/catalog_service.hpp"
#include "gridcase/service/grid_service.hpp"
#include "gridcase/storage/database.hpp"

namespace gridcase::testing {

/// A wall-clock time in Beijing (+08:00) as a UTC timestamp.
domain::Timestamp beijing(std::chrono::year_month_day date, std::chrono::minutes time_of_day);

/// The district only the case integration tests use, far from every other test's grid:
///   street 150261001 → community 150261001001 → cells 001 (west) and 002 (east);
///   street 150261002 → community 150261002001 → cell 001.
/// Units: 150261-utilities (district), 150261001-enforcement, 150261002-enforcement.
/// Catalogue: event:0101/stop 4 work_hour enforcement, component:0101/missing 2 urgent_hour
/// utilities, event:0102/pile 1 work_day sanitation.
struct CaseDistrict {
  static constexpr const char* kCode = "150261";
  static constexpr const char* kStreet = "150261001";
  static constexpr const char* kOtherStreet = "150261002";
  static constexpr const char* kCell = "150261001001001";
  static constexpr const char* kEastCell = "150261001001002";
  static constexpr const char* kOtherStreetCell = "150261002001001";
  static constexpr const char* kStreetUnit = "150261001-enforcement";
  static constexpr const char* kOtherStreetUnit = "150261002-enforcement";
  static constexpr const char* kDistrictUnit = "150261-utilities";
  static constexpr const char* kPatrolOfficer = "150261-officer-01";   // active, no duties
  static constexpr const char* kRetiredOfficer = "150261-officer-02";  // inactive

  static domain::Point in_cell();          // inside kCell
  static domain::Point in_east_cell();     // inside kEastCell
  static domain::Point in_other_street();  // inside kOtherStreetCell
  static domain::Point outside();          // in no cell of any district

  static std::vector<domain::GridNodeInput> grid();
  static std::vector<domain::Unit> units();
  static std::vector<domain::Category> categories();
};

/// Monday 23 November 2026, 10:00 in Beijing: inside the morning working period.
domain::Timestamp case_test_start();

/// A valid report of `channel` at `point` with what the channel requires; `with_reporter`
/// adds a named caller with a phone (hotlines always have one).
domain::NewCase case_report(domain::Channel channel, domain::Point point, bool with_reporter,
                            domain::Timestamp now);

/// Stands for a photo in an intake's `photos` or an action's `attachments` given to
/// CaseWorldTest::receive or act: each is replaced by a fresh upload of the acting role's,
/// waiting for a case, before the call (staff photos are uploads, issue 15); an integration's
/// becomes a link, as integrations send.
inline constexpr const char* kPhotoToUpload = "photo-to-upload";

/// A district-wide actor of one role, with an id the cleanup recognises (an integration may
/// submit on every channel).
domain::Actor case_actor(domain::Role role);

/// Removes every case, event, timer, unit, idempotency key and calendar row the case tests
/// wrote, and CaseDistrict's grid.
void clean_case_world(const std::string& url);

/// An integration fixture: a migrated GRIDCASE_TEST_DATABASE_URL holding CaseDistrict, its
/// units and catalogue, the demo calendar, and a CaseService numbering cases for it.
class CaseWorldTest : public ::testing::Test {
 protected:
  void SetUp() override;
  void TearDown() override;

  /// Receives `intake` and returns the new case number; fails the test on refusal.
  std::string receive(const domain::NewCase& intake, domain::Role role = domain::Role::kOperator);
  /// Receives the smallest valid report of `channel` in kCell.
  std::string receive(domain::Channel channel, bool with_reporter = true);
  /// The answer of one action (the case JSON); throws domain::Error on refusal.
  nlohmann::json act(const std::string& case_no, domain::CaseAction action,
                     const domain::ActionInput& input, domain::Role role,
                     std::optional<int> if_match = std::nullopt);
  /// The error an action must be refused with; fails the test when it is accepted.
  domain::Error refusal(const std::string& case_no, domain::CaseAction action,
                        const domain::ActionInput& input, domain::Role role,
                        std::optional<int> if_match = std::nullopt);
  /// The case JSON with its events (as CaseService::get answers it).
  nlohmann::json get(const std::string& case_no);
  /// Its timers, oldest first, with lights.
  std::vector<service::TimerView> timers(const std::string& case_no);

  // Parameters that make each action valid.
  static domain::ActionInput register_input(const char* category = "event:0101",
                                            const char* condition = "stop");
  static domain::ActionInput unit_input(const char* unit = CaseDistrict::kStreetUnit);
  static domain::ActionInput reason_input();
  static domain::ActionInput note_input();
  static domain::ActionInput result_input(const char* result);
  static domain::ActionInput callback_input(const char* satisfaction);
  static domain::ActionInput until_input(domain::Timestamp until, bool with_reason);

  /// Drives a received case to `status` through the happy path (anonymous cases reach
  /// `closed` from `resolved`, others through `replied`; `rejected` by a reject).
  void drive_to(const std::string& case_no, domain::CaseStatus status);

  /// SELECT count(*) of `table`.
  long long rows_in(const std::string& table);

  /// `photos` with each kPhotoToUpload replaced by an upload of `actor`'s waiting for a case
  /// (stored as AttachmentService stores one, whatever the actor's role), or by a link for an
  /// integration.
  std::vector<std::string> with_uploads(std::vector<std::string> photos,
                                        const domain::Actor& actor);

  std::string url_;
  std::unique_ptr<storage::Database> database_;
  std::unique_ptr<FixedClock> clock_;
  std::unique_ptr<service::CalendarCache> calendar_;
  std::unique_ptr<service::CaseService> cases_;
  std::unique_ptr<service::CatalogService> catalog_;
  std::unique_ptr<service::GridService> grid_;
};

/// The actions of a case's event log, oldest first.
std::vector<std::string> event_actions(const nlohmann::json& case_json);

/// The timer instances named `timer`, oldest first.
std::vector<service::TimerView> timers_named(const std::vector<service::TimerView>& timers,
                                             domain::StageTimer timer);

}  // namespace gridcase::testing
