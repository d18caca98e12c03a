#pragma once

#include "gridcase/http/server.hpp"
#include "router.hpp"

namespace gridcase::http {

/// GET /api/v1/admin/audit: a page of the admin audit log (admins only).
Handler list_audit_records(const service::AuditService& audit);

}  // namespace gridcase::http
