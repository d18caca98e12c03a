#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "gridcase/domain/report.hpp"
#include "gridcase/service/report_service.hpp"

namespace gridcase::http {

/// The representations of a report (contract/api.md, Representations).
enum class ReportFormat { kJson, kCsv, kHtml };

std::optional<ReportFormat> parse_report_format(std::string_view text);  // json, csv, html
std::string_view content_type(ReportFormat format);

/// What to render: the report, its rows of `by` ranked by score, and for HTML the daily trend.
struct ReportView {
  const service::Report& report;
  domain::ReportDimension by = domain::ReportDimension::kStreet;
  domain::ScoreWeights weights;
  std::optional<std::string> grid;         // the subtree it is limited to
  std::vector<service::TrendPoint> trend;  // HTML only: completion by day
  /// Every subject of `by` (ReportService::subjects): those the report has no row of are listed
  /// with nothing in the period.
  std::vector<domain::ReportLabel> subjects;
};

/// JSON: every count and rate of each row, rates as fractions (null when undefined). CSV: UTF-8
/// with a byte-order mark and CRLF lines, rates as "93.72%" or "—". HTML: a printable bulletin
/// with ranking tables, grades, an inline-SVG bar chart of completion by street and the trend.
std::string render_report(const ReportView& view, ReportFormat format);

/// The Content-Security-Policy of the HTML bulletin: nothing may load or run; only its own
/// inline style sheet applies (by its SHA-256), so markup slipped into a name can do nothing.
const std::string& bulletin_content_security_policy();

}  // namespace gridcase::http
