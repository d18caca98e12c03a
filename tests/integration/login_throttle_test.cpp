// Failed logins against the real PostgreSQL (docs/security.md, "Failed logins";
// sql/functions/220_gridcase_count_login_attempt.sql, 221_gridcase_undo_login_attempt.sql):
// attempts counted per username and per address before the password is checked, atomically
// across concurrent attempts, a lock that refuses even the right password, and a success that
// takes its own attempt back.
#include <gtest/gtest.h>

#include <latch>
#include <pqxx/pqxx>
#include <thread>

#include "fixed_clock.hpp"
#include "gridcase/service/auth_service.hpp"
#include "run_sync.hpp"
#include "test_database.hpp"

namespace gridcase::testing {
namespace {

using namespace std::chrono_literals;
using domain::ErrorCode;

constexpr const char* kUserPrefix = "it-login-";
constexpr const char* kPassword = "correct horse battery";
constexpr const char* kWrong = "wrong password!";
constexpr const char* kAddress = "it-login-10.0.0.1";
constexpr int kUserLimit = 5;
constexpr int kAddressLimit = 8;
const domain::Timestamp kNow{std::chrono::sys_days{std::chrono::year{2031} / 4 / 1} + 2h};

class LoginThrottleTest : public ::testing::Test {
 protected:
  void SetUp() override {
    url_ = test_database_url();
    storage::apply_migrations(database_options(url_));
    delete_accounts(url_, kUserPrefix, kUserPrefix);
    database_ = storage::open_database(database_options(url_));
    service::AuthOptions options;
    options.password_cost = service::PasswordCost::kMinimum;
    options.throttle = domain::LoginThrottle{kUserLimit, kAddressLimit, 15min, 15min};
    options.hashing_queue_limit = 64;  // every concurrent guess reaches the count
    auth_ = std::make_unique<service::AuthService>(*database_, clock_, options);
    for (const char* name : {"op", "other", "third"}) {
      const domain::UserSpec spec{std::string(kUserPrefix) + name,
                                  name,
                                  domain::RoleSet{domain::Role::kOperator},
                                  {},
                                  {},
                                  true};
      run_sync(auth_->create_user(spec, std::string(kPassword), domain::command_line_actor()));
    }
  }
  void TearDown() override {
    auth_.reset();
    database_.reset();
    if (!url_.empty()) delete_accounts(url_, kUserPrefix, kUserPrefix);
  }

  service::LoginResult login(const std::string& name, const std::string& password = kPassword,
                             const std::string& address = kAddress) {
    return run_sync(auth_->login(kUserPrefix + name, password, address));
  }

  /// The error a login is refused with; a failure of the test when it succeeds.
  domain::Error refusal(const std::string& name, const std::string& password = kPassword,
                        const std::string& address = kAddress) {
    try {
      login(name, password, address);
    } catch (const domain::Error& error) {
      return error;
    }
    ADD_FAILURE() << name << " signed in from " << address;
    return domain::Error(ErrorCode::kInternal, "signed in");
  }

  void fail(int times, const std::string& name, const std::string& address = kAddress) {
    for (int i = 0; i < times; ++i) {
      EXPECT_EQ(refusal(name, kWrong, address).code(), ErrorCode::kUnauthenticated) << i;
    }
  }

  /// The stored count of `key` ("" when there is no record).
  std::string failures_of(const std::string& key) {
    return query_scalar(url_, "SELECT failures FROM login_failures WHERE key = '" + key + "'");
  }

