#include <gtest/gtest.h>

#include <algorithm>
#include <boost/asio/awaitable.hpp>
#include <boost/beast/http/verb.hpp>
#include <iterator>
#include <set>
#include <stdexcept>
#include <string>
#include <vector>

#include "fixed_clock.hpp"
#include "gridcase/http/server.hpp"
#include "gridcase/service/case_service.hpp"
#include "gridcase/service/catalog_service.hpp"
#include "gridcase/service/grid_service.hpp"
#include "gridcase/service/health_service.hpp"
#include "gridcase/service/transaction_runner.hpp"
#include "http/api.hpp"
#include "http/event_hub.hpp"
#include "http/metrics.hpp"
#include "openapi_document.hpp"

namespace gridcase::http {
namespace {

/// The services need a runner to be constructed; building the route table never runs one.
class UnusableTransactionRunner final : public service::TransactionRunner {
 public:
  boost::asio::awaitable<void> run(Work) override {
    throw std::logic_error("the route table must not touch the database");
    co_return;
  }
  boost::asio::awaitable<void> autocommit(Work) override {
    throw std::logic_error("the route table must not touch the database");
    co_return;
  }
};

/// "get /api/v1/grid/{code}": one line per operation, sorted.
using Operations = std::set<std::string>;

/// The operations under `paths:` of docs/openapi.yaml, read by a YAML parser.
Operations documented_operations() {
  static const std::set<std::string> kMethods{"get",   "put",  "post",    "delete",
                                              "patch", "head", "options", "trace"};
  Operations operations;
  for (const auto& [path, item] : testing::openapi_document().at("paths").items()) {
    for (const auto& [key, operation] : item.items()) {
      if (kMethods.contains(key)) operations.insert(key + " " + path);
    }
  }
  return operations;
}

/// The router is only listed: no image is ever processed.
class NoImages final : public service::ImageProcessor {
 public:
  service::ProcessedImage process(std::string_view, const service::ImageLimits&) const override {
    throw std::logic_error("no image is processed here");
  }
};

Operations routed_operations() {
  UnusableTransactionRunner transactions;
  service::GridService grid{transactions};
  service::CatalogService catalog{transactions};
  service::HealthService health{transactions};
  const testing::FixedClock clock;
  service::CalendarCache calendar{clock, service::CaseOptions{}.utc_offset,
                                  service::CaseOptions{}.calendar_cache};
  service::CaseService cases{transactions, clock, calendar, service::CaseOptions{}};
  service::AuthService auth{transactions, clock, service::AuthOptions{}};
  service::ReportService reports{transactions, calendar, clock, service::ReportOptions{}};
  service::AuditService audit{transactions};
  service::StaffService staff{transactions};
  service::AddressService addresses{transactions};
  const NoImages images;
  service::AttachmentService attachments{transactions, clock, images, service::AttachmentOptions{}};
  service::Open311Service open311{transactions, clock,       cases,
                                  auth,         attachments, service::Open311Options{}};
  service::WebhookService webhooks{transactions, service::WebhookOptions{}};
  const Services services{grid,
                          catalog,
                          health,
                          cases,
                          auth,
                          reports,
                          audit,
                          staff,
                          addresses,
                          open311,
                          attachments,
                          webhooks,
                          [] { return std::vector<service::Gauge>{}; }};
  ServerOptions options;
  Metrics metrics;
  EventHub events{options.max_streams, options.stream_queue_events};
  const Router router = make_api_router(services, options, metrics, events);

  Operations operations;
  for (const Route& route : router.routes()) {
    std::string method{beast_http::to_string(route.verb)};
    std::transform(method.begin(), method.end(), method.begin(),
                   [](unsigned char ch) { return static_cast<char>(std::tolower(ch)); });
    operations.insert(method + " " + route.pattern);
  }
  return operations;
}

std::string listed(const std::vector<std::string>& operations) {
  std::string text;
  for (const std::string& operation : operations) text += "\n  " + operation;
  return text;
}

std::vector<std::string> difference(const Operations& left, const Operations& right) {
  std::vector<std::string> only_left;
  std::set_difference(left.begin(), left.end(), right.begin(), right.end(),
                      std::back_inserter(only_left));
  return only_left;
}

TEST(OpenApiDocumentTest, IsOpenApi31) {
  const nlohmann::json& document = testing::openapi_document();

  EXPECT_TRUE(document.at("openapi").get<std::string>().starts_with("3.1."))
      << "docs/openapi.yaml must be OpenAPI 3.1";
}

TEST(OpenApiDocumentTest, DescribesEveryRouteOfTheRouter) {
  const Operations documented = documented_operations();
  const Operations routed = routed_operations();

  const std::vector<std::string> undocumented = difference(routed, documented);

  EXPECT_FALSE(routed.empty());
  EXPECT_TRUE(undocumented.empty())
      << "routes of make_api_router missing from docs/openapi.yaml:" << listed(undocumented);
}

TEST(OpenApiDocumentTest, NamesNoRouteTheRouterLacks) {
  const Operations documented = documented_operations();
  const Operations routed = routed_operations();

  const std::vector<std::string> unrouted = difference(documented, routed);

  EXPECT_FALSE(documented.empty());
  EXPECT_TRUE(unrouted.empty())
      << "operations in docs/openapi.yaml that make_api_router does not route:" << listed(unrouted);
}

}  // namespace
}  // namespace gridcase::http
