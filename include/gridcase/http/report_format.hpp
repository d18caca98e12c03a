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

/// A page of a ranking in JSON: at most `limit` rows, after the position of the previous page's
/// last row (none: from the top).
struct ReportPage {
  std::size_t limit = 200;
  std::optional<domain::RankingPosition> after;
};

/// What to render: the report, its rows of `by` ranked by score (ReportService::get lists every
/// subject of `by` when asked to), and for HTML the daily trend.
struct ReportView {
  const service::Report& report;
  domain::ReportDimension by = domain::ReportDimension::kStreet;
  domain::ScoreWeights weights;
  std::optional<std::string> grid;         // the subtree it is limited to
  std::vector<service::TrendPoint> trend;  // HTML only: completion by day
  std::optional<ReportPage> page;          // JSON only: none, every row
};

/// A page's cursor: `<score>~<completion>~<key>` (`-` for an undefined number), and back; nullopt
/// for text that is not one.
std::string format_ranking_cursor(const domain::RankingPosition& position);
std::optional<domain::RankingPosition> parse_ranking_cursor(std::string_view text);

/// JSON: every count and rate of each row (of the page), rates as fractions (null when
/// undefined), `row_count` and `next_cursor`. CSV: UTF-8
/// with a byte-order mark and CRLF lines, rates as "93.72%" or "—". HTML: a printable bulletin
/// with ranking tables, grades, an inline-SVG bar chart of completion by street and the trend.
std::string render_report(const ReportView& view, ReportFormat format);

/// The Content-Security-Policy of the HTML bulletin: nothing may load or run; only its own
/// inline style sheet applies (by its SHA-256), so markup slipped into a name can do nothing.
const std::string& bulletin_content_security_policy();

}  // namespace gridcase::http
