#include "report_handlers.hpp"

#include "authentication.hpp"
#include "error_response.hpp"
#include "gridcase/domain/access.hpp"
#include "gridcase/domain/grid.hpp"
#include "gridcase/http/report_format.hpp"
#include "query_parameters.hpp"

namespace gridcase::http {
namespace {

using boost::asio::awaitable;

/// Days of the HTML bulletin's trend line.
constexpr int kTrendDays = 30;
/// The most rows of a ranking one JSON page carries (docs/api.md: lists page by 200 at most).
constexpr int kMaxRowsPerPage = 200;

std::chrono::year_month_day required_date(const Request& request) {
  const std::optional<std::string> text = query_text(request, "date");
  if (!text) domain::throw_malformed("date", "required: a local date YYYY-MM-DD");
  const bool shaped = text->size() == 10 && (*text)[4] == '-' && (*text)[7] == '-';
  if (!shaped) domain::throw_malformed("date", "a local date YYYY-MM-DD");
  const std::optional<std::chrono::year_month_day> date = domain::parse_iso_date(*text);
  if (!date) domain::throw_invalid("date", "not a calendar date");
  return *date;
}

/// `format` wins; else the first of text/csv and text/html the Accept header names; else JSON.
ReportFormat format_of(const Request& request) {
  if (const std::optional<std::string> format = query_text(request, "format")) {
    const std::optional<ReportFormat> parsed = parse_report_format(*format);
    if (!parsed) domain::throw_invalid("format", "json, csv or html");
    return *parsed;
  }
  const std::string_view accept = request.message[beast_http::field::accept];
  const std::size_t csv = accept.find("text/csv");
  const std::size_t html = accept.find("text/html");
  if (csv != std::string_view::npos && (html == std::string_view::npos || csv < html)) {
    return ReportFormat::kCsv;
  }
  if (html != std::string_view::npos) return ReportFormat::kHtml;
  return ReportFormat::kJson;
}

/// `limit` (1–200, default 200) and `cursor` page the JSON ranking; CSV and HTML list every row.
ReportPage page_of(const Request& request, ReportFormat format) {
  const std::optional<int> limit = query_integer(request, "limit");
  const std::optional<std::string> cursor = query_text(request, "cursor");
  if (format != ReportFormat::kJson) {
    if (limit) domain::throw_invalid("limit", "pages JSON only: CSV and HTML list every row");
    if (cursor) domain::throw_invalid("cursor", "pages JSON only: CSV and HTML list every row");
  }
  ReportPage page;
  if (limit) {
    if (*limit < 1 || *limit > kMaxRowsPerPage) domain::throw_invalid("limit", "from 1 to 200");
    page.limit = static_cast<std::size_t>(*limit);
  }
  if (cursor) {
    page.after = parse_ranking_cursor(*cursor);
    if (!page.after) domain::throw_invalid("cursor", "not a cursor this report returned");
  }
  return page;
}

}  // namespace

Handler get_report(const service::ReportService& reports, const service::GridService& grid) {
  return [&reports, &grid](Request& request) -> awaitable<Response> {
    require_known_parameters(request,
                             {"period", "date", "by", "grid", "format", "limit", "cursor"});
    const domain::Actor& caller = caller_of(request);
    domain::require_case_reader(caller);
    const std::optional<domain::ReportPeriod> period =
        domain::parse_report_period(query_text(request, "period").value_or("day"));
    if (!period) domain::throw_invalid("period", "day, week, month, quarter or ytd");
    const std::optional<domain::ReportDimension> by =
        domain::parse_report_dimension(query_text(request, "by").value_or("street"));
    if (!by) {
      domain::throw_invalid(
          "by", "district, street, community, cell, unit, officer, channel or category");
    }
    const std::chrono::year_month_day date = required_date(request);
    const ReportFormat format = format_of(request);
    const ReportPage page = page_of(request, format);

    domain::ReadConfinement confined = co_await confined_read(request, grid);
    service::ReportScope scope;
    scope.grid = std::move(confined.grid);
    scope.unit = std::move(confined.unit);
    scope.officer = std::move(confined.officer);

    // What the representations show: the rows of `by`, the totals (the channel rows) and the
    // bulletin's chart by street; reading no more keeps a district's snapshot read small. (A
    // named vector: g++ 12 cannot take a braced list inside a co_await expression.)
    std::vector<domain::ReportDimension> shown{*by};
    shown.push_back(domain::ReportDimension::kChannel);
    shown.push_back(domain::ReportDimension::kStreet);
    const std::shared_ptr<const service::Report> report =
        co_await reports.get_shared(*period, date, scope, caller.id, std::move(shown), *by);
    ReportView view{*report, *by, reports.options().weights, scope.grid, {}, {}};
    if (format == ReportFormat::kJson) view.page = page;
    if (format == ReportFormat::kHtml) {
      const std::chrono::year_month_day last{std::chrono::sys_days{report->period.end_day} -
                                             std::chrono::days{1}};
      view.trend = co_await reports.trend(last, kTrendDays, scope, caller.id);
    }
    Response response{beast_http::status::ok, request.message.version()};
    response.set(beast_http::field::content_type, content_type(format));
    if (format == ReportFormat::kHtml) {
      response.set("Content-Security-Policy", bulletin_content_security_policy());
    }
    response.body() = render_report(view, format);
    response.prepare_payload();
    co_return response;
  };
}

}  // namespace gridcase::http
