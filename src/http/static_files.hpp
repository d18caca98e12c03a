#pragma once

#include <string_view>

#include "router.hpp"

namespace gridcase::http {

// The browser files the server carries (the API reference, the console): one way to answer for
// them, with a strong ETag, revalidated on every use (Cache-Control: no-cache, so a new binary's
// files are seen at once and an unchanged one costs a 304), nosniff, and for HTML pages the
// page's Content-Security-Policy.

/// 200 with `text` as the file `name` (its type from the extension), or 304 when the request's
/// If-None-Match is the file's tag. `policy` is the Content-Security-Policy of an .html file.
Response static_file(const Request& request, std::string_view name, std::string_view text,
                     std::string_view policy);

/// static_file() for a file the binary carries: its text never changes, so its tag is computed
/// once.
Response embedded_file(const Request& request, std::string_view name, std::string_view text,
                       std::string_view policy);

}  // namespace gridcase::http
