#include "gridcase/http/report_format.hpp"

#include <sodium.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <stdexcept>
#include <string_view>

#include "gridcase/domain/enum_names.hpp"
#include "gridcase/domain/time_text.hpp"
#include "json_writer.hpp"
#include "xml_writer.hpp"

namespace gridcase::http {
namespace {

using domain::ReportDimension;
using domain::ReportMetrics;
using domain::ReportRow;

using domain::RankedRow;

std::vector<RankedRow> ranked(const ReportView& view) {
  return domain::rank_rows(view.report.rows, view.by, view.weights);
}

std::string fixed(std::optional<double> value, const char* format) {
  if (!value) return "—";
  char text[32];
  std::snprintf(text, sizeof text, format, *value);
  return text;
}

std::string grade_text(const std::optional<domain::Grade>& grade) {
  return grade ? std::string(to_string(*grade)) : "—";
}

/// The members of one row's (or the totals') counts and rates, into the object being written.
void write_counts(JsonWriter& out, const domain::ReportCounts& counts,
                  const ReportMetrics& metrics) {
  out.member("received", counts.received)
      .member("registered", counts.registered)
      .member("dispatched", counts.dispatched)
      .member("dispatches_kept", counts.dispatches_kept)
      .member("handled", counts.handled)
      .member("closed", counts.closed)
      .member("closed_on_time", counts.closed_on_time)
      .member("closed_reworked", counts.closed_reworked)
      .member("closed_extended", counts.closed_extended)
      .member("merged", counts.merged)
      .member("due", counts.due)
      .member("completion_rate", metrics.completion)
      .member("on_time_completion_rate", metrics.on_time_completion);
  out.key("on_time_rates").begin_object();
  for (domain::StageTimer timer : domain::kAllStageTimers) {
    out.member(to_string(timer), metrics.timer_rate(timer));
  }
  out.end_object().key("timers").begin_object();
  for (domain::StageTimer timer : domain::kAllStageTimers) {
    const domain::TimerCounts& of = counts.timer(timer);
    out.key(to_string(timer))
        .begin_object()
        .member("on_time", of.on_time)
        .member("late", of.late)
        .member("overdue_running", of.overdue_running)
        .end_object();
  }
  out.end_object()
      .member("dispatch_accuracy", metrics.dispatch_accuracy)
      .member("dispatches_suggested", counts.dispatches_suggested)
      .member("suggestions_followed", counts.suggestions_followed)
      .member("suggestion_followed_rate", metrics.suggestion_followed)
      .member("rework_rate", metrics.rework)
      .member("extension_rate", metrics.extension)
      .member("callbacks_reached", counts.callbacks_reached)
      .member("callbacks_satisfied", counts.callbacks_satisfied)
      .member("satisfaction_rate", metrics.satisfaction)
      .member("average_handling_hours", metrics.average_handling_hours);
  out.key("backlog").begin_object().member("total", counts.backlog()).key("by_age").begin_object();
  for (std::size_t i = 0; i < domain::kBacklogAgeBuckets; ++i) {
    out.member(to_string(static_cast<domain::BacklogAge>(i)), counts.backlog_by_age[i]);
  }
  out.end_object().key("by_light").begin_object();
  for (domain::Light light : {domain::Light::kGreen, domain::Light::kYellow, domain::Light::kRed}) {
    out.member(to_string(light), counts.backlog_by_light[static_cast<std::size_t>(light)]);
  }
  out.end_object().end_object();
  out.member("score", domain::shown_score(metrics.score));
  if (metrics.grade) {
    out.member("grade", to_string(*metrics.grade));
  } else {
    out.key("grade").null();
  }
}

/// Written straight into the body, not built as a document first: a report by cell is
/// thousands of rows (docs/performance.md, "Reports over HTTP"). With a page, only its rows.
std::string render_json(const ReportView& view) {
  const domain::PeriodBounds& period = view.report.period;
  const std::chrono::year_month_day last{std::chrono::sys_days{period.end_day} -
                                         std::chrono::days{1}};
  std::string body;
  const std::vector<RankedRow> ranking = ranked(view);
  auto first = ranking.begin();
  auto stop = ranking.end();
  if (view.page) {
    if (view.page->after) {
      first = std::upper_bound(ranking.begin(), ranking.end(), *view.page->after,
                               [](const domain::RankingPosition& after, const RankedRow& entry) {
                                 return domain::ranks_before(after, entry.position());
                               });
    }
    const auto left = static_cast<std::size_t>(ranking.end() - first);
    stop = first + static_cast<std::ptrdiff_t>(std::min(view.page->limit, left));
  }
  body.reserve(2048 + 1100 * static_cast<std::size_t>(stop - first));
  std::optional<std::string> as_of;
  if (view.report.as_of) as_of = domain::format_rfc3339(*view.report.as_of);
  JsonWriter out{body};
  out.begin_object()
      .member("period", to_string(period.period))
      .member("first_day", domain::format_iso_date(period.first_day))
      .member("last_day", domain::format_iso_date(last))
      .member("start", domain::format_rfc3339(period.start))
      .member("end", domain::format_rfc3339(period.end))
      .member("as_of", as_of)
      .member("by", to_string(view.by))
      .member("grid", view.grid)
      .key("weights")
      .begin_object()
      .member("completion", view.weights.completion)
      .member("on_time_completion", view.weights.on_time_completion)
      .member("no_rework", view.weights.no_rework)
      .end_object()
      .key("totals")
      .begin_object();
  const domain::ReportCounts totals = domain::totals_of(view.report.rows);
  write_counts(out, totals, compute_metrics(totals, view.weights));
  out.end_object().member("row_count", static_cast<long long>(ranking.size()));
  out.key("rows").begin_array();
  for (auto entry = first; entry != stop; ++entry) {
    out.begin_object();
    write_counts(out, entry->row->counts, entry->metrics);
    out.member("rank", entry->rank)
        .member("key", entry->row->label.key)
        .member("name", entry->row->label.name)
        .end_object();
  }
  out.end_array();
  if (stop != ranking.end() && stop != first) {
    out.member("next_cursor", format_ranking_cursor((stop - 1)->position()));
  } else {
    out.key("next_cursor").null();
  }
  out.end_object();
  return body;
}

/// A cell a spreadsheet would take for a formula (=, +, -, @, or a tab or CR before one) is
/// kept as text by a leading apostrophe: a name entered by anyone must not run on a desk.
std::string csv_field(const std::string& cell) {
  const bool formula_like =
      !cell.empty() && std::string_view{"=+-@\t\r"}.find(cell.front()) != std::string_view::npos;
  std::string text = formula_like ? "'" + cell : cell;
  if (text.find_first_of(",\"\r\n") == std::string::npos) return text;
  std::string quoted = "\"";
  for (char ch : text) {
    if (ch == '"') quoted += '"';
    quoted += ch;
  }
  return quoted + '"';
}

std::string render_csv(const ReportView& view) {
  std::string csv = "\xEF\xBB\xBF";  // the byte-order mark spreadsheets need to read UTF-8
  const std::vector<std::string> header{"排名 rank",
                                        "编码 code",
                                        "名称 name",
                                        "受理 received",
                                        "立案 registered",
                                        "派遣 dispatched",
                                        "处置 handled",
                                        "结案 closed",
                                        "按期结案 closed on time",
                                        "并单 merged",
                                        "应结案 due",
                                        "结案率 completion",
                                        "按期结案率 on-time completion",
                                        "按期处置率 on-time handling",
                                        "派遣准确率 dispatch accuracy",
                                        "采纳建议 suggestion followed",
                                        "采纳建议率 suggestion followed rate",
                                        "返工率 rework",
                                        "延期率 extension",
                                        "满意率 satisfaction",
                                        "平均处置时长(工时) average handling hours",
                                        "积压 backlog",
                                        "综合指标值 score",
                                        "等级 grade"};
  const auto line = [&csv](const std::vector<std::string>& fields) {
    for (std::size_t i = 0; i < fields.size(); ++i) {
      if (i > 0) csv += ',';
      csv += csv_field(fields[i]);
    }
    csv += "\r\n";
  };
  line(header);
  for (const RankedRow& entry : ranked(view)) {
    const domain::ReportCounts& c = entry.row->counts;
    const ReportMetrics& m = entry.metrics;
    line({entry.rank ? std::to_string(*entry.rank) : "—",
          entry.row->label.key,
          entry.row->label.name,
          std::to_string(c.received),
          std::to_string(c.registered),
          std::to_string(c.dispatched),
          std::to_string(c.handled),
          std::to_string(c.closed),
          std::to_string(c.closed_on_time),
          std::to_string(c.merged),
          std::to_string(c.due),
          domain::format_percent(m.completion),
          domain::format_percent(m.on_time_completion),
          domain::format_percent(m.timer_rate(domain::StageTimer::kHandling)),
          domain::format_percent(m.dispatch_accuracy),
          std::to_string(c.suggestions_followed),
          domain::format_percent(m.suggestion_followed),
          domain::format_percent(m.rework),
          domain::format_percent(m.extension),
          domain::format_percent(m.satisfaction),
          fixed(m.average_handling_hours, "%.1f"),
          std::to_string(c.backlog()),
          fixed(m.score, "%.2f"),
          grade_text(m.grade)});
  }
  return csv;
}

// HTML text and attribute values escape as XML's do (xml_writer): one escaper for both.
std::string escape_html(const std::string& text) { return xml_escape(text); }

std::string number(double value) { return fixed(value, "%.1f"); }

/// Horizontal bars of completion by street, 0–100%; an undefined rate has no bar and reads "—".
std::string street_chart(const ReportView& view) {
  std::vector<const ReportRow*> streets;
  for (const ReportRow& row : view.report.rows) {
    if (row.dimension == ReportDimension::kStreet) streets.push_back(&row);
  }
  if (streets.empty()) return "<p>—</p>\n";
  const double bar_height = 22;
  const double label_width = 180;
  const double plot_width = 420;
  const double height = bar_height * static_cast<double>(streets.size()) + 10;
  std::string svg =
      "<svg xmlns=\"http://www.w3.org/2000/svg\" role=\"img\" width=\"680\" height=\"" +
      number(height) + "\" aria-label=\"结案率 completion by street\">\n";
  double y = 5;
  for (const ReportRow* row : streets) {
    const domain::Rate completion = domain::compute_metrics(row->counts, view.weights).completion;
    svg += "<text x=\"0\" y=\"" + number(y + 15) + "\" font-size=\"13\">" +
           escape_html(row->label.name) + "</text>\n";
    if (completion) {
      svg += "<rect x=\"" + number(label_width) + "\" y=\"" + number(y + 3) + "\" width=\"" +
             number(plot_width * *completion) + "\" height=\"" + number(bar_height - 6) +
             "\" fill=\"#2f6fb0\"/>\n";
    }
    svg += "<text x=\"" + number(label_width + plot_width + 8) + "\" y=\"" + number(y + 15) +
           "\" font-size=\"13\">" + domain::format_percent(completion) + "</text>\n";
    y += bar_height;
  }
  return svg + "</svg>\n";
}

/// Completion by day as a line, 0–100%; days with nothing due are gaps.
std::string trend_chart(const ReportView& view) {
  if (view.trend.empty()) return "<p>—</p>\n";
  const double width = 680;
  const double height = 160;
  const double left = 40;
  const double step =
      (width - left - 10) / static_cast<double>(std::max<std::size_t>(view.trend.size() - 1, 1));
  std::string svg =
      "<svg xmlns=\"http://www.w3.org/2000/svg\" role=\"img\" width=\"680\" height=\"180\" "
      "aria-label=\"近30日结案率 completion trend\">\n"
      "<line x1=\"40\" y1=\"10\" x2=\"40\" y2=\"170\" stroke=\"#888\"/>\n"
      "<line x1=\"40\" y1=\"170\" x2=\"670\" y2=\"170\" stroke=\"#888\"/>\n"
      "<text x=\"0\" y=\"15\" font-size=\"11\">100%</text>\n"
      "<text x=\"0\" y=\"172\" font-size=\"11\">0%</text>\n";
  std::string points;
  const auto flush = [&svg, &points] {
    if (!points.empty()) {
      svg += "<polyline fill=\"none\" stroke=\"#c0392b\" stroke-width=\"2\" points=\"" + points +
             "\"/>\n";
    }
    points.clear();
  };
  for (std::size_t i = 0; i < view.trend.size(); ++i) {
    const domain::Rate completion =
        domain::compute_metrics(view.trend[i].totals, view.weights).completion;
    if (!completion) {
      flush();
      continue;
    }
    const double x = left + step * static_cast<double>(i);
    const double y = 170 - height * *completion;
    points += (points.empty() ? "" : " ") + number(x) + "," + number(y);
    svg += "<circle cx=\"" + number(x) + "\" cy=\"" + number(y) + "\" r=\"2\" fill=\"#c0392b\"/>\n";
  }
  flush();
  svg += "<text x=\"40\" y=\"180\" font-size=\"11\">" +
         domain::format_iso_date(view.trend.front().date) +
         "</text>\n<text x=\"590\" y=\"180\" font-size=\"11\">" +
         domain::format_iso_date(view.trend.back().date) + "</text>\n";
  return svg + "</svg>\n";
}

/// The bulletin's one style sheet; its hash is the only style the page's policy allows.
constexpr std::string_view kBulletinStyle =
    "\nbody{font-family:sans-serif;margin:2em;color:#222}\n"
    "table{border-collapse:collapse;margin:1em 0}\n"
    "th,td{border:1px solid #999;padding:3px 8px;text-align:right}\n"
    "td.name,th.name{text-align:left}\nth{background:#eee}\n"
    "@media print{body{margin:0}h2{page-break-after:avoid}}\n";

std::string render_html(const ReportView& view) {
  const domain::PeriodBounds& period = view.report.period;
  const std::chrono::year_month_day last{std::chrono::sys_days{period.end_day} -
                                         std::chrono::days{1}};
  const std::string span =
      domain::format_iso_date(period.first_day) + " – " + domain::format_iso_date(last);
  const domain::ReportCounts totals = domain::totals_of(view.report.rows);
  const ReportMetrics overall = compute_metrics(totals, view.weights);
  std::string html =
      "<!DOCTYPE html>\n<html lang=\"zh-CN\">\n<head>\n<meta charset=\"utf-8\">\n"
      "<title>数字城管综合评价通报 " +
      escape_html(span) +
      "</title>\n"
      "<style>" +
      std::string(kBulletinStyle) +
      "</style>\n</head>\n<body>\n"
      "<h1>数字城管综合评价通报 Evaluation bulletin</h1>\n<p>周期 Period: " +
      std::string(to_string(period.period)) + ", " + escape_html(span) +
      (view.grid ? " · 范围 Grid: " + escape_html(*view.grid) : std::string()) +
      (view.report.as_of ? " · 截至 As of: " + domain::format_rfc3339(*view.report.as_of)
                         : std::string()) +
      "</p>\n"
      "<table>\n<tr><th>应结案数 due</th><th>结案数 closed</th><th>结案率 completion</th>"
      "<th>按期结案率 on-time completion</th><th>综合指标值 score</th><th>等级 "
      "grade</th></tr>\n<tr><td>" +
      std::to_string(totals.due) + "</td><td>" + std::to_string(totals.closed) + "</td><td>" +
      domain::format_percent(overall.completion) + "</td><td>" +
      domain::format_percent(overall.on_time_completion) + "</td><td>" +
      fixed(overall.score, "%.2f") + "</td><td>" + grade_text(overall.grade) +
      "</td></tr>\n</table>\n"
      "<h2>各街道结案率 Completion by street</h2>\n" +
      street_chart(view) + "<h2>近30日结案率 30-day completion trend</h2>\n" + trend_chart(view) +
      "<h2>排名 Ranking by " + std::string(to_string(view.by)) +
      "</h2>\n<table>\n<tr><th>排名 rank</th>"
      "<th class=\"name\">名称 name</th><th>应结案 due</th><th>结案 closed</th><th>结案率 "
      "completion</th>"
      "<th>按期结案率 on-time</th><th>返工率 rework</th><th>积压 backlog</th><th>综合指标值 "
      "score</th>"
      "<th>等级 grade</th></tr>\n";
  for (const RankedRow& entry : ranked(view)) {
    const domain::ReportCounts& c = entry.row->counts;
    const ReportMetrics& m = entry.metrics;
    html += "<tr><td>" + (entry.rank ? std::to_string(*entry.rank) : std::string("—")) +
            "</td><td class=\"name\">" + escape_html(entry.row->label.name) + " <small>" +
            escape_html(entry.row->label.key) + "</small></td><td>" + std::to_string(c.due) +
            "</td><td>" + std::to_string(c.closed) + "</td><td>" +
            domain::format_percent(m.completion) + "</td><td>" +
            domain::format_percent(m.on_time_completion) + "</td><td>" +
            domain::format_percent(m.rework) + "</td><td>" + std::to_string(c.backlog()) +
            "</td><td>" + fixed(m.score, "%.2f") + "</td><td>" + grade_text(m.grade) +
            "</td></tr>\n";
  }
  return html + "</table>\n</body>\n</html>\n";
}

constexpr domain::EnumNames<ReportFormat, 3> kFormatNames{{
    {ReportFormat::kJson, "json"},
    {ReportFormat::kCsv, "csv"},
    {ReportFormat::kHtml, "html"},
}};
static_assert(domain::covers_every_value(kFormatNames));

}  // namespace

std::string format_ranking_cursor(const domain::RankingPosition& position) {
  const auto number = [](const std::optional<double>& value) -> std::string {
    if (!value) return "-";
    char text[32];
    std::snprintf(text, sizeof text, "%.17g", *value);
    return text;
  };
  return number(position.shown_score) + '~' + number(position.completion) + '~' + position.key;
}

std::optional<domain::RankingPosition> parse_ranking_cursor(std::string_view text) {
  // A number as format_ranking_cursor writes it: finite, within [0, limit]; "-" for none.
  const auto number = [](std::string_view field, double limit,
                         std::optional<double>& value) -> bool {
    if (field == "-") return true;
    if (field.empty() || field.size() > 31) return false;
    const std::string copy{field};
    char* end = nullptr;
    const double parsed = std::strtod(copy.c_str(), &end);
    if (end != copy.c_str() + copy.size() || !std::isfinite(parsed) || parsed < 0 ||
        parsed > limit) {
      return false;
    }
    value = parsed;
    return true;
  };
  const std::size_t first = text.find('~');
  if (first == std::string_view::npos) return std::nullopt;
  const std::size_t second = text.find('~', first + 1);
  if (second == std::string_view::npos || second + 1 >= text.size()) return std::nullopt;
  domain::RankingPosition position;
  position.key = std::string(text.substr(second + 1));
  if (!number(text.substr(0, first), 100, position.shown_score) ||
      !number(text.substr(first + 1, second - first - 1), 1, position.completion)) {
    return std::nullopt;
  }
  return position;
}

std::optional<ReportFormat> parse_report_format(std::string_view text) {
  return domain::value_named(kFormatNames, text);
}

std::string_view content_type(ReportFormat format) {
  switch (format) {
    case ReportFormat::kJson:
      return "application/json";
    case ReportFormat::kCsv:
      return "text/csv; charset=utf-8";
    case ReportFormat::kHtml:
      return "text/html; charset=utf-8";
  }
  return "application/json";
}

std::string render_report(const ReportView& view, ReportFormat format) {
  switch (format) {
    case ReportFormat::kJson:
      return render_json(view);
    case ReportFormat::kCsv:
      return render_csv(view);
    case ReportFormat::kHtml:
      return render_html(view);
  }
  return render_json(view);
}

const std::string& bulletin_content_security_policy() {
  static const std::string policy = [] {
    if (sodium_init() < 0) throw std::runtime_error("libsodium failed to initialise");
    unsigned char digest[crypto_hash_sha256_BYTES];
    crypto_hash_sha256(digest, reinterpret_cast<const unsigned char*>(kBulletinStyle.data()),
                       kBulletinStyle.size());
    char
        base64[sodium_base64_ENCODED_LEN(crypto_hash_sha256_BYTES, sodium_base64_VARIANT_ORIGINAL)];
    sodium_bin2base64(base64, sizeof base64, digest, sizeof digest, sodium_base64_VARIANT_ORIGINAL);
    return "default-src 'none'; style-src 'sha256-" + std::string(base64) +
           "'; img-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";
  }();
  return policy;
}

}  // namespace gridcase::http
