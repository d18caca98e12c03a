#include "metrics.hpp"

#include <fmt/format.h>

namespace gridcase::http {

void Metrics::record(const std::string& route, unsigned status,
                     std::chrono::microseconds duration) {
  const double seconds = static_cast<double>(duration.count()) / 1e6;
  std::lock_guard lock{mutex_};
  ++requests_[{route, status}];
  Histogram& histogram = latency_[route];
  for (std::size_t i = 0; i < kBucketsSeconds.size(); ++i) {
    if (seconds <= kBucketsSeconds[i]) ++histogram.buckets[i];
  }
  ++histogram.count;
  histogram.sum_seconds += seconds;
}

std::string Metrics::render(const std::vector<service::Gauge>& gauges) const {
  std::string out;
  {
    std::lock_guard lock{mutex_};
    out += "# HELP gridcase_http_requests_total Requests answered, by route and status.\n";
    out += "# TYPE gridcase_http_requests_total counter\n";
    for (const auto& [key, count] : requests_) {
      out += fmt::format("gridcase_http_requests_total{{route=\"{}\",status=\"{}\"}} {}\n",
                         key.first, key.second, count);
    }
    out +=
        "# HELP gridcase_http_request_duration_seconds Time from a request's last byte to its "
        "answer.\n";
    out += "# TYPE gridcase_http_request_duration_seconds histogram\n";
    for (const auto& [route, histogram] : latency_) {
      for (std::size_t i = 0; i < kBucketsSeconds.size(); ++i) {
        out += fmt::format(
            "gridcase_http_request_duration_seconds_bucket{{route=\"{}\",le=\"{}\"}} {}\n", route,
            kBucketsSeconds[i], histogram.buckets[i]);
      }
      out += fmt::format(
          "gridcase_http_request_duration_seconds_bucket{{route=\"{}\",le=\"+Inf\"}} {}\n", route,
          histogram.count);
      out += fmt::format("gridcase_http_request_duration_seconds_sum{{route=\"{}\"}} {}\n", route,
                         histogram.sum_seconds);
      out += fmt::format("gridcase_http_request_duration_seconds_count{{route=\"{}\"}} {}\n", route,
                         histogram.count);
    }
  }
  out += "# HELP gridcase_http_open_connections Client connections open on this process.\n";
  out += "# TYPE gridcase_http_open_connections gauge\n";
  out += fmt::format("gridcase_http_open_connections {}\n", open_connections.load());
  out +=
      "# HELP gridcase_http_refused_connections_total Connections closed at once because "
      "http.max_connections were open.\n";
  out += "# TYPE gridcase_http_refused_connections_total counter\n";
  out += fmt::format("gridcase_http_refused_connections_total {}\n", refused_connections.load());
  std::string previous;
  for (const service::Gauge& gauge : gauges) {
    if (gauge.name != previous && !gauge.help.empty()) {
      out += "# HELP " + gauge.name + " " + gauge.help + "\n";
    }
    if (gauge.name != previous) out += "# TYPE " + gauge.name + " gauge\n";
    previous = gauge.name;
    if (gauge.label.empty()) {
      out += fmt::format("{} {}\n", gauge.name, gauge.value);
    } else {
      out += fmt::format("{}{{{}=\"{}\"}} {}\n", gauge.name, gauge.label, gauge.label_value,
                         gauge.value);
    }
  }
  return out;
}

}  // namespace gridcase::http
