#pragma once

#include "gridcase/http/server.hpp"
#include "metrics.hpp"
#include "router.hpp"

namespace gridcase::http {

/// The whole route table; docs/openapi.yaml describes exactly these routes.
Router make_api_router(const Services& services, const ServerOptions& options, const Metrics& metrics);

}  // namespace gridcase::http
