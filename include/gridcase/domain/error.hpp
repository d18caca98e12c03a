#pragma once

#include <chrono>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace gridcase::domain {

/// Protocol-neutral failure kinds; http maps each to one status in one place.
enum class ErrorCode {
  kMalformed,  // the request cannot be read as the expected shape
  kUnauthenticated,
  kForbidden,
  kNotFound,
  kMethodNotAllowed,
  kInvalidTransition,  // the action is not allowed in the current state
  kConflict,           // a concurrent change won, or a uniqueness rule
  kPreconditionFailed,
  kTooLarge,
  kUnsupportedMediaType,
  kInvalidValue,  // right shape, values that make no sense
  kRateLimited,
  kUnavailable,  // a dependency (the database) is unreachable
  kInternal,
};

inline constexpr ErrorCode kAllErrorCodes[] = {
    ErrorCode::kMalformed,        ErrorCode::kUnauthenticated,
    ErrorCode::kForbidden,        ErrorCode::kNotFound,
    ErrorCode::kMethodNotAllowed, ErrorCode::kInvalidTransition,
    ErrorCode::kConflict,         ErrorCode::kPreconditionFailed,
    ErrorCode::kTooLarge,         ErrorCode::kUnsupportedMediaType,
    ErrorCode::kInvalidValue,     ErrorCode::kRateLimited,
    ErrorCode::kUnavailable,      ErrorCode::kInternal};

/// Names that outlive a build (a refusal stored for an Idempotency-Key): never renamed.
std::string_view to_string(ErrorCode code);
std::optional<ErrorCode> parse_error_code(std::string_view text);

struct FieldError {
  std::string field;
  std::string message;
  friend bool operator==(const FieldError&, const FieldError&) = default;
};

struct ErrorDetails {
  std::vector<FieldError> fields;
  std::vector<std::string> allowed_actions;
  std::optional<std::chrono::seconds> retry_after;
};

/// The only exception type the layers throw at each other. what() is safe to show a client.
class Error : public std::runtime_error {
 public:
  Error(ErrorCode code, const std::string& message, ErrorDetails details = {})
      : std::runtime_error(message), code_(code), details_(std::move(details)) {}

  ErrorCode code() const { return code_; }
  const ErrorDetails& details() const { return details_; }

 private:
  ErrorCode code_;
  ErrorDetails details_;
};

/// Throws kInvalidValue naming one field.
[[noreturn]] void throw_invalid(const std::string& field, const std::string& message);
/// Throws kMalformed naming one field.
[[noreturn]] void throw_malformed(const std::string& field, const std::string& message);

}  // namespace gridcase::domain
