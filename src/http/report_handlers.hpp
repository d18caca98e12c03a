#pragma once

#include "gridcase/service/grid_service.hpp"
#include "gridcase/service/report_service.hpp"
#include "router.hpp"

namespace gridcase::http {

/// GET /api/v1/reports?period=&date=&by=&grid=&format= (contract/api.md, Representations): JSON,
/// CSV or an HTML bulletin, by `format` or the Accept header. Every reading role; a grid-confined
/// caller's report covers its subtree, unit staff and officers see their own unit's or cells'
/// cases only.
Handler get_report(const service::ReportService& reports, const service::GridService& grid);

}  // namespace gridcase::http
