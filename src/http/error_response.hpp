#pragma once

#include <boost/beast/http/status.hpp>
#include <string>
#include <string_view>

#include "gridcase/domain/error.hpp"
#include "router.hpp"

namespace gridcase::http {

beast_http::status status_for(domain::ErrorCode code);

/// An RFC 9457 application/problem+json answer for `error`.
Response problem_response(const domain::Error& error, const Request& request);

/// A bare problem answer for failures found before a Request exists (parser errors): no
/// `instance`, since the target may not have been read; `request_id` in the body and the
/// X-Request-Id header.
Response problem_response(beast_http::status status, std::string_view detail, unsigned version,
                          std::string_view request_id);

/// 200 (or `status`) with a JSON body that is already text.
Response json_response(const Request& request, std::string body,
                       beast_http::status status = beast_http::status::ok);

/// 201 with a JSON body and the Location of what was created.
Response created(const Request& request, std::string body, const std::string& location);

/// 204, no body.
Response no_content(const Request& request);

}  // namespace gridcase::http
