#pragma once

#include <boost/asio/awaitable.hpp>
#include <string>
#include <vector>

#include "gridcase/service/repositories.hpp"
#include "gridcase/service/transaction_runner.hpp"

namespace gridcase::service {

struct Readiness {
  bool ready = false;
  std::string reason;  // empty when ready
};

class HealthService {
 public:
  explicit HealthService(TransactionRunner& transactions) : transactions_(transactions) {}

  /// Never throws: an unreachable database or pending migrations make it not ready.
  boost::asio::awaitable<Readiness> readiness() const;
  boost::asio::awaitable<std::vector<Gauge>> gauges() const;

 private:
  TransactionRunner& transactions_;
};

}  // namespace gridcase::service
