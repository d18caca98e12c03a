#include "gridcase/service/staff_service.hpp"

#include <algorithm>
#include <map>

#include "gridcase/domain/access.hpp"
#include "gridcase/domain/time_text.hpp"
#include "gridcase/service/audit_service.hpp"
#include "gridcase/service/grid_service.hpp"
#include "gridcase/service/staff_repository.hpp"

namespace gridcase::service {
namespace {

using domain::Error;
using domain::ErrorCode;

/// Open cases listed in the refusal to deactivate a unit; more are counted, not listed.
constexpr int kMaxListedOpenCases = 50;

[[noreturn]] void throw_unknown_officer(const std::string& code) {
  throw Error(ErrorCode::kNotFound, "no officer " + code);
}

[[noreturn]] void throw_unknown_unit(const std::string& code) {
  throw Error(ErrorCode::kNotFound, "no unit " + code);
}

/// The officer (named by `field`) a duty is given to: known and active.
void require_active_officer(StaffRepository& staff, const std::string& code,
                            const std::string& field) {
  const std::optional<bool> active = staff.lock_officer(code);
  if (!active) domain::throw_invalid(field, "no officer " + code);
  if (!*active) domain::throw_invalid(field, "officer " + code + " is inactive");
}

void require_current_cells(StaffRepository& staff, const std::vector<std::string>& cells) {
  const std::vector<std::string> missing = staff.lock_cells(cells);
  if (missing.empty()) return;
  std::vector<domain::FieldError> fields;
  for (std::size_t i = 0; i < cells.size(); ++i) {
    if (std::find(missing.begin(), missing.end(), cells[i]) != missing.end())
      fields.push_back({"cells[" + std::to_string(i) + "]", "no current cell " + cells[i]});
  }
  throw Error(ErrorCode::kInvalidValue, "the duty names cells that are not current cells",
              {.fields = std::move(fields)});
}

/// The officers a duty change concerns, for the audit record's snapshots.
std::vector<std::string> officers_of(const std::vector<domain::DutyRecord>& duties,
                                     const std::string& also) {
  std::vector<std::string> codes{also};
  for (const domain::DutyRecord& duty : duties) {
    if (std::find(codes.begin(), codes.end(), duty.officer) == codes.end())
      codes.push_back(duty.officer);
  }
  return codes;
}

domain::Duty require_duty(const std::string& text) {
  const std::optional<domain::Duty> duty = domain::parse_duty(text);
  if (!duty) domain::throw_invalid("duty", "grid_officer, road_chief or sanitation");
  return *duty;
}

JsonText require_officer_json(StaffRepository& staff, const std::string& code) {
  std::optional<JsonText> found = staff.officer_json(code);
  if (!found) throw_unknown_officer(code);
  return std::move(*found);
}

}  // namespace

boost::asio::awaitable<JsonText> StaffService::officers(PageRequest page,
                                                        const domain::Actor& actor) const {
  domain::require_district_admin(actor, "list every officer");
  if (page.limit < 1 || page.limit > kMaxPageLimit) {
    domain::throw_invalid("limit", "from 1 to " + std::to_string(kMaxPageLimit));
  }
  if (page.after && (page.after->empty() || page.after->size() > 32)) {
    domain::throw_invalid("cursor", "not a cursor this list returned");
  }
  JsonText result;
  co_await transactions_.read(
      [&](Repositories& repos) { result = repos.staff.officers_page(page); });
  co_return result;
}

boost::asio::awaitable<JsonText> StaffService::officer(std::string code,
                                                       const domain::Actor& reader) const {
  domain::require_grid_reader(reader);
  const bool own = reader.scope.kind == domain::ScopeKind::kOfficer && reader.scope.code == code;
  if (reader.scope.kind != domain::ScopeKind::kDistrict && !own) throw_unknown_officer(code);
  std::optional<JsonText> found;
  co_await transactions_.read([&](Repositories& repos) { found = repos.staff.officer_json(code); });
  if (!found) throw_unknown_officer(code);
  co_return std::move(*found);
}

boost::asio::awaitable<JsonText> StaffService::create_officer(domain::OfficerInput input,
                                                              const domain::Actor& actor) const {
  domain::require_district_admin(actor, "create an officer");
  domain::validate(input);
  JsonText created;
  co_await transactions_.run([&](Repositories& repos) {
    if (repos.staff.lock_officer(input.code)) {
      throw Error(ErrorCode::kConflict, "officer " + input.code + " exists",
                  {.fields = {{"code", "taken: officer codes are never reused"}}});
    }
    repos.staff.insert_officer(input);
    record_change(repos.audit, actor.id, domain::AuditAction::kOfficerCreate, input.code,
                  std::nullopt, AuditSubject::kOfficers, {input.code});
    created = require_officer_json(repos.staff, input.code);
  });
  co_return created;
}

boost::asio::awaitable<JsonText> StaffService::update_officer(std::string code,
                                                              domain::OfficerPatch patch,
                                                              const domain::Actor& actor) const {
  domain::require_district_admin(actor, "edit an officer");
  domain::validate(patch);
  JsonText updated;
  co_await transactions_.run([&](Repositories& repos) {
    const std::optional<bool> active = repos.staff.lock_officer(code);
    if (!active) throw_unknown_officer(code);
    if (patch.active == false && *active) {
      const std::vector<domain::DutyRecord> held =
          repos.staff.duties_from(code, repos.staff.today());
      if (!held.empty()) {
        std::vector<domain::FieldError> fields;
        for (const domain::DutyRecord& duty : held) fields.push_back({"active", describe(duty)});
        throw Error(ErrorCode::kConflict,
                    "officer " + code + " still holds " + std::to_string(held.size()) +
                        " duties in force or planned; hand the cells over or end the duties first",
                    {.fields = std::move(fields)});
      }
    }
    JsonText before = repos.audit.snapshot(AuditSubject::kOfficers, {code});
    repos.staff.update_officer(code, patch);
    record_change(repos.audit, actor.id, domain::AuditAction::kOfficerUpdate, code,
                  std::move(before), AuditSubject::kOfficers, {code});
    updated = require_officer_json(repos.staff, code);
  });
  co_return updated;
}

boost::asio::awaitable<JsonText> StaffService::assign(DutyAssignment assignment,
                                                      const domain::Actor& actor) const {
  domain::require_district_admin(actor, "assign a duty");
  const domain::Duty duty = require_duty(assignment.duty);
  domain::require_duty_cells(assignment.cells);
  JsonText result;
  co_await transactions_.run([&](Repositories& repos) {
    StaffRepository& staff = repos.staff;
    const std::chrono::year_month_day from = assignment.from.value_or(staff.today());
    domain::require_not_past(from, staff.today(), "from");
    require_active_officer(staff, assignment.officer, "officer");
    require_current_cells(staff, assignment.cells);
    domain::refuse_conflicts(staff.duties_over(duty, assignment.cells, from), assignment.cells,
                             "a cell has at most one officer per duty at a time");
    JsonText before = repos.audit.snapshot(AuditSubject::kOfficers, {assignment.officer});
    staff.insert_duties(assignment.officer, duty, assignment.cells, from);
    record_change(repos.audit, actor.id, domain::AuditAction::kDutyAssign, assignment.officer,
                  std::move(before), AuditSubject::kOfficers, {assignment.officer});
    result = require_officer_json(staff, assignment.officer);
  });
  co_return result;
}

boost::asio::awaitable<JsonText> StaffService::hand_over(DutyHandover handover,
                                                         const domain::Actor& actor) const {
  domain::require_district_admin(actor, "hand a cell over");
  const domain::Duty duty = require_duty(handover.duty);
  domain::require_duty_cells(handover.cells);
  JsonText result;
  co_await transactions_.run([&](Repositories& repos) {
    StaffRepository& staff = repos.staff;
    const std::chrono::year_month_day on = handover.on.value_or(staff.today());
    domain::require_not_past(on, staff.today(), "on");
    require_active_officer(staff, handover.to, "to");
    require_current_cells(staff, handover.cells);
    const std::vector<domain::DutyRecord> found = staff.duties_over(duty, handover.cells, on);
    std::map<std::string, const domain::DutyRecord*> current;
    std::vector<domain::DutyRecord> blocking;
    for (const domain::DutyRecord& record : found) {
      if (record.from > on) {
        blocking.push_back(record);  // a later duty already planned
      } else {
        current[record.cell] = &record;
      }
    }
    std::vector<domain::FieldError> unheld;
    for (std::size_t i = 0; i < handover.cells.size(); ++i) {
      const auto held = current.find(handover.cells[i]);
      if (held == current.end()) {
        unheld.push_back({"cells[" + std::to_string(i) + "]",
                          "no " + handover.duty + " duty in force on " +
                              domain::format_iso_date(on) + " to hand over: assign one instead"});
      } else if (held->second->officer == handover.to) {
        domain::throw_invalid(
            "to", "officer " + handover.to + " already holds " + domain::describe(*held->second));
      } else if (held->second->from == on) {
        blocking.push_back(*held->second);  // it would end the day it begins
      }
    }
    if (!unheld.empty()) {
      throw Error(ErrorCode::kConflict, "a cell has no duty to hand over",
                  {.fields = std::move(unheld)});
    }
    domain::refuse_conflicts(blocking, handover.cells,
                             "the handover would overlap a duty that begins on or after it");
    const std::vector<std::string> officers = officers_of(found, handover.to);
    JsonText before = repos.audit.snapshot(AuditSubject::kOfficers, officers);
    for (const auto& [cell, ended] : current) staff.end_duty(ended->id, on);
    staff.insert_duties(handover.to, duty, handover.cells, on);
    record_change(repos.audit, actor.id, domain::AuditAction::kDutyHandover, handover.to,
                  std::move(before), AuditSubject::kOfficers, officers);
    result = require_officer_json(staff, handover.to);
  });
  co_return result;
}

boost::asio::awaitable<JsonText> StaffService::end_duty(
    long long id, std::optional<std::chrono::year_month_day> on, const domain::Actor& actor) const {
  domain::require_district_admin(actor, "end a duty");
  JsonText result;
  co_await transactions_.run([&](Repositories& repos) {
    StaffRepository& staff = repos.staff;
    const std::optional<domain::DutyRecord> duty = staff.lock_duty(id);
    if (!duty) throw Error(ErrorCode::kNotFound, "no duty " + std::to_string(id));
    const std::chrono::year_month_day day = on.value_or(staff.today());
    domain::require_not_past(day, staff.today(), "on");
    domain::require_can_end(*duty, day);
    JsonText before = repos.audit.snapshot(AuditSubject::kOfficers, {duty->officer});
    staff.end_duty(id, day);
    record_change(repos.audit, actor.id, domain::AuditAction::kDutyEnd, duty->officer,
                  std::move(before), AuditSubject::kOfficers, {duty->officer});
    result = require_officer_json(staff, duty->officer);
  });
  co_return result;
}

boost::asio::awaitable<JsonText> StaffService::cell_duties(std::string code,
                                                           const domain::Actor& reader) const {
  domain::require_grid_reader(reader);
  domain::require_grid_code(code, "code");
  if (domain::level_of_code(code) != domain::GridLevel::kCell) {
    domain::throw_invalid("code", "a cell code (15 digits): duties are held over cells");
  }
  const domain::ReadConfinement confined = domain::confine_read(reader.scope, code);
  if (confined.unit || confined.officer) throw Error(ErrorCode::kNotFound, "no cell " + code);
  std::optional<JsonText> found;
  co_await transactions_.read([&](Repositories& repos) { found = repos.staff.cell_duties(code); });
  if (!found) throw Error(ErrorCode::kNotFound, "no cell " + code);
  co_return std::move(*found);
}

boost::asio::awaitable<JsonText> StaffService::create_unit(domain::Unit unit,
                                                           const domain::Actor& actor) const {
  domain::require_district_admin(actor, "create a unit");
  domain::validate_new_unit(unit);
  JsonText created;
  co_await transactions_.run([&](Repositories& repos) {
    if (repos.staff.lock_unit(unit.code)) {
      throw Error(ErrorCode::kConflict, "unit " + unit.code + " exists",
                  {.fields = {{"code", "taken: unit codes are never reused"}}});
    }
    const std::optional<domain::GridLevel> level = repos.staff.current_node_level(unit.scope_code);
    if (!level) domain::throw_invalid("scope", "no current grid node " + unit.scope_code);
    domain::require_unit_scope_level(*level);
    repos.staff.insert_unit(unit);
    record_change(repos.audit, actor.id, domain::AuditAction::kUnitCreate, unit.code, std::nullopt,
                  AuditSubject::kUnits, {unit.code});
    created = *repos.staff.unit_json(unit.code);
  });
  co_return created;
}

boost::asio::awaitable<JsonText> StaffService::update_unit(std::string code,
                                                           domain::UnitPatch patch,
                                                           const domain::Actor& actor) const {
  domain::require_district_admin(actor, "edit a unit");
  domain::validate(patch);
  JsonText updated;
  co_await transactions_.run([&](Repositories& repos) {
    const std::optional<bool> active = repos.staff.lock_unit(code);
    if (!active) throw_unknown_unit(code);
    if (patch.active == false && *active) {
      const std::vector<std::string> open =
          repos.staff.open_cases_of_unit(code, kMaxListedOpenCases + 1);
      if (!open.empty()) {
        std::vector<domain::FieldError> fields;
        for (const std::string& case_no : open) fields.push_back({"active", case_no});
        if (open.size() > static_cast<std::size_t>(kMaxListedOpenCases)) {
          fields.back() = {"active", "and more"};
        }
        throw Error(ErrorCode::kConflict,
                    "unit " + code + " has open cases; reassign or finish them first",
                    {.fields = std::move(fields)});
      }
    }
    if (patch.scope_code) {
      const std::optional<domain::GridLevel> level =
          repos.staff.current_node_level(*patch.scope_code);
      if (!level) domain::throw_invalid("scope", "no current grid node " + *patch.scope_code);
      domain::require_unit_scope_level(*level);
    }
    JsonText before = repos.audit.snapshot(AuditSubject::kUnits, {code});
    repos.staff.update_unit(code, patch);
    record_change(repos.audit, actor.id, domain::AuditAction::kUnitUpdate, code, std::move(before),
                  AuditSubject::kUnits, {code});
    updated = *repos.staff.unit_json(code);
  });
  co_return updated;
}

boost::asio::awaitable<JsonText> StaffService::unit_staff(std::string code,
                                                          const domain::Actor& reader) const {
  domain::require_grid_reader(reader);
  const bool other_unit =
      reader.scope.kind == domain::ScopeKind::kUnit && reader.scope.code != code;
  if (other_unit || reader.scope.kind == domain::ScopeKind::kOfficer) throw_unknown_unit(code);
  std::optional<JsonText> found;
  co_await transactions_.read([&](Repositories& repos) {
    if (repos.staff.unit_json(code)) found = repos.staff.unit_staff(code);
  });
  if (!found) throw_unknown_unit(code);
  co_return std::move(*found);
}

}  // namespace gridcase::service
