#pragma once

#include <boost/asio/awaitable.hpp>
#include <chrono>

#include "event_hub.hpp"
#include "gridcase/service/auth_service.hpp"

namespace gridcase::http {

/// Holds every open event stream to the token it was opened with, as every request is held to
/// its own (docs/security.md, "Event streams"): asks AuthService::confirm_streams, whose rules
/// decide, and ends each stream it does not confirm (its token no longer live, its caller or an
/// officer's cells changed). When the lookup fails, the streams not confirmed within `patience`
/// end and the failure is thrown.
boost::asio::awaitable<void> check_streams(const EventHub& hub, const service::AuthService& auth,
                                           std::chrono::milliseconds patience);

}  // namespace gridcase::http
