#include <gtest/gtest.h>

#include <algorithm>
#include <boost/asio/awaitable.hpp>
#include <boost/beast/http/verb.hpp>
#include <fstream>
#include <iterator>
#include <set>
#include <sstream>
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

std::string read_document() {
  std::ifstream file{GRIDCASE_SOURCE_DIR "/docs/openapi.yaml"};
  if (!file) throw std::runtime_error("cannot read " GRIDCASE_SOURCE_DIR "/docs/openapi.yaml");
  std::stringstream text;
  text << file.rdbuf();
  return text.str();
}

std::size_t indentation(const std::string& line) { return line.find_first_not_of(' '); }

/// The operations under `paths:`, read in the layout docs/openapi.yaml keeps (its header says
/// so): a path is a two-space key, an operation a four-space key named after an HTTP method.
Operations documented_operations(const std::string& document) {
  static const std::set<std::string> kMethods{"get",   "put",  "post",    "delete",
                                              "patch", "head", "options", "trace"};
  Operations operations;
  std::istringstream lines{document};
  std::string line;
  bool in_paths = false;
  std::string path;
  while (std::getline(lines, line)) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    const std::size_t indent = indentation(line);
    if (indent == std::string::npos || line[indent] == '#') continue;
    if (indent == 0) {
      in_paths = line == "paths:";
      continue;
    }
    if (!in_paths || line.back() != ':') continue;
    const std::string key = line.substr(indent, line.size() - indent - 1);
    if (indent == 2) {
      path = key;
    } else if (indent == 4 && kMethods.contains(key) && !path.empty()) {
      operations.insert(key + " " + path);
    }
  }
  return operations;
}

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
  service::Open311Service open311{transactions, clock, cases, auth, service::Open311Options{}};
  const Services services{
      grid, catalog, health, cases, auth, reports, audit, staff, addresses, open311, [] {
        return std::vector<service::Gauge>{};
      }};
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
  const std::string document = read_document();

  EXPECT_TRUE(document.starts_with("openapi: 3.1."))
      << "docs/openapi.yaml must start with the version";
}

TEST(OpenApiDocumentTest, ParserFindsOperationsInTheDocumentedLayout) {
  const std::string document =
      "openapi: 3.1.0\n"
      "paths:\n"
      "  /a/{id}:\n"
      "    parameters: []\n"
      "    get:\n"
      "      responses:\n"
      "        post:\n"
      "    post:\n"
      "  # a comment\n"
      "  /b:\n"
      "    delete:\n"
      "components:\n"
      "  /c:\n"
      "    get:\n";

  const Operations operations = documented_operations(document);

  EXPECT_EQ(operations, (Operations{"get /a/{id}", "post /a/{id}", "delete /b"}));
}

TEST(OpenApiDocumentTest, DescribesEveryRouteOfTheRouter) {
  const Operations documented = documented_operations(read_document());
  const Operations routed = routed_operations();

  const std::vector<std::string> undocumented = difference(routed, documented);

  EXPECT_FALSE(routed.empty());
  EXPECT_TRUE(undocumented.empty())
      << "routes of make_api_router missing from docs/openapi.yaml:" << listed(undocumented);
}

TEST(OpenApiDocumentTest, NamesNoRouteTheRouterLacks) {
  const Operations documented = documented_operations(read_document());
  const Operations routed = routed_operations();

  const std::vector<std::string> unrouted = difference(documented, routed);

  EXPECT_FALSE(documented.empty());
  EXPECT_TRUE(unrouted.empty())
      << "operations in docs/openapi.yaml that make_api_router does not route:" << listed(unrouted);
}

}  // namespace
}  // namespace gridcase::http
