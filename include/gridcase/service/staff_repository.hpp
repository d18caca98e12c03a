#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "gridcase/domain/grid.hpp"
#include "gridcase/domain/staff.hpp"
#include "gridcase/service/repositories.hpp"

namespace gridcase::service {

/// Officers, their duties (officer_cells) and units, as the district's admin keeps them
/// (docs/administration.md, "Officers, duties and units"). Duties are never deleted.
class StaffRepository {
 public:
  virtual ~StaffRepository() = default;

  /// The district's local date (gridcase_today()): the day duties in force are judged on, the
  /// same the routing of verification and check tasks uses.
  virtual std::chrono::year_month_day today() = 0;

  /// Whether the officer is active, locking its row; nullopt when there is none.
  virtual std::optional<bool> lock_officer(std::string_view code) = 0;
  virtual void insert_officer(const domain::OfficerInput& input) = 0;
  virtual void update_officer(std::string_view code, const domain::OfficerPatch& patch) = 0;
  /// {"code", "name", "phone", "active", "duties": [every duty, newest first]}, or nullopt.
  virtual std::optional<JsonText> officer_json(std::string_view code) = 0;
  /// Every officer, active or not, by code: {"items": [...], "next_cursor"}; each with the
  /// duties in force today or later.
  virtual JsonText officers_page(const PageRequest& page) = 0;

  /// The officer's duties in force on `day` or beginning later, oldest first.
  virtual std::vector<domain::DutyRecord> duties_from(std::string_view officer,
                                                      std::chrono::year_month_day day) = 0;
  /// Locks the current cells among `cells` (in code order, so that two changes of the same
  /// cells take turns) and returns those that are not current cells.
  virtual std::vector<std::string> lock_cells(const std::vector<std::string>& cells) = 0;
  /// Duties of `duty` over any of `cells` in force on `day` or beginning later.
  virtual std::vector<domain::DutyRecord> duties_over(domain::Duty duty,
                                                      const std::vector<std::string>& cells,
                                                      std::chrono::year_month_day day) = 0;
  /// Adds one open-ended duty per cell; returns them.
  virtual std::vector<domain::DutyRecord> insert_duties(std::string_view officer, domain::Duty duty,
                                                        const std::vector<std::string>& cells,
                                                        std::chrono::year_month_day from) = 0;
  /// The duty, locking its row; nullopt when there is none.
  virtual std::optional<domain::DutyRecord> lock_duty(long long id) = 0;
  /// Sets the first day the duty is no longer in force.
  virtual void end_duty(long long id, std::chrono::year_month_day on) = 0;
  /// {"cell": {"code", "name", "valid_to"}, "items": [every duty of the cell, by duty and
  /// start]} for a cell, current or retired; nullopt for no such cell.
  virtual std::optional<JsonText> cell_duties(std::string_view code) = 0;

  /// Whether the unit is active, locking its row; nullopt when there is none.
  virtual std::optional<bool> lock_unit(std::string_view code) = 0;
  /// The level of a current grid node; nullopt when there is none.
  virtual std::optional<domain::GridLevel> current_node_level(std::string_view code) = 0;
  virtual void insert_unit(const domain::Unit& unit) = 0;
  virtual void update_unit(std::string_view code, const domain::UnitPatch& patch) = 0;
  /// The numbers of the open cases dispatched to the unit, at most `limit`, oldest first.
  virtual std::vector<std::string> open_cases_of_unit(std::string_view code, int limit) = 0;
  /// {"code", "name", "type", "scope", "scope_name", "active"}, or nullopt.
  virtual std::optional<JsonText> unit_json(std::string_view code) = 0;
  /// Whether `username` is an active account with the unit role scoped to the unit.
  virtual bool is_unit_staff(std::string_view unit, std::string_view username) = 0;
  /// {"items": [{"username", "display_name"}]}: the unit's active staff, by username.
  virtual JsonText unit_staff(std::string_view unit) = 0;
};

}  // namespace gridcase::service
