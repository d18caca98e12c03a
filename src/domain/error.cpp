#include "gridcase/domain/error.hpp"

#include "gridcase/domain/enum_names.hpp"
#include "gridcase/domain/problem_list.hpp"

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

std::vector<FieldError> bounded_problems(std::vector<FieldError> problems,
                                         std::string_view rest_field) {
  const std::size_t total = problems.size();
  if (total > kMaxListedProblems) {
    problems.resize(kMaxListedProblems);
    problems.push_back(FieldError{std::string(rest_field),
                                  std::to_string(total - kMaxListedProblems) + " more problems"});
  }
  return problems;
}

void refuse_with_problems(std::vector<FieldError> problems, std::string_view what,
                          std::string_view undone, std::string_view rest_field) {
  const std::size_t total = problems.size();
  throw Error(ErrorCode::kInvalidValue,
              std::string(what) + " has " + std::to_string(total) + " problem(s); nothing was " +
                  std::string(undone),
              ErrorDetails{.fields = bounded_problems(std::move(problems), rest_field)});
}

}  // namespace gridcase::domain
