#pragma once

#include "gridcase/http/server.hpp"
#include "router.hpp"

namespace gridcase::http {

/// GET /api/v1/cases/{case_no}/suggestions: the units the caller could dispatch (or reassign)
/// the case to, best first, each with its reason (docs/case-lifecycle.md, "Dispatch suggestions").
Handler get_suggestions(const service::CaseService& cases);

}  // namespace gridcase::http
