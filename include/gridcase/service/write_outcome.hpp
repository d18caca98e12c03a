#pragma once

#include <string>
#include <variant>
#include <vector>

#include "gridcase/domain/error.hpp"

namespace gridcase::service {

/// A write that went through: which case, in the version the write left it, and whether the
/// write created it. Typed, so that no layer reads them back out of an answer's text.
struct CaseWritten {
  long long case_id = 0;
  std::string case_no;
  int version = 0;
  bool created = false;
  friend bool operator==(const CaseWritten&, const CaseWritten&) = default;
};

/// A write the rules refused, kept as the domain error it was (not as an HTTP answer), so that
/// a replay raises the same error and goes through the one status mapping a fresh one does.
struct Refusal {
  domain::ErrorCode code = domain::ErrorCode::kInternal;
  std::string message;
  std::vector<domain::FieldError> fields;
  std::vector<std::string> allowed_actions;
  friend bool operator==(const Refusal&, const Refusal&) = default;
};

/// What a write did, stored for its Idempotency-Key and replayed from there.
using WriteOutcome = std::variant<CaseWritten, Refusal>;

Refusal refusal_of(const domain::Error& error);
domain::Error error_of(const Refusal& refusal);

}  // namespace gridcase::service
