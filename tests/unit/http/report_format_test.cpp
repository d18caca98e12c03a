#include "gridcase/http/report_format.hpp"

#include <gtest/gtest.h>

#include <string>

namespace gridcase::http {
namespace {

service::Report report_named(const std::string& name) {
  domain::ReportCounts counts;
  counts.received = 1;
  const domain::ReportPeriod day = domain::ReportPeriod::kDay;
  return service::Report{
      domain::period_containing(day, std::chrono::year{2026} / 11 / 23, std::chrono::minutes{480}),
      {domain::ReportRow{domain::ReportDimension::kStreet, {"150203001", name}, counts}}};
}

std::string csv_of(const std::string& name) {
  const service::Report report = report_named(name);
  return render_report(ReportView{report, domain::ReportDimension::kStreet, {}, {}, {}},
                       ReportFormat::kCsv);
}

TEST(ReportCsvTest, CellsASpreadsheetWouldTakeForAFormulaAreKeptAsText) {
  EXPECT_NE(csv_of("=HYPERLINK(\"http://x\")").find(",\"'=HYPERLINK(\"\"http://x\"\")\","),
            std::string::npos);
  EXPECT_NE(csv_of("+1+2").find(",'+1+2,"), std::string::npos);
  EXPECT_NE(csv_of("-2+3").find(",'-2+3,"), std::string::npos);
  EXPECT_NE(csv_of("@SUM(A1)").find(",'@SUM(A1),"), std::string::npos);
  EXPECT_NE(csv_of("\t=1").find(",'\t=1,"), std::string::npos);
}

TEST(ReportCsvTest, OrdinaryCellsAreUnchanged) {
  const std::string csv = csv_of("昆都仑街道 a-b=c");
  EXPECT_NE(csv.find(",昆都仑街道 a-b=c,"), std::string::npos);
  EXPECT_EQ(csv.find('\''), std::string::npos);
}

TEST(ReportHtmlTest, ThePolicyAllowsNothingButTheBulletinsOwnStyleSheet) {
  const std::string& policy = bulletin_content_security_policy();

  EXPECT_EQ(policy.rfind("default-src 'none'; style-src 'sha256-", 0), 0U);
  EXPECT_EQ(policy.find("unsafe"), std::string::npos);
  EXPECT_NE(policy.find("frame-ancestors 'none'"), std::string::npos);
  const service::Report report = report_named("<b>x</b>");
  const std::string html = render_report(
      ReportView{report, domain::ReportDimension::kStreet, {}, {}, {}}, ReportFormat::kHtml);
  EXPECT_EQ(html.find(" style="), std::string::npos);  // inline style attributes would be blocked
  EXPECT_EQ(html.find("<script"), std::string::npos);
}

}  // namespace
}  // namespace gridcase::http
