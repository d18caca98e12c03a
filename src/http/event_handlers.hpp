#pragma once

#include <chrono>

#include "event_hub.hpp"
#include "gridcase/http/server.hpp"
#include "router.hpp"

namespace gridcase::http {

/// GET /api/v1/events/stream?grid=CODE: every committed case event of a grid subtree (the whole
/// district without `grid`) as Server-Sent Events, with a comment line every `keepalive`.
StreamHandler stream_events(const service::GridService& grid, EventHub& hub,
                            std::chrono::milliseconds keepalive);

}  // namespace gridcase::http
