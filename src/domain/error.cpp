#include "gridcase/domain/error.hpp"

#include <iterator>

namespace gridcase::domain {

static_assert(std::size(kAllErrorCodes) == static_cast<std::size_t>(ErrorCode::kInternal) + 1,
              "kAllErrorCodes lists every ErrorCode");

std::string_view to_string(ErrorCode code) {
  switch (code) {
    case ErrorCode::kMalformed:
      return "malformed";
    case ErrorCode::kUnauthenticated:
      return "unauthenticated";
    case ErrorCode::kForbidden:
      return "forbidden";
    case ErrorCode::kNotFound:
      return "not_found";
    case ErrorCode::kMethodNotAllowed:
      return "method_not_allowed";
    case ErrorCode::kInvalidTransition:
      return "invalid_transition";
    case ErrorCode::kConflict:
      return "conflict";
    case ErrorCode::kPreconditionFailed:
      return "precondition_failed";
    case ErrorCode::kTooLarge:
      return "too_large";
    case ErrorCode::kUnsupportedMediaType:
      return "unsupported_media_type";
    case ErrorCode::kInvalidValue:
      return "invalid_value";
    case ErrorCode::kRateLimited:
      return "rate_limited";
    case ErrorCode::kUnavailable:
      return "unavailable";
    case ErrorCode::kInternal:
      break;
  }
  return "internal";
}

std::optional<ErrorCode> parse_error_code(std::string_view text) {
  for (ErrorCode code : kAllErrorCodes) {
    if (to_string(code) == text) return code;
  }
  return std::nullopt;
}

void throw_invalid(const std::string& field, const std::string& message) {
  throw Error(ErrorCode::kInvalidValue, field + ": " + message,
              ErrorDetails{.fields = {FieldError{field, message}}});
}

void throw_malformed(const std::string& field, const std::string& message) {
  throw Error(ErrorCode::kMalformed, field + ": " + message,
              ErrorDetails{.fields = {FieldError{field, message}}});
}

}  // namespace gridcase::domain
