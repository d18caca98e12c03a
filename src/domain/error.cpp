#include "gridcase/domain/error.hpp"

#include "gridcase/domain/enum_names.hpp"

namespace gridcase::domain {

namespace {

/// Stored with refused writes (sql/013): a name is never changed once released.
constexpr EnumNames<ErrorCode, 14> kErrorCodeNames{{
    {ErrorCode::kMalformed, "malformed"},
    {ErrorCode::kUnauthenticated, "unauthenticated"},
    {ErrorCode::kForbidden, "forbidden"},
    {ErrorCode::kNotFound, "not_found"},
    {ErrorCode::kMethodNotAllowed, "method_not_allowed"},
    {ErrorCode::kInvalidTransition, "invalid_transition"},
    {ErrorCode::kConflict, "conflict"},
    {ErrorCode::kPreconditionFailed, "precondition_failed"},
    {ErrorCode::kTooLarge, "too_large"},
    {ErrorCode::kUnsupportedMediaType, "unsupported_media_type"},
    {ErrorCode::kInvalidValue, "invalid_value"},
    {ErrorCode::kRateLimited, "rate_limited"},
    {ErrorCode::kUnavailable, "unavailable"},
    {ErrorCode::kInternal, "internal"},
}};
static_assert(covers_every_value(kErrorCodeNames));
static_assert(lists_every_value(kAllErrorCodes, kErrorCodeNames));

}  // namespace

std::string_view to_string(ErrorCode code) { return name_of(kErrorCodeNames, code); }

std::optional<ErrorCode> parse_error_code(std::string_view text) {
  return value_named(kErrorCodeNames, text);
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
