#pragma once

#include <chrono>

#include "event_hub.hpp"
#include "gridcase/http/server.hpp"
#include "router.hpp"

namespace gridcase::http {

struct StreamOptions {
  std::chrono::milliseconds keepalive;  // a comment line on a stream with nothing to say
  std::size_t replay_limit;             // events since a Last-Event-ID replayed; more → `reset`
};

/// GET /api/v1/events/stream?grid=CODE: every committed case event of a grid subtree (the whole
/// district without `grid`) as Server-Sent Events, with a comment line every `keepalive`. A
/// reconnecting client's `Last-Event-ID` first gets the events it missed, or a `reset` event
/// when more than `replay_limit` were written since.
StreamHandler stream_events(const service::GridService& grid, const service::CaseService& cases,
                            EventHub& hub, StreamOptions options);

}  // namespace gridcase::http
