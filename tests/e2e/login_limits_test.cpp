// Failed logins, the hashing queue, long and reserved usernames over HTTP against the real
// binary (docs/security.md, "Logins and account names"), on servers configured with low limits.
// All requests come from 127.0.0.1, whose record is shared by every test of the run: each test
// starts from no failed logins.
#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <fstream>
#include <functional>
#include <latch>
#include <thread>

#include "support/case_http.hpp"
#include "support/demo_server.hpp"
#include "support/server_process.hpp"
#include "support/test_database.hpp"

namespace gridcase::testing {
namespace {

using namespace std::chrono_literals;
using nlohmann::json;

constexpr const char* kPassword = "长城 correct horse 42";
constexpr int kUserLimit = 3;
constexpr int kAddressLimit = 6;

void forget_failed_logins() {
  query_scalar(e2e_database_url(),
               "WITH gone AS (DELETE FROM login_failures RETURNING 1) SELECT count(*) FROM gone");
}

/// A server on the e2e database with `auth` as its config's auth section.
std::unique_ptr<ServerProcess> server_with(const json& auth) {
  const std::string config = "/tmp/gridcase-login-limits-" + std::to_string(::getpid()) + ".json";
  std::ofstream{config} << json{{"auth", auth}}.dump();
  auto server = std::make_unique<ServerProcess>(e2e_database_url(),
                                                std::map<std::string, std::string>{}, 60s, config);
  std::remove(config.c_str());
  return server;
}

HttpResponse create_user(unsigned short port, const std::string& username) {
  HttpHeaders headers = auth_headers("admin");
  headers.emplace_back("Content-Type", "application/json");
  return http_request(port, "POST", "/api/v1/users",
                      json{{"username", username},
                           {"display_name", "测试用户"},
                           {"roles", {"operator"}},
                           {"password", kPassword}}
                          .dump(),
                      headers);
}

/// A new operator account; fails the test unless it is created.
std::string new_operator(unsigned short port) {
  const std::string username = unique_token("e2e-login");
  const HttpResponse created = create_user(port, username);
  EXPECT_EQ(created.status, 201U) << created.body;
  return username;
}

std::string sign_in_body(const std::string& username, const std::string& password) {
  return json{{"username", username}, {"password", password}}.dump();
}

HttpResponse sign_in(unsigned short port, const std::string& username,
                     const std::string& password) {
  return http_request(port, "POST", "/api/v1/sessions", sign_in_body(username, password),
                      {{"Content-Type", "application/json"}});
}

/// The statuses of `count` logins sent at once, each on a connection of its own.
std::vector<HttpResponse> at_once(unsigned short port, std::size_t count,
                                  const std::function<std::string(std::size_t)>& body_of) {
  std::vector<std::unique_ptr<HttpConnection>> connections;
  for (std::size_t i = 0; i < count; ++i)
    connections.push_back(std::make_unique<HttpConnection>(port, 30s));
  std::vector<HttpResponse> answers(count);
  std::latch ready{static_cast<std::ptrdiff_t>(count)};
  std::vector<std::thread> senders;
  for (std::size_t i = 0; i < count; ++i) {
    senders.emplace_back([&, i] {
      const std::string body = body_of(i);
      ready.arrive_and_wait();
      try {
        answers[i] = connections[i]->request("POST", "/api/v1/sessions", body,
                                             {{"Content-Type", "application/json"}});
      } catch (const std::exception&) {
        answers[i].status = 0;  // no answer: counted as neither below
      }
    });
  }
  for (std::thread& sender : senders) sender.join();
  return answers;
}

long with_status(const std::vector<HttpResponse>& answers, unsigned status) {
  return std::count_if(answers.begin(), answers.end(),
                       [&](const HttpResponse& answer) { return answer.status == status; });
}

class LoginLimitsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    forget_failed_logins();
    server_ = server_with({{"login_max_failures", kUserLimit},
                           {"login_max_failures_per_address", kAddressLimit},
                           {"hashing_queue_limit", 64}});
  }
  void TearDown() override {
    server_.reset();
    forget_failed_logins();
  }

  unsigned short port() const { return server_->port(); }

  std::unique_ptr<ServerProcess> server_;
};

