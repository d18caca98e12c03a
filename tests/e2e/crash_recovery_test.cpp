// Crash under load (issue 6): 2,000 intakes from 8 clients, each with its own Idempotency-Key;
// the server is killed with SIGKILL at a random moment (after 20 to 619 acknowledged intakes)
// and started again on the same database; clients retry what was not acknowledged with the same
// key. Every acknowledged case must be there exactly once, and no retry may create a second case.
#include <gtest/gtest.h>

#include <atomic>
#include <map>
#include <mutex>
#include <random>
#include <thread>

#include "support/case_http.hpp"
#include "support/demo_server.hpp"
#include "support/eventually.hpp"
#include "support/server_process.hpp"
#include "support/test_database.hpp"

namespace gridcase::testing {
namespace {

using namespace std::chrono_literals;
using nlohmann::json;

constexpr int kClients = 8;
constexpr int kPerClient = 250;
// Kept sleep: how long a client waits before it retries is part of the load, not a guess.
constexpr auto kRetryPause = 50ms;

TEST(CrashRecoveryTest, AKilledServerLosesNoAcknowledgedIntakeAndRetriesCreateNoDuplicates) {
  const std::string url = e2e_database_url();
  const std::string run = unique_token("crash");
  const HttpHeaders auth = case_headers("integration");
  auto server = std::make_unique<ServerProcess>(url);
  std::atomic<unsigned short> port{server->port()};
  std::atomic<int> acknowledged{0};
  std::atomic<int> retries{0};
  std::mutex mutex;
  std::map<std::string, std::string> case_of_key;  // acknowledged: Idempotency-Key → case number
  std::map<std::string, int> answers_per_key;

  auto client = [&](int client_id) {
    std::mt19937 random{static_cast<unsigned>(client_id)};
    for (int i = 0; i < kPerClient; ++i) {
      const std::string key = run + "-" + std::to_string(client_id) + "-" + std::to_string(i);
      const double lon = 109.78 + static_cast<double>(random() % 80000) / 1e6;
      const double lat = 40.61 + static_cast<double>(random() % 60000) / 1e6;
      json body = case_intake_body("hotline_12345", lon, lat);
      body["description"] = "crash test " + key;
      HttpHeaders headers = auth;
      headers.emplace_back("Idempotency-Key", key);
      for (int attempt = 0;; ++attempt) {
        ASSERT_LT(attempt, 600) << "intake " << key << " never acknowledged";
        HttpResponse response;
        try {
          response = http_request(port.load(), "POST", "/api/v1/cases", body.dump(), headers);
        } catch (const std::exception&) {
          ++retries;  // no answer: the server is down or restarting
          std::this_thread::sleep_for(kRetryPause);
          continue;
        }
        if (response.status == 201) {
          const std::string case_no = json::parse(response.body).at("case_no");
          std::lock_guard lock{mutex};
          auto [it, fresh] = case_of_key.emplace(key, case_no);
          EXPECT_EQ(it->second, case_no) << "a retry of " << key << " answered another case";
          ++answers_per_key[key];
          ++acknowledged;
          break;
        }
        // 409: the first attempt's transaction is still open (the killed server's session); 503:
        // the database connection was lost mid-request. Both are retried with the same key.
        ASSERT_TRUE(response.status == 409 || response.status == 503)
            << response.status << " " << response.body;
        ++retries;
        std::this_thread::sleep_for(kRetryPause);
      }
    }
  };

  std::vector<std::thread> clients;
  for (int c = 0; c < kClients; ++c) clients.emplace_back(client, c);
  // A random moment of the load, counted in acknowledged intakes rather than guessed in time.
  std::mt19937 random{std::random_device{}()};
  const int kill_at = 20 + static_cast<int>(random() % 600);
  const auto started = std::chrono::steady_clock::now();
  EXPECT_TRUE(eventually([&] { return acknowledged.load() >= kill_at; }, 60s,
                         std::to_string(kill_at) + " intakes acknowledged before the kill"));
  const auto kill_after = std::chrono::duration_cast<std::chrono::milliseconds>(
      std::chrono::steady_clock::now() - started);
  const int acknowledged_at_kill = acknowledged.load();
  server->kill_hard();
  const auto killed_at = std::chrono::steady_clock::now();
  server = std::make_unique<ServerProcess>(url);
  port = server->port();
  const auto recovered_after = std::chrono::steady_clock::now() - killed_at;
  for (std::thread& thread : clients) thread.join();

  const long long in_database = std::stoll(query_scalar(
      url, "SELECT count(*) FROM cases WHERE description LIKE 'crash test " + run + "-%'"));
  const long long distinct_keys = std::stoll(query_scalar(
      url, "SELECT count(DISTINCT description) FROM cases WHERE description LIKE 'crash test " +
               run + "-%'"));
  std::printf(
      "crash test: killed after %lld ms with %d acknowledged; up again after %lld ms; %d "
      "acknowledged, "
      "%d retries, %lld cases stored, %lld duplicates\n",
      static_cast<long long>(kill_after.count()), acknowledged_at_kill,
      static_cast<long long>(
          std::chrono::duration_cast<std::chrono::milliseconds>(recovered_after).count()),
      acknowledged.load(), retries.load(), in_database, in_database - distinct_keys);
  EXPECT_EQ(acknowledged.load(), kClients * kPerClient);
  EXPECT_EQ(in_database, kClients * kPerClient) << "every acknowledged case exactly once";
  EXPECT_EQ(distinct_keys, in_database) << "no duplicates";
  for (const auto& [key, case_no] : case_of_key) {
    EXPECT_EQ(query_scalar(url, "SELECT description FROM cases WHERE case_no = '" + case_no + "'"),
              "crash test " + key);
  }
  for (const auto& [key, answers] : answers_per_key) EXPECT_EQ(answers, 1) << key;
}

}  // namespace
}  // namespace gridcase::testing
