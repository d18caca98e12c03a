#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace gridcase::http {

/// The boundary of a `multipart/form-data` Content-Type, or nullopt when the type is another.
/// Throws kMalformed for a multipart type without a usable boundary (RFC 2046: 1–70 characters).
std::optional<std::string> form_data_boundary(std::string_view content_type);

/// The one file of a `multipart/form-data` body (RFC 7578): the content of its only part whose
/// Content-Disposition names a `filename`. Throws kMalformed (field `body`) for a body that is
/// not framed by `boundary`, or that holds no file or more than one.
std::string form_data_file(std::string_view body, std::string_view boundary);

}  // namespace gridcase::http
