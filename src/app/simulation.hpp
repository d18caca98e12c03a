#pragma once

#include <chrono>
#include <random>
#include <string>
#include <vector>

#include "demo_district.hpp"
#include "gridcase/domain/case.hpp"
#include "gridcase/domain/time.hpp"

namespace gridcase::app {

/// One case of a simulated history (`gridcase simulate`): when it comes in, what it is, and how
/// its handling will go. Drawn once, so a seed gives the same history.
struct PlannedCase {
  domain::Timestamp received_at;
  domain::NewCase intake;
  std::string cell;
  std::string category;
  std::string condition;
  std::string unit_type;
  bool rejected = false;      // rejected at registration (not a valid case)
  bool reworked = false;      // the first check fails
  double handling_share = 0;  // completed after this share of its handling limit (> 1: late)
  std::vector<std::chrono::minutes> gaps;  // between the steps of its life, in order
  bool callback = false;
  std::string satisfaction;
};

/// About `cases_per_year` cases a year over the `day_count` days ending with `last_day` (local),
/// most from the 12319 hotline as in Kundulun (domain.md §1), located at the centre of a random
/// demo cell, registered under a random condition of the demo catalogue. Oldest first.
std::vector<PlannedCase> plan_history(const DemoDistrict& demo, int day_count,
                                      std::chrono::year_month_day last_day,
                                      std::chrono::minutes utc_offset, unsigned seed,
                                      double cases_per_year = 4650);

}  // namespace gridcase::app
