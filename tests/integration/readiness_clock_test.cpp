// /readyz compares this process's clock with PostgreSQL's on every check (issue 18): `serve`
// refuses to start beyond domain::kMaxClockOffset, but a process started while the database was
// unreachable, or whose clock drifts later, must leave the balancer instead of writing events and
// deadlines in another time.
#include <gtest/gtest.h>

#include "case_world.hpp"
#include "gridcase/service/health_service.hpp"
#include "run_sync.hpp"

namespace gridcase::testing {
namespace {

using namespace std::chrono_literals;
using std::chrono::milliseconds;

class ReadinessClockTest : public CaseWorldTest {
 protected:
  /// Readiness as a process whose clock reads the system's now shifted by `shift` would see it
  /// (the database runs on this machine, on the system clock).
  service::Readiness readiness_shifted(milliseconds shift) {
    const FixedClock clock{
        std::chrono::time_point_cast<milliseconds>(std::chrono::system_clock::now()) + shift};
    const service::HealthService health{*database_, *calendar_, clock, 5000ms};
    return run_sync(health.readiness());
  }
};

TEST_F(ReadinessClockTest, AClockWithinASecondOfTheDatabasesIsReady) {
  const service::Readiness readiness = readiness_shifted(0ms);

  EXPECT_TRUE(readiness.ready) << readiness.reason;
}

TEST_F(ReadinessClockTest, AClockBehindTheDatabasesIsNotReadyAndSaysHowFar) {
  const service::Readiness readiness = readiness_shifted(-5000ms);

  EXPECT_FALSE(readiness.ready);
  EXPECT_NE(readiness.reason.find("clock"), std::string::npos) << readiness.reason;
  EXPECT_NE(readiness.reason.find("behind"), std::string::npos) << readiness.reason;
}

TEST_F(ReadinessClockTest, AClockAheadOfTheDatabasesIsNotReady) {
  const service::Readiness readiness = readiness_shifted(3000ms);

  EXPECT_FALSE(readiness.ready);
  EXPECT_NE(readiness.reason.find("ahead of"), std::string::npos) << readiness.reason;
}

}  // namespace
}  // namespace gridcase::testing
