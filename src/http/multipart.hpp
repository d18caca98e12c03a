#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace gridcase::http {

/// True for a `multipart/form-data` Content-Type, whatever its parameters.
bool is_form_with_files(std::string_view content_type);

/// The boundary of a `multipart/form-data` Content-Type, or nullopt when the type is another.
/// Throws kMalformed for a multipart type without a usable boundary (RFC 2046: 1–70 characters).
std::optional<std::string> form_data_boundary(std::string_view content_type);

/// One part of a `multipart/form-data` body (RFC 7578), a view into the body.
struct FormPart {
  std::string name;   // its Content-Disposition's `name`; empty when it has none
  bool file = false;  // its Content-Disposition names a `filename`
  std::string_view content;
};

/// Every part of a `multipart/form-data` body, in order. Throws kMalformed (field `body`) for a
/// body that is not framed by `boundary`.
std::vector<FormPart> form_data_parts(std::string_view body, std::string_view boundary);

/// The one file of a `multipart/form-data` body (RFC 7578): the content of its only part whose
/// Content-Disposition names a `filename`. Throws kMalformed (field `body`) for a body that is
/// not framed by `boundary`, or that holds no file or more than one.
std::string form_data_file(std::string_view body, std::string_view boundary);

}  // namespace gridcase::http
