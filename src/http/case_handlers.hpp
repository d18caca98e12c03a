#pragma once

#include "gridcase/http/server.hpp"
#include "router.hpp"

namespace gridcase::http {

Handler receive_case(const service::CaseService& cases, std::size_t max_depth);
Handler get_case(const service::CaseService& cases);
Handler list_cases(const service::CaseService& cases);
/// POST /api/v1/cases/{case_no}/claim: a desk claims the case it works on (docs/console.md).
Handler claim_case(const service::CaseService& cases, std::size_t max_depth);
/// DELETE /api/v1/cases/{case_no}/claim
Handler release_case_claim(const service::CaseService& cases);
Handler act_on_case(const service::CaseService& cases, std::size_t max_depth);
Handler get_calendar(const service::CaseService& cases);
Handler put_calendar(const service::CaseService& cases, std::size_t max_depth);
Handler put_categories(const service::CatalogService& catalog, std::size_t max_depth);
Handler put_category_time_limits(const service::CatalogService& catalog, std::size_t max_depth);

}  // namespace gridcase::http
