#pragma once

#include <array>
#include <atomic>
#include <chrono>
#include <map>
#include <mutex>
#include <string>
#include <vector>

#include "gridcase/service/repositories.hpp"

namespace gridcase::http {

/// Request counters and latency histograms by route and status, in Prometheus text format.
/// Thread-safe.
class Metrics {
 public:
  void record(const std::string& route, unsigned status, std::chrono::microseconds duration);
  /// The exposition text: requests, latencies, open connections and the given gauges.
  std::string render(const std::vector<service::Gauge>& gauges) const;

  std::atomic<std::size_t> open_connections{0};
  std::atomic<std::uint64_t> refused_connections{0};

 private:
  static constexpr std::array<double, 12> kBucketsSeconds{0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025,
                                                          0.05,   0.1,   0.25,   0.5,   1.0,  5.0};
  struct Histogram {
    std::array<std::uint64_t, kBucketsSeconds.size()> buckets{};
    std::uint64_t count = 0;
    double sum_seconds = 0;
  };
  mutable std::mutex mutex_;
  std::map<std::pair<std::string, unsigned>, std::uint64_t> requests_;
  std::map<std::string, Histogram> latency_;
};

}  // namespace gridcase::http
