#include <spdlog/spdlog.h>

#include <fstream>
#include <iostream>

#include "arguments.hpp"
#include "commands.hpp"
#include "gridcase/http/report_format.hpp"
#include "wiring.hpp"

namespace gridcase::app {

int report(const Config& config, const std::vector<std::string>& args) {
  const Arguments arguments{args, {.options = {"--date", "--period", "--by", "--format", "--out"}}};
  const std::optional<std::chrono::year_month_day> date =
      arguments.parsed("--date", domain::parse_iso_date);
  const domain::ReportPeriod period = arguments.parsed("--period", domain::parse_report_period)
                                          .value_or(domain::ReportPeriod::kDay);
  const domain::ReportDimension by = arguments.parsed("--by", domain::parse_report_dimension)
                                         .value_or(domain::ReportDimension::kStreet);
  const http::ReportFormat format =
      arguments.parsed("--format", http::parse_report_format).value_or(http::ReportFormat::kJson);
  const std::string out = arguments.value("--out").value_or("");
  if (!date) throw UsageError("--date YYYY-MM-DD is required");
  Wiring wiring{without_statement_timeout(config)};
  try {
    const service::Report computed =
        run_to_completion(wiring, wiring.reports.get(period, *date, {}, {}, {}, by));
    http::ReportView view{computed, by, config.reports.weights, std::nullopt, {}, {}};
    if (format == http::ReportFormat::kHtml) {
      const std::chrono::year_month_day last{std::chrono::sys_days{computed.period.end_day} -
                                             std::chrono::days{1}};
      view.trend = run_to_completion(wiring, wiring.reports.trend(last, 30, {}));
    }
    const std::string text = http::render_report(view, format);
    if (out.empty()) {
      std::cout << text;
      std::cout.flush();
    } else {
      std::ofstream file{out, std::ios::binary};
      file << text;
      if (!file) {
        spdlog::critical("{}: cannot be written", out);
        return 1;
      }
      spdlog::info("report {} {} written to {}", to_string(period), domain::format_iso_date(*date),
                   out);
    }
    return 0;
  } catch (const domain::Error& error) {
    print_problems(error);
    return 1;
  }
}

}  // namespace gridcase::app
