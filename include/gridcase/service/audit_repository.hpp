#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "gridcase/domain/audit.hpp"
#include "gridcase/domain/time.hpp"
#include "gridcase/service/repositories.hpp"

namespace gridcase::service {

/// The kinds of things an audit record's `before` and `after` show (gridcase_audit_snapshot).
enum class AuditSubject {
  kUser,        // keys: the username
  kToken,       // keys: the token's id
  kGrid,        // keys: the grid node codes
  kOfficers,    // keys: the officer codes
  kUnits,       // keys: the unit codes
  kCategories,  // the whole catalogue; no keys
  kCategory,    // keys: one category's key; with its stage-limit overrides
  kCalendar,    // the work calendar; no keys
  kReporter,    // keys: the case number; whether its reporter's name and phone are kept
  kAddresses,   // the address gazetteer: its current entries counted, the last import; no keys
  kWebhook,     // keys: the webhook's id; never its secret
};

/// One administrative change as the audit log keeps it. The database stamps the time.
struct AuditRecord {
  std::string actor;  // a username, "cli" or "system"
  domain::AuditAction action = domain::AuditAction::kUserUpdate;
  std::string target;
  std::optional<JsonText> before;  // nullopt: it did not exist (stored as JSON null)
  std::optional<JsonText> after;   // nullopt: it no longer exists, or no snapshot shows it
};

/// Filters of GET /api/v1/admin/audit; every one optional.
struct AuditFilter {
  std::optional<std::string> actor;
  std::optional<domain::AuditAction> action;
  std::optional<std::string> target;
  std::optional<domain::Timestamp> from;  // at or after
  std::optional<domain::Timestamp> to;    // before
};

struct AuditPage {
  std::optional<long long> after_id;  // keyset cursor: the last id of the previous page
  int limit = 50;
};

/// The append-only admin audit log (sql/017_admin_audit.sql). Records are written in the
/// transaction of the change they describe.
class AuditRepository {
 public:
  virtual ~AuditRepository() = default;
  /// What `subject` named by `keys` is now, rendered by the database; "null" when it does not
  /// exist. Never a secret (a password hash, a token digest, a reporter's name or phone).
  virtual JsonText snapshot(AuditSubject subject, const std::vector<std::string>& keys) = 0;
  virtual void append(const AuditRecord& record) = 0;
  /// A page of records, newest first: {"items": [...], "next_cursor": "…" | null}.
  virtual JsonText page(const AuditFilter& filter, const AuditPage& page) = 0;
};

}  // namespace gridcase::service
