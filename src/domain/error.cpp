#include "gridcase/domain/error.hpp"

namespace gridcase::domain {

void throw_invalid(const std::string& field, const std::string& message) {
  throw Error(ErrorCode::kInvalidValue, field + ": " + message,
              ErrorDetails{.fields = {FieldError{field, message}}});
}

void throw_malformed(const std::string& field, const std::string& message) {
  throw Error(ErrorCode::kMalformed, field + ": " + message,
              ErrorDetails{.fields = {FieldError{field, message}}});
}

}  // namespace gridcase::domain
