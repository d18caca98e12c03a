#include "gridcase/domain/catalog.hpp"

#include <gtest/gtest.h>

#include "error_of.hpp"

namespace gridcase::domain {
namespace {

using testing::error_of;

std::vector<std::string> fields_of(const Error& error) {
  std::vector<std::string> fields;
  for (const FieldError& field : error.details().fields) fields.push_back(field.field);
  return fields;
}

TEST(ValidateCatalogTest, AnEmptyCatalogueIsRefusedForItWouldRetireEveryCategory) {
  const std::vector<FieldError> errors = validate_catalog({});

  ASSERT_EQ(errors.size(), 1U);
  EXPECT_EQ(errors[0].field, "categories");
}

TEST(StageLimitOverridesTest, DispatchAcknowledgementCheckAndCloseMayBeOverridden) {
  const std::map<StageTimer, TimeLimit> limits =
      require_valid_overrides({{"dispatch", 2, "work_hour"},
                               {"acknowledgement", 30, "urgent_hour"},
                               {"check", 1, "work_day"},
                               {"close", 1000, "natural_day"}});

  EXPECT_EQ(limits.size(), 4U);
  EXPECT_EQ(limits.at(StageTimer::kCheck), (TimeLimit{1, LimitUnit::kWorkDay}));
  EXPECT_EQ(limits.at(StageTimer::kClose), (TimeLimit{1000, LimitUnit::kNaturalDay}));
}

TEST(StageLimitOverridesTest, EveryBadOverrideIsNamedAtOnce) {
  const Error error = error_of([] {
    require_valid_overrides({{"registration", 1, "work_hour"},
                             {"handling", 1, "work_hour"},
                             {"siesta", 1, "work_hour"},
                             {"check", 1001, "work_hour"},
                             {"close", 1, "hour"}});
  });

  EXPECT_EQ(error.code(), ErrorCode::kInvalidValue);
  EXPECT_EQ(fields_of(error), (std::vector<std::string>{"registration", "handling", "siesta",
                                                        "check.value", "close.unit"}));
}

TEST(StageLimitsTest, OverridesReplaceOnlyTheirOwnTimers) {
  const StageLimits limits =
      StageLimits{}.overridden_by({{StageTimer::kCheck, TimeLimit{4, LimitUnit::kWorkHour}}});

  EXPECT_EQ(limits.of(StageTimer::kCheck), (TimeLimit{4, LimitUnit::kWorkHour}));
  EXPECT_EQ(limits.of(StageTimer::kClose), (TimeLimit{1, LimitUnit::kWorkHour}));
  EXPECT_EQ(StageLimits{}.of(StageTimer::kCheck), (TimeLimit{2, LimitUnit::kWorkHour}));
  EXPECT_FALSE(is_category_overridable(StageTimer::kVerification));
  EXPECT_FALSE(is_category_overridable(StageTimer::kRegistration));
  EXPECT_FALSE(is_category_overridable(StageTimer::kHandling));
  EXPECT_TRUE(is_category_overridable(StageTimer::kDispatch));
}

}  // namespace
}  // namespace gridcase::domain
