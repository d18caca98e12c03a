// Database crash under load (issue 6): 8 clients send 2,000 keyed intakes while PostgreSQL is
// stopped with `pg_ctl stop -m immediate` (a power cut: crash recovery at the next start) and
// started again 5 s later. While it is down every request that needs it gets 503 problem+json
// with Retry-After at once, /readyz says why, /healthz stays 200; afterwards the same server
// process answers again without a restart, and every acknowledged intake is stored exactly once.
//
// The test stops the shared private cluster (scripts/pg.sh crash): integration and end-to-end
// tests hold ctest's `database` resource lock, so none of them runs meanwhile.
#include <gtest/gtest.h>

#include <atomic>
#include <map>
#include <mutex>
#include <nlohmann/json.hpp>
#include <thread>

#include "support/case_http.hpp"
#include "support/command.hpp"
#include "support/eventually.hpp"
#include "support/server_process.hpp"
#include "support/test_database.hpp"

namespace gridcase::testing {
namespace {

using namespace std::chrono_literals;
using nlohmann::json;
using Clock = std::chrono::steady_clock;

constexpr int kClients = 8;
constexpr int kPerClient = 250;
// Kept sleeps, because they are the scenario: how long a client waits before it retries, and
// how long the database stays down.
constexpr auto kRetryPause = 50ms;
constexpr auto kOutage = 5s;

std::string pg_script(const std::string& verb) {
  return shell_quote(std::string{GRIDCASE_SOURCE_DIR} + "/scripts/pg.sh") + " " + verb;
}

/// Starts the cluster again when the test leaves early, so later tests find it running.
struct ClusterGuard {
  bool down = false;
  ~ClusterGuard() {
    if (down) run_command(pg_script("start"));
  }
};

long long ms_between(Clock::time_point from, Clock::time_point to) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(to - from).count();
}

TEST(DatabaseCrashTest, AnOutageAnswers503AndTheServerRecoversWithoutARestartLosingNothing) {
  const std::string url = e2e_database_url();
  const std::string run = unique_token("dbcrash");
  const HttpHeaders headers_base = case_headers("integration");
  const HttpHeaders read_headers = auth_headers("dispatcher");
  ServerProcess server{url};
  const unsigned short port = server.port();

  std::atomic<bool> database_down{false};
  std::atomic<int> acknowledged{0}, unavailable{0}, no_answer{0}, conflicts{0};
  std::atomic<long long> slowest_while_down_ms{0};
  std::mutex mutex;
  std::vector<std::string> bad;
  std::map<std::string, std::string> case_of_key;
  auto complain = [&](std::string what) {
    std::lock_guard lock{mutex};
    bad.push_back(std::move(what));
  };
  auto check_unavailable = [&](const HttpResponse& response) {
    if (!response.header("Retry-After")) complain("503 without Retry-After");
    if (response.header("Content-Type").value_or("") != "application/problem+json") {
      complain("503 not problem+json: " + response.body);
    }
  };

  auto client = [&](int client_id) {
    for (int i = 0; i < kPerClient; ++i) {
      const std::string key = run + "-" + std::to_string(client_id) + "-" + std::to_string(i);
      json body = case_intake_body("hotline_12345");
      body["description"] = "db crash " + key;
      HttpHeaders headers = headers_base;
      headers.emplace_back("Idempotency-Key", key);
      for (int attempt = 0;; ++attempt) {
        if (attempt > 2000) {
          complain("intake " + key + " never acknowledged");
          return;
        }
        const bool down_before = database_down.load();
        const Clock::time_point started = Clock::now();
        HttpResponse response;
        try {
          response = http_request(port, "POST", "/api/v1/cases", body.dump(), headers);
        } catch (const std::exception& error) {
          ++no_answer;  // the server itself never goes away here: an unanswered request is a defect
          complain(std::string{"no answer: "} + error.what());
          std::this_thread::sleep_for(kRetryPause);
          continue;
        }
        if (down_before && database_down.load()) {
          long long ms = ms_between(started, Clock::now());
          long long seen = slowest_while_down_ms.load();
          while (ms > seen && !slowest_while_down_ms.compare_exchange_weak(seen, ms)) {
          }
        }
        if (response.status == 201) {
          const std::string case_no = json::parse(response.body).at("case_no");
          std::lock_guard lock{mutex};
          auto [it, fresh] = case_of_key.emplace(key, case_no);
          if (!fresh) bad.push_back("acknowledged twice: " + key);
          ++acknowledged;
          break;
        }
        if (response.status == 503) {
          ++unavailable;
          check_unavailable(response);
        } else if (response.status == 409) {
          ++conflicts;  // the key's first attempt is still settling
        } else {
          complain(std::to_string(response.status) + " " + response.body);
          return;
        }
        std::this_thread::sleep_for(kRetryPause);
      }
    }
  };

  std::vector<std::thread> clients;
  for (int c = 0; c < kClients; ++c) clients.emplace_back(client, c);
  EXPECT_TRUE(eventually([&] { return acknowledged.load() >= 200; }, 60s,
                         "200 intakes acknowledged before the crash"));

  ClusterGuard guard;
  const int acknowledged_at_crash = acknowledged.load();
  const auto [crash_output, crash_status] = run_command(pg_script("crash"));
  const Clock::time_point crashed = Clock::now();
  ASSERT_EQ(crash_status, 0) << crash_output;
  guard.down = true;
  database_down = true;
  const int acknowledged_at_stop = acknowledged.load();

  // While it is down: quick 503s with Retry-After for what needs the database, /readyz says why,
  // /healthz (the process itself) stays 200.
  EXPECT_TRUE(eventually([&] { return http_get(port, "/readyz").status == 503; }, 5s,
                         "/readyz reports the outage"));
  const Clock::time_point probe_started = Clock::now();
  const HttpResponse read_down =
      http_request(port, "GET", "/api/v1/grid/locate?lon=109.83&lat=40.65", {}, read_headers);
  const long long read_down_ms = ms_between(probe_started, Clock::now());
  const HttpResponse ready_down = http_get(port, "/readyz");
  const HttpResponse health_down = http_get(port, "/healthz");
  EXPECT_EQ(read_down.status, 503U) << read_down.body;
  check_unavailable(read_down);
  EXPECT_LT(read_down_ms, 3000) << "a request waited for the database instead of answering 503";
  EXPECT_EQ(ready_down.status, 503U) << ready_down.body;
  EXPECT_NE(ready_down.body.find("database"), std::string::npos) << ready_down.body;
  EXPECT_EQ(health_down.status, 200U) << health_down.body;

  std::this_thread::sleep_until(crashed + kOutage);
  const int acknowledged_while_down = acknowledged.load();
  const auto [start_output, start_status] = run_command(pg_script("start"));
  ASSERT_EQ(start_status, 0) << start_output;
  guard.down = false;
  const Clock::time_point database_back = Clock::now();
  database_down = false;

  // The same process recovers by itself: the first success after the database is back.
  long long recovered_ms = -1;
  if (poll_until(
          [&] {
            return http_request(port, "GET", "/api/v1/grid/locate?lon=109.83&lat=40.65", {},
                                read_headers)
                       .status == 200;
          },
          30s)) {
    recovered_ms = ms_between(database_back, Clock::now());
  }
  for (std::thread& thread : clients) thread.join();
  const HttpResponse ready_after = http_get(port, "/readyz");

  const long long stored = std::stoll(query_scalar(
      url, "SELECT count(*) FROM cases WHERE description LIKE 'db crash " + run + "-%'"));
  const long long distinct = std::stoll(query_scalar(
      url, "SELECT count(DISTINCT description) FROM cases WHERE description LIKE 'db crash " + run +
               "-%'"));
  std::printf(
      "database crash: stopped -m immediate with %d acknowledged (%d more while pg_ctl stopped it, "
      "%d after); "
      "%d answered 503 (slowest %lld ms while down), %d 409; first read served %lld ms after the "
      "restart; %d acknowledged, %lld stored, %lld duplicates\n",
      acknowledged_at_crash, acknowledged_at_stop - acknowledged_at_crash,
      acknowledged_while_down - acknowledged_at_stop, unavailable.load(),
      slowest_while_down_ms.load(), conflicts.load(), recovered_ms, acknowledged.load(), stored,
      stored - distinct);
  EXPECT_TRUE(bad.empty()) << bad.size()
                           << " bad answers, first: " << (bad.empty() ? "" : bad.front());
  EXPECT_EQ(no_answer.load(), 0);
  EXPECT_GT(unavailable.load(), 0) << "the outage was never seen";
  EXPECT_LT(slowest_while_down_ms.load(), 3000);
  EXPECT_GE(recovered_ms, 0) << "the server did not recover without a restart";
  EXPECT_EQ(ready_after.status, 200U) << ready_after.body;
  EXPECT_EQ(acknowledged.load(), kClients * kPerClient);
  EXPECT_EQ(stored, kClients * kPerClient) << "every acknowledged intake exactly once";
  EXPECT_EQ(distinct, stored) << "no duplicates";
  const json case_of_description =
      json::parse(query_scalar(url,
                               "SELECT coalesce(json_object_agg(description, case_no), '{}') FROM "
                               "cases WHERE description LIKE 'db crash " +
                                   run + "-%'"));
  for (const auto& [key, case_no] : case_of_key) {
    EXPECT_EQ(case_of_description.value("db crash " + key, ""), case_no)
        << "the acknowledged case of " << key;
  }
}

}  // namespace
}  // namespace gridcase::testing
