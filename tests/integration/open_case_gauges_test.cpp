// /metrics' open-case gauges (HealthService): the open cases of the whole database by status and
// by the light of their running handling timer, counted at most once per max age. Other tests'
// cases may share the database, so each test compares two counts taken at the same instant.
#include <gtest/gtest.h>

#include <map>

#include "case_world.hpp"
#include "gridcase/service/health_service.hpp"
#include "run_sync.hpp"

namespace gridcase::testing {
namespace {

using namespace std::chrono_literals;
using domain::CaseAction;
using domain::CaseStatus;
using domain::Channel;
using domain::Role;

using Counts = std::map<std::string, long long>;  // "name{label=value}" → value

class OpenCaseGaugesTest : public CaseWorldTest {
 protected:
  /// The open-case gauges of `health`, keyed as /metrics writes them.
  static Counts counts(const service::HealthService& health) {
    Counts found;
    for (const service::Gauge& gauge : run_sync(health.gauges())) {
      if (!gauge.name.starts_with("gridcase_open_cases")) continue;
      found[gauge.name + "{" + gauge.label + "=" + gauge.label_value + "}"] = gauge.value;
      EXPECT_FALSE(gauge.help.empty()) << gauge.name;
    }
    return found;
  }

  /// Counted now by a service with nothing cached.
  Counts fresh() {
    const service::HealthService health{*database_, *calendar_, *clock_, 5000ms};
    return counts(health);
  }

  static long long sum(const Counts& counts, const std::string& name) {
    long long total = 0;
    for (const auto& [key, value] : counts) {
      if (key.starts_with(name + "{")) total += value;
    }
    return total;
  }
};

TEST_F(OpenCaseGaugesTest, EveryOpenStatusAndEveryLightIsShownAndTheyAddUpAlike) {
  receive(Channel::kWeb);

  const Counts found = fresh();

  EXPECT_EQ(found.size(), 9U + 4U);  // nine open statuses; green, yellow, red and none
  EXPECT_TRUE(found.contains("gridcase_open_cases{status=suspended}"));
  EXPECT_FALSE(found.contains("gridcase_open_cases{status=closed}"));
  EXPECT_TRUE(found.contains("gridcase_open_cases_by_light{light=none}"));
  EXPECT_GE(found.at("gridcase_open_cases{status=received}"), 1);
  EXPECT_EQ(sum(found, "gridcase_open_cases"), sum(found, "gridcase_open_cases_by_light"));
}

TEST_F(OpenCaseGaugesTest, AnOverdueHandlingTimerIsRedAndACaseWithoutOneIsNone) {
  const std::string late = receive(Channel::kWeb);
  drive_to(late, CaseStatus::kHandling);  // deadline Monday 16:30
  clock_->set(case_test_start() + 24h);   // Tuesday 10:00
  const Counts before = fresh();
  const std::string original = receive(Channel::kWeb);
  domain::ActionInput into;
  into.into = original;

  act(late, CaseAction::kMerge, into, Role::kShiftLeader);
  const Counts after = fresh();

  EXPECT_EQ(after.at("gridcase_open_cases_by_light{light=red}"),
            before.at("gridcase_open_cases_by_light{light=red}") - 1);
  EXPECT_EQ(after.at("gridcase_open_cases_by_light{light=none}"),
            before.at("gridcase_open_cases_by_light{light=none}") + 1);
  EXPECT_EQ(after.at("gridcase_open_cases{status=handling}"),
            before.at("gridcase_open_cases{status=handling}") - 1);
  EXPECT_EQ(after.at("gridcase_open_cases{status=received}"),
            before.at("gridcase_open_cases{status=received}") + 1);
}

TEST_F(OpenCaseGaugesTest, CountsAreKeptForTheMaxAgeAndTakenAgainAfterIt) {
  const service::HealthService health{*database_, *calendar_, *clock_, 5000ms};
  const Counts first = counts(health);
  receive(Channel::kWeb);

  clock_->advance(4999ms);
  EXPECT_EQ(counts(health), first);
  clock_->advance(1ms);

  EXPECT_EQ(counts(health).at("gridcase_open_cases{status=received}"),
            first.at("gridcase_open_cases{status=received}") + 1);
}

}  // namespace
}  // namespace gridcase::testing
