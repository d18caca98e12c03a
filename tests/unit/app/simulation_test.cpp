#include "simulation.hpp"

#include <gtest/gtest.h>

#include "embedded_demo_data.hpp"

namespace gridcase::app {
namespace {

using std::chrono::year_month_day;

const DemoDistrict& demo() {
  static const DemoDistrict district =
      make_demo_district(demo_data::k_kundulun_admin, demo_data::k_categories);
  return district;
}

std::vector<PlannedCase> a_year(unsigned seed = 7) {
  return plan_history(demo(), 365, std::chrono::year{2026} / 11 / 29, std::chrono::minutes{480},
                      seed);
}

TEST(SimulationPlanTest, AYearHasAboutKundulunsFourThousandSixHundredFiftyCases) {
  const std::vector<PlannedCase> year = a_year();

  EXPECT_GT(year.size(), 4400U);
  EXPECT_LT(year.size(), 4900U);
}

TEST(SimulationPlanTest, MostCasesComeFromTheHotlineAndFewAreLate) {
  const std::vector<PlannedCase> year = a_year();

  std::size_t hotline = 0;
  std::size_t late = 0;
  for (const PlannedCase& plan : year) {
    hotline += plan.intake.channel == domain::Channel::kHotline12319;
    late += plan.handling_share > 1;
  }
  EXPECT_GT(static_cast<double>(hotline) / static_cast<double>(year.size()), 0.7);
  EXPECT_LT(static_cast<double>(late) / static_cast<double>(year.size()), 0.1);
}

TEST(SimulationPlanTest, CasesAreOldestFirstInsideThePeriodAndInDemoCells) {
  const std::vector<PlannedCase> year = a_year();

  const domain::Timestamp start{std::chrono::sys_days{std::chrono::year{2025} / 11 / 30} -
                                std::chrono::hours{8}};
  const domain::Timestamp end{std::chrono::sys_days{std::chrono::year{2026} / 11 / 30} -
                              std::chrono::hours{8}};
  for (std::size_t i = 0; i < year.size(); ++i) {
    EXPECT_GE(year[i].received_at, start);
    EXPECT_LT(year[i].received_at, end);
    if (i > 0) {
      EXPECT_LE(year[i - 1].received_at, year[i].received_at);
    }
    EXPECT_EQ(year[i].cell.rfind("150203", 0), 0U);
    ASSERT_TRUE(year[i].intake.point.has_value());
  }
}

TEST(SimulationPlanTest, TheSameSeedGivesTheSameHistory) {
  const std::vector<PlannedCase> first = a_year(11);
  const std::vector<PlannedCase> again = a_year(11);

  ASSERT_EQ(first.size(), again.size());
  for (std::size_t i = 0; i < first.size(); ++i) {
    EXPECT_EQ(first[i].received_at, again[i].received_at);
    EXPECT_EQ(first[i].cell, again[i].cell);
  }
}

}  // namespace
}  // namespace gridcase::app
