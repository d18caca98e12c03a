#pragma once

#include <boost/asio/awaitable.hpp>
#include <optional>
#include <string>
#include <vector>

#include "gridcase/domain/case.hpp"
#include "gridcase/domain/staff.hpp"
#include "gridcase/service/repositories.hpp"
#include "gridcase/service/transaction_runner.hpp"

namespace gridcase::service {

/// An assignment of an officer to cells for a duty (POST /api/v1/duties).
struct DutyAssignment {
  std::string officer;
  std::string duty;  // grid_officer, road_chief or sanitation (kInvalidValue on `duty`)
  std::vector<std::string> cells;
  std::optional<std::chrono::year_month_day> from;  // none: today
};

/// A handover of cells to another officer (POST /api/v1/duties/handover): on `on` the duty in
/// force over each cell ends and `to`'s begins, in one transaction.
struct DutyHandover {
  std::string to;
  std::string duty;
  std::vector<std::string> cells;
  std::optional<std::chrono::year_month_day> on;  // none: today
};

/// District administration of officers, their duties and units (docs/administration.md,
/// "Officers, duties and units"). Every change is one transaction with its admin audit record;
/// every write needs a district-wide admin (kForbidden). Dates are the district's local dates.
class StaffService {
 public:
  explicit StaffService(TransactionRunner& transactions) : transactions_(transactions) {}

  /// Every officer, active or not, with the duties in force today or later (admin only).
  boost::asio::awaitable<JsonText> officers(PageRequest page, const domain::Actor& actor) const;
  /// One officer with every duty they ever held. An admin or a district-wide reader of the grid
  /// reads any; an officer account their own; anyone else reads it as absent (kNotFound).
  boost::asio::awaitable<JsonText> officer(std::string code, const domain::Actor& reader) const;
  /// kConflict (`code`) when the code is taken.
  boost::asio::awaitable<JsonText> create_officer(domain::OfficerInput input,
                                                  const domain::Actor& actor) const;
  /// kNotFound for no such officer. Deactivating one who holds duties in force today or later
  /// is kConflict listing them: hand their cells over first.
  boost::asio::awaitable<JsonText> update_officer(std::string code, domain::OfficerPatch patch,
                                                  const domain::Actor& actor) const;

  /// Returns the officer as officer() shows them. kInvalidValue for an unknown or inactive
  /// officer (`officer`), a cell that is not a current cell (`cells[i]`), a start before today
  /// (`from`); kConflict naming every duty of another officer (or theirs) over those cells in
  /// force on `from` or later.
  boost::asio::awaitable<JsonText> assign(DutyAssignment assignment,
                                          const domain::Actor& actor) const;
  /// kInvalidValue for `to` unknown, inactive or already holding the duty; kConflict for a cell
  /// with no duty in force on `on` to hand over, one whose duty begins on `on`, or one with a
  /// later duty already planned.
  boost::asio::awaitable<JsonText> hand_over(DutyHandover handover,
                                             const domain::Actor& actor) const;
  /// kNotFound for no such duty; kInvalidValue (`on`) before today or not after its start;
  /// kConflict when it already ends by then.
  boost::asio::awaitable<JsonText> end_duty(long long id,
                                            std::optional<std::chrono::year_month_day> on,
                                            const domain::Actor& actor) const;
  /// A cell's duty history, read like the grid (domain::confine_read: a grid-confined reader
  /// outside the cell's street reads it as absent; unit and officer accounts too).
  boost::asio::awaitable<JsonText> cell_duties(std::string code, const domain::Actor& reader) const;

  boost::asio::awaitable<JsonText> create_unit(domain::Unit unit, const domain::Actor& actor) const;
  /// kConflict listing the unit's open cases when it would be deactivated with them.
  boost::asio::awaitable<JsonText> update_unit(std::string code, domain::UnitPatch patch,
                                               const domain::Actor& actor) const;
  /// The unit's active staff, the assignees a dispatcher may choose: any grid reader but unit
  /// staff of another unit and officers (kNotFound).
  boost::asio::awaitable<JsonText> unit_staff(std::string code, const domain::Actor& reader) const;

 private:
  TransactionRunner& transactions_;
};

}  // namespace gridcase::service