TEST_F(LoginLimitsTest, ManyConcurrentWrongGuessesPassTheLockoutOnlyAsOftenAsItAllows) {
  constexpr std::size_t kGuesses = 30;
  const std::string username = new_operator(port());

  const std::vector<HttpResponse> answers = at_once(port(), kGuesses, [&](std::size_t i) {
    return sign_in_body(username, "wrong guess " + std::to_string(i));
  });

  EXPECT_EQ(with_status(answers, 401), kUserLimit);
  EXPECT_EQ(with_status(answers, 429), static_cast<long>(kGuesses) - kUserLimit);
  for (const HttpResponse& answer : answers) {
    if (answer.status == 429) {
      EXPECT_TRUE(answer.header("Retry-After").has_value());
    }
  }
  const HttpResponse right = sign_in(port(), username, kPassword);
  EXPECT_TRUE(is_problem(right, 429)) << "the right password waits for the lockout too";
}

TEST_F(LoginLimitsTest, OnePersonsLockoutLeavesTheSharedAddressToColleaguesUntilItsOwnLimit) {
  const std::string careless = new_operator(port());
  const std::string colleague = new_operator(port());
  for (int i = 0; i < kUserLimit; ++i)
    EXPECT_EQ(sign_in(port(), careless, "a typo").status, 401U) << i;
  EXPECT_EQ(sign_in(port(), careless, kPassword).status, 429U);

  EXPECT_EQ(sign_in(port(), colleague, kPassword).status, 201U) << "same address, other account";

  for (int i = kUserLimit; i < kAddressLimit; ++i)
    EXPECT_EQ(sign_in(port(), unique_token("e2e-nobody"), "a guess").status, 401U) << i;
  const HttpResponse locked = sign_in(port(), colleague, kPassword);
  EXPECT_TRUE(is_problem(locked, 429)) << locked.body;
  EXPECT_TRUE(locked.header("Retry-After").has_value());
}

TEST_F(LoginLimitsTest, AUsernameOfAFewKilobytesIs422OnLoginAndOnAccountCreation) {
  const std::string huge(4096, 'a');

  const HttpResponse login = sign_in(port(), huge, kPassword);
  const HttpResponse created = create_user(port(), huge);
  const HttpResponse just_over = sign_in(port(), std::string(65, 'a'), kPassword);

  EXPECT_TRUE(is_problem(login, 422)) << login.body;
  EXPECT_EQ(error_fields(login), std::vector<std::string>{"username"});
  EXPECT_TRUE(is_problem(created, 422)) << created.body;
  EXPECT_EQ(error_fields(created), std::vector<std::string>{"username"});
  EXPECT_TRUE(is_problem(just_over, 422)) << just_over.body;
  EXPECT_EQ(sign_in(port(), std::string(64, 'a'), kPassword).status, 401U);
}

TEST_F(LoginLimitsTest, TheActorNamesSystemAndCliCannotBeTakenByAnAccount) {
  for (const char* name : {"system", "cli", "SYSTEM", "Cli"}) {
    const HttpResponse created = create_user(port(), name);

    EXPECT_TRUE(is_problem(created, 422)) << name << ": " << created.body;
    EXPECT_EQ(error_fields(created), std::vector<std::string>{"username"}) << name;
  }
  EXPECT_EQ(query_scalar(e2e_database_url(),
                         "SELECT count(*) FROM users WHERE lower(username) IN ('system', 'cli')"),
            "0");
}

TEST(LoginHashingQueueTest, LoginsBeyondAFullHashingQueueAre503WithRetryAfterAndCountNothing) {
  const std::unique_ptr<ServerProcess> server =
      server_with({{"hashing_threads", 1},
                   {"hashing_queue_limit", 1},
                   {"login_max_failures_per_address", 1000}});
  constexpr std::size_t kLogins = 12;
  std::vector<HttpResponse> answers;
  // An unknown user costs a full argon2id check (the decoy): a burst of them outruns one place.
  for (int burst = 0; burst < 5 && with_status(answers, 503) == 0; ++burst) {
    forget_failed_logins();
    answers = at_once(server->port(), kLogins, [&](std::size_t) {
      return sign_in_body(unique_token("e2e-nobody"), "a guess");
    });
  }

  EXPECT_GT(with_status(answers, 503), 0);
  EXPECT_EQ(with_status(answers, 503) + with_status(answers, 401), static_cast<long>(kLogins));
  for (const HttpResponse& answer : answers) {
    if (answer.status != 503) continue;
    EXPECT_TRUE(is_problem(answer, 503)) << answer.body;
    EXPECT_EQ(answer.header("Retry-After"), "1");
  }
  EXPECT_EQ(query_scalar(e2e_database_url(),
                         "SELECT failures FROM login_failures WHERE key = 'address:127.0.0.1'"),
            std::to_string(with_status(answers, 401)))
      << "only the logins that were checked are counted";
  forget_failed_logins();
}

}  // namespace
}  // namespace gridcase::testing
