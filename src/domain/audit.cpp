#include "gridcase/domain/audit.hpp"

#include "gridcase/domain/enum_names.hpp"

namespace gridcase::domain {
namespace {

constexpr EnumNames<AuditAction, 26> kNames{{
    {AuditAction::kUserCreate, "user.create"},
    {AuditAction::kUserUpdate, "user.update"},
    {AuditAction::kUserPassword, "user.password"},
    {AuditAction::kTokenCreate, "token.create"},
    {AuditAction::kTokenRevoke, "token.revoke"},
    {AuditAction::kGridImport, "grid.import"},
    {AuditAction::kGridRetire, "grid.retire"},
    {AuditAction::kGridReplace, "grid.replace"},
    {AuditAction::kOfficersAdd, "officers.add"},
    {AuditAction::kUnitsUpsert, "units.upsert"},
    {AuditAction::kCategoriesReplace, "categories.replace"},
    {AuditAction::kCategoryTimeLimits, "category.time_limits"},
    {AuditAction::kCalendarReplace, "calendar.replace"},
    {AuditAction::kReporterErase, "reporter.erase"},
    {AuditAction::kOfficerCreate, "officer.create"},
    {AuditAction::kOfficerUpdate, "officer.update"},
    {AuditAction::kDutyAssign, "duty.assign"},
    {AuditAction::kDutyHandover, "duty.handover"},
    {AuditAction::kDutyEnd, "duty.end"},
    {AuditAction::kUnitCreate, "unit.create"},
    {AuditAction::kUnitUpdate, "unit.update"},
    {AuditAction::kAddressImport, "address.import"},
    {AuditAction::kWebhookCreate, "webhook.create"},
    {AuditAction::kWebhookUpdate, "webhook.update"},
    {AuditAction::kWebhookDelete, "webhook.delete"},
    {AuditAction::kWebhookRetry, "webhook.retry"},
}};
static_assert(covers_every_value(kNames));

}  // namespace

std::string_view to_string(AuditAction action) { return name_of(kNames, action); }

std::optional<AuditAction> parse_audit_action(std::string_view text) {
  return value_named(kNames, text);
}

std::optional<Timestamp> reporters_closed_before(Timestamp now, int retention_days) {
  if (retention_days <= 0) return std::nullopt;
  return now - std::chrono::days{retention_days};
}

}  // namespace gridcase::domain
