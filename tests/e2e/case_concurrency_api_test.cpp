#include <gtest/gtest.h>

#include <latch>
#include <memory>
#include <thread>

#include "case_http.hpp"
#include "demo_server.hpp"

namespace gridcase::testing {
namespace {

using nlohmann::json;

using CaseConcurrencyApiTest = DemoServerTest;

TEST_F(CaseConcurrencyApiTest, TwentyParallelDispatchesOfOneCaseHaveExactlyOneWinner) {
  constexpr std::size_t kDispatchers = 20;
  const std::string case_no = create_registered_case(port());  // version 2
  const std::string target = "/api/v1/cases/" + case_no + "/actions/dispatch";
  const std::string body = json{{"unit", "150203004-enforcement"}}.dump();
  std::vector<std::unique_ptr<HttpConnection>> connections;
  for (std::size_t i = 0; i < kDispatchers; ++i)
    connections.push_back(std::make_unique<HttpConnection>(port()));
  std::vector<unsigned> statuses(kDispatchers, 0);
  std::latch ready{static_cast<std::ptrdiff_t>(kDispatchers)};

  std::vector<std::thread> dispatchers;
  for (std::size_t i = 0; i < kDispatchers; ++i) {
    dispatchers.emplace_back([&, i] {
      // Half send the version they read, half send none: losers get 412 or 409.
      HttpHeaders extra;
      if (i % 2 == 0) extra.emplace_back("If-Match", "\"2\"");
      const HttpHeaders headers = case_headers("dispatcher", extra);
      ready.arrive_and_wait();
      try {
        statuses[i] = connections[i]->request("POST", target, body, headers).status;
      } catch (const std::exception&) {
        statuses[i] = 0;  // no answer: counted as neither winner nor loser below
      }
    });
  }
  for (std::thread& dispatcher : dispatchers) dispatcher.join();

  const auto winners = std::count(statuses.begin(), statuses.end(), 200U);
  const auto losers = std::count_if(statuses.begin(), statuses.end(), [](unsigned status) {
    return status == 409U || status == 412U;
  });
  EXPECT_EQ(winners, 1);
  EXPECT_EQ(losers, static_cast<long>(kDispatchers) - 1);
  const json found = json_of(get_as(port(), "/api/v1/cases/" + case_no));
  const auto dispatches =
      std::count_if(found.at("events").begin(), found.at("events").end(),
                    [](const json& event) { return event.at("action") == "dispatch"; });
  EXPECT_EQ(dispatches, 1);
  EXPECT_EQ(found.at("version"), 3);
  EXPECT_EQ(found.at("status"), "dispatched");
}

}  // namespace
}  // namespace gridcase::testing
