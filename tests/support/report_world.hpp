#pragma once

#include <chrono>
#include <memory>

#include "case_world.hpp"
#include "gridcase/service/report_service.hpp"
#include "run_sync.hpp"

namespace gridcase::testing {

/// The case world with a report service over it and the clock set by Beijing day and time: the
/// set-up of the report tests (integration).
class ReportWorldTest : public CaseWorldTest {
 protected:
  void SetUp() override {
    CaseWorldTest::SetUp();
    reports_ = std::make_unique<service::ReportService>(*database_, *calendar_, *clock_,
                                                        service::ReportOptions{});
  }

  void TearDown() override {
    reports_.reset();
    CaseWorldTest::TearDown();
  }

  void at(std::chrono::year_month_day day, std::chrono::minutes time) {
    clock_->set(beijing(day, time));
  }

  service::Report compute(std::chrono::year_month_day date,
                          domain::ReportPeriod period = domain::ReportPeriod::kDay) {
    return run_sync(reports_->compute(period, date));
  }

  std::unique_ptr<service::ReportService> reports_;
};

}  // namespace gridcase::testing
