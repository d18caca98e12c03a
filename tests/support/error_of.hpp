#pragma once

#include <gtest/gtest.h>

#include <string>

#include "gridcase/domain/error.hpp"

namespace gridcase::testing {

/// The domain::Error `action` throws; fails the test when it throws none.
template <class Action>
domain::Error error_of(Action action) {
  try {
    action();
  } catch (const domain::Error& error) {
    return error;
  }
  ADD_FAILURE() << "no domain::Error thrown";
  return domain::Error(domain::ErrorCode::kInternal, "nothing thrown");
}

/// The field the error names first, or "" when it names none.
inline std::string first_field(const domain::Error& error) {
  return error.details().fields.empty() ? "" : error.details().fields.front().field;
}

}  // namespace gridcase::testing
