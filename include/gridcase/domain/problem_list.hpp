#pragma once

#include <cstddef>
#include <string_view>
#include <vector>

#include "gridcase/domain/error.hpp"

namespace gridcase::domain {

/// More problems than this are counted, not listed: an answer about a large file stays readable
/// and bounded.
inline constexpr std::size_t kMaxListedProblems = 1000;

/// `problems` with at most kMaxListedProblems listed and the rest counted in one last entry under
/// `rest_field`.
std::vector<FieldError> bounded_problems(std::vector<FieldError> problems,
                                         std::string_view rest_field);

/// Refuses a whole file or change (422) with every problem found: "<what> has N problem(s);
/// nothing was <undone>", at most kMaxListedProblems listed and the rest counted in one last
/// entry under `rest_field` (bounded_problems). `problems` is not empty.
[[noreturn]] void refuse_with_problems(std::vector<FieldError> problems, std::string_view what,
                                       std::string_view undone, std::string_view rest_field);

}  // namespace gridcase::domain
