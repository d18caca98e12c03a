// Graceful stop under load (issue 6): SIGTERM while 8 clients send intakes and lookups. The
// server stops accepting, finishes what it accepted, exits 0 within 10 s, and no accepted request
// gets a 5xx.
#include <gtest/gtest.h>

#include <atomic>
#include <mutex>
#include <thread>

#include "support/case_http.hpp"
#include "support/eventually.hpp"
#include "support/server_process.hpp"
#include "support/test_database.hpp"

namespace gridcase::testing {
namespace {

using namespace std::chrono_literals;

TEST(GracefulStopTest, SigtermUnderLoadFinishesAcceptedRequestsWithoutA5xxAndExitsInTime) {
  ServerProcess server{e2e_database_url()};
  const unsigned short port = server.port();
  const HttpHeaders intake_headers = case_headers("integration");
  const HttpHeaders read_headers = auth_headers("dispatcher");
  std::atomic<bool> stopping{false};
  std::atomic<int> answered{0};
  std::atomic<int> answered_after_sigterm{0};
  std::mutex mutex;
  std::vector<std::string> bad;

  auto client = [&](int id) {
    while (true) {
      HttpResponse response;
      try {
        if (id % 2 == 0) {
          response = http_request(port, "POST", "/api/v1/cases",
                                  case_intake_body("hotline_12345").dump(), intake_headers);
        } else {
          response = http_request(port, "GET", "/api/v1/grid/locate?lon=109.83&lat=40.65", {},
                                  read_headers);
        }
      } catch (const std::exception&) {
        if (stopping) return;  // refused or closed once stopping: never accepted
        std::lock_guard lock{mutex};
        bad.push_back("a request failed before SIGTERM");
        return;
      }
      ++answered;
      if (stopping) ++answered_after_sigterm;
      if (response.status >= 500) {
        std::lock_guard lock{mutex};
        bad.push_back(std::to_string(response.status) + " " + response.body);
      }
    }
  };
  std::vector<std::thread> clients;
  for (int c = 0; c < 8; ++c) clients.emplace_back(client, c);
  EXPECT_TRUE(eventually([&] { return answered.load() >= 100; }, 30s,
                         "100 answers under load before SIGTERM"));
  const int before = answered.load();
  stopping = true;
  const auto sent = std::chrono::steady_clock::now();
  const std::optional<int> exit_code = server.terminate(15s);
  const auto took = std::chrono::steady_clock::now() - sent;
  for (std::thread& thread : clients) thread.join();

  std::printf(
      "graceful stop: %d answered before SIGTERM, %d during the drain, exit %d after %lld ms\n",
      before, answered_after_sigterm.load(), exit_code.value_or(-1),
      static_cast<long long>(std::chrono::duration_cast<std::chrono::milliseconds>(took).count()));
  EXPECT_GT(before, 0);
  EXPECT_EQ(exit_code, 0);
  EXPECT_LT(took, 10s);
  EXPECT_TRUE(bad.empty()) << bad.size()
                           << " bad answers, first: " << (bad.empty() ? "" : bad.front());
}

}  // namespace
}  // namespace gridcase::testing
