#pragma once

#include "event_hub.hpp"
#include "gridcase/http/server.hpp"
#include "metrics.hpp"
#include "router.hpp"

namespace gridcase::http {

/// The whole route table; docs/openapi.yaml describes exactly these routes. `events` feeds
/// GET /api/v1/events/stream.
Router make_api_router(const Services& services, const ServerOptions& options,
                       const Metrics& metrics, EventHub& events);

}  // namespace gridcase::http
