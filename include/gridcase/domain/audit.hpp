#pragma once

#include <optional>
#include <string_view>

#include "gridcase/domain/time.hpp"

namespace gridcase::domain {

/// What an admin audit record says was done (docs/security.md, "Records a regulator will ask
/// for"): one value per kind of administrative change, and the erasure of a reporter.
enum class AuditAction {
  kUserCreate,
  kUserUpdate,
  kUserPassword,  // a password set or replaced: its own record, the hash never shown
  kTokenCreate,
  kTokenRevoke,
  kGridImport,
  kGridRetire,   // a node retired with its subtree (POST /api/v1/grid/{code}/retire)
  kGridReplace,  // nodes retired and new ones added in one change (POST /api/v1/grid/replace)
  kOfficersAdd,
  kUnitsUpsert,
  kCategoriesReplace,
  kCategoryTimeLimits,  // one category's stage-limit overrides replaced
  kCalendarReplace,
  kReporterErase,
  // District administration of people and units (docs/administration.md).
  kOfficerCreate,
  kOfficerUpdate,
  kDutyAssign,
  kDutyHandover,
  kDutyEnd,
  kUnitCreate,
  kUnitUpdate,
  kAddressImport,
  // Outbound delivery (docs/integrations.md, "Webhooks").
  kWebhookCreate,
  kWebhookUpdate,
  kWebhookDelete,
  kWebhookRetry,  // dead deliveries made due again
};

/// "user.create", "token.revoke", "reporter.erase", ...
std::string_view to_string(AuditAction action);
std::optional<AuditAction> parse_audit_action(std::string_view text);

/// Reporter retention: a closed case keeps its reporter's name and phone for `retention_days`
/// after it was closed. The cases closed before the returned time are due for erasure at `now`;
/// nullopt when `retention_days` is 0 (kept for ever).
std::optional<Timestamp> reporters_closed_before(Timestamp now, int retention_days);

}  // namespace gridcase::domain
