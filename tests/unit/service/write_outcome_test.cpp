#include "gridcase/service/write_outcome.hpp"

#include <gtest/gtest.h>

#include <set>

namespace gridcase::service {
namespace {

using domain::ErrorCode;

TEST(WriteOutcomeTest, ARefusalRaisesTheSameErrorItWasMadeFrom) {
  const domain::Error first(ErrorCode::kInvalidTransition, "dispatch is not allowed in received",
                            domain::ErrorDetails{.fields = {{"unit", "no such unit"}},
                                                 .allowed_actions = {"register", "reject"}});

  const domain::Error again = error_of(refusal_of(first));

  EXPECT_EQ(again.code(), first.code());
  EXPECT_STREQ(again.what(), first.what());
  EXPECT_EQ(again.details().fields, first.details().fields);
  EXPECT_EQ(again.details().allowed_actions, first.details().allowed_actions);
}

TEST(WriteOutcomeTest, EveryErrorCodeHasItsOwnStoredNameThatReadsBack) {
  std::set<std::string_view> names;
  for (ErrorCode code : domain::kAllErrorCodes) {
    EXPECT_EQ(domain::parse_error_code(domain::to_string(code)), code) << domain::to_string(code);
    names.insert(domain::to_string(code));
  }
  EXPECT_EQ(names.size(), std::size(domain::kAllErrorCodes));
  EXPECT_EQ(domain::parse_error_code("teapot"), std::nullopt);
}

TEST(WriteOutcomeTest, AnOutcomeIsEitherTheCaseWrittenOrTheRefusal) {
  const WriteOutcome written = CaseWritten{7, "150203-20261123-000001", 3, false};
  const WriteOutcome refused = refusal_of(domain::Error(ErrorCode::kNotFound, "no case x"));

  EXPECT_EQ(std::get<CaseWritten>(written).version, 3);
  EXPECT_EQ(std::get<Refusal>(refused).code, ErrorCode::kNotFound);
}

}  // namespace
}  // namespace gridcase::service