  std::string url_;
  std::unique_ptr<storage::Database> database_;
  FixedClock clock_{kNow};
  std::unique_ptr<service::AuthService> auth_;
};

TEST_F(LoginThrottleTest, FourFailuresStillLetTheRightPasswordIn) {
  fail(4, "op");

  EXPECT_NO_THROW(login("op"));
}

TEST_F(LoginThrottleTest,
       FiveFailuresForOneUserLockThemOutFromEveryAddressEvenWithTheRightPassword) {
  for (int i = 0; i < 5; ++i) fail(1, "op", "it-login-10.0.0." + std::to_string(i + 2));

  const domain::Error error = refusal("op", kPassword, "it-login-192.0.2.1");

  EXPECT_EQ(error.code(), ErrorCode::kRateLimited);
  EXPECT_EQ(error.details().retry_after, std::optional<std::chrono::seconds>{15min});
}

TEST_F(LoginThrottleTest, TheLockoutEndsAfterItsPeriod) {
  fail(5, "op");
  clock_.advance(15min - 1s);
  EXPECT_EQ(refusal("op").code(), ErrorCode::kRateLimited);

  clock_.advance(1s);

  EXPECT_NO_THROW(login("op"));
}

TEST_F(LoginThrottleTest, AttemptsDuringTheLockoutAreNotCountedAndDoNotProlongIt) {
  fail(5, "op");
  clock_.advance(10min);
  EXPECT_EQ(refusal("op", kWrong).code(), ErrorCode::kRateLimited);
  EXPECT_EQ(refusal("op").code(), ErrorCode::kRateLimited);
  EXPECT_EQ(failures_of(std::string("user:") + kUserPrefix + "op"), "5");
  EXPECT_EQ(failures_of(std::string("address:") + kAddress), "5");

  clock_.advance(5min);

  EXPECT_NO_THROW(login("op"));
}

TEST_F(LoginThrottleTest, OnePersonLockingTheirAccountDoesNotLockTheirSharedAddress) {
  fail(5, "op");
  EXPECT_EQ(refusal("op").code(), ErrorCode::kRateLimited);

  EXPECT_NO_THROW(login("other")) << "a colleague at the next desk, behind the same address";
}

TEST_F(LoginThrottleTest, AttemptsFromOneAddressUpToItsLimitLockThatAddressForEveryUser) {
  fail(4, "op");
  fail(4, "third");

  EXPECT_EQ(refusal("other").code(), ErrorCode::kRateLimited);
  EXPECT_NO_THROW(login("other", kPassword, "it-login-10.0.0.9"));
}

TEST_F(LoginThrottleTest, FailuresFurtherApartThanTheWindowDoNotAddUp) {
  fail(4, "op");
  clock_.advance(15min);
  fail(4, "op");

  EXPECT_NO_THROW(login("op"));
}

TEST_F(LoginThrottleTest, ASuccessClearsTheUsersCountAndTakesOnlyItsOwnAttemptOffTheAddresss) {
  fail(4, "op");

  login("op");

  EXPECT_EQ(failures_of(std::string("user:") + kUserPrefix + "op"), "");
  EXPECT_EQ(failures_of(std::string("address:") + kAddress), "4");
  fail(4, "third");
  EXPECT_EQ(refusal("op").code(), ErrorCode::kRateLimited);  // the address: 8
}

TEST_F(LoginThrottleTest, TheLongerOfTheUsersAndTheAddresssLockoutsIsReported) {
  fail(5, "op", "it-login-192.0.2.1");  // locks the user now
  clock_.advance(5min);
  fail(4, "other", "it-login-192.0.2.2");
  fail(4, "third", "it-login-192.0.2.2");  // locks 192.0.2.2 five minutes later

  const domain::Error error = refusal("op", kPassword, "it-login-192.0.2.2");

  EXPECT_EQ(error.code(), ErrorCode::kRateLimited);
  EXPECT_EQ(error.details().retry_after, std::optional<std::chrono::seconds>{15min});
}

TEST_F(LoginThrottleTest, AnInactiveUsersRightPasswordStaysCounted) {
  query_scalar(url_, std::string("UPDATE users SET active = false WHERE username = '") +
                         kUserPrefix + "op' RETURNING id");

  EXPECT_EQ(refusal("op").code(), ErrorCode::kUnauthenticated);

  EXPECT_EQ(failures_of(std::string("user:") + kUserPrefix + "op"), "1");
}

TEST_F(LoginThrottleTest, ConcurrentGuessesPassTheLockOnlyAsOftenAsItAllows) {
  constexpr int kGuesses = 24;
  std::vector<ErrorCode> answers(kGuesses, ErrorCode::kInternal);
  std::latch ready{kGuesses};
  std::vector<std::thread> guessers;
  for (int i = 0; i < kGuesses; ++i) {
    guessers.emplace_back([&, i] {
      ready.arrive_and_wait();
      try {
        run_sync(auth_->login(std::string(kUserPrefix) + "op", kWrong,
                              "it-login-10.1.0." + std::to_string(i)));
      } catch (const domain::Error& error) {
        answers[static_cast<std::size_t>(i)] = error.code();
      }
    });
  }
  for (std::thread& guesser : guessers) guesser.join();

  EXPECT_EQ(std::count(answers.begin(), answers.end(), ErrorCode::kUnauthenticated), kUserLimit);
  EXPECT_EQ(std::count(answers.begin(), answers.end(), ErrorCode::kRateLimited),
            kGuesses - kUserLimit);
  EXPECT_EQ(failures_of(std::string("user:") + kUserPrefix + "op"), std::to_string(kUserLimit));
}

TEST_F(LoginThrottleTest, ARecordsKeyIsBoundedByTheTable) {
  EXPECT_THROW(query_scalar(url_,
                            "SELECT gridcase_count_login_attempt('user:' || repeat('a', 300), "
                            "'address:it-login-1', now(), 5, 100, '15 min', '15 min')"),
               pqxx::check_violation);
}

}  // namespace
}  // namespace gridcase::testing
