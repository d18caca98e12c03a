// The login throttle of AuthService (docs/security.md, Throttling): failures counted per user and
// per address, a lockout that refuses even the right password, a success that clears the user's
// count. The counters are the account port's; the clock is the test's.
#include <gtest/gtest.h>

#include "fixed_clock.hpp"
#include "gridcase/service/auth_service.hpp"
#include "gridcase/service/credentials.hpp"
#include "in_memory_repositories.hpp"
#include "inline_transaction_runner.hpp"
#include "run_sync.hpp"

namespace gridcase::service {
namespace {

using namespace std::chrono_literals;
using domain::ErrorCode;
using domain::Timestamp;

const Timestamp kNow = Timestamp{std::chrono::sys_days{std::chrono::year{2026} / 11 / 23} + 2h};
const std::string kPassword = "correct horse battery";
const std::string kWrong = "wrong password!";
const std::string kAddress = "10.0.0.1";

class AuthServiceThrottleTest : public ::testing::Test {
 protected:
  AuthServiceThrottleTest() {
    add_user("op");
    add_user("other");
  }

  static AuthOptions options() {
    AuthOptions options;
    options.password_cost = PasswordCost::kMinimum;
    options.throttle = domain::LoginThrottle{5, 15min, 15min};
    return options;
  }

  void add_user(const std::string& username) {
    domain::UserSpec spec{username, username, domain::RoleSet{domain::Role::kOperator},
                          {},       {},       true};
    ASSERT_TRUE(store.accounts.insert_user(spec, hash_password(kPassword, PasswordCost::kMinimum)));
  }

  LoginResult login(const std::string& username, const std::string& password,
                    const std::string& address = kAddress) {
    return testing::run_sync(auth.login(username, password, address));
  }

  /// The error a login is refused with; a failure of the test when it succeeds.
  domain::Error refusal(const std::string& username, const std::string& password,
                        const std::string& address = kAddress) {
    try {
      login(username, password, address);
    } catch (const domain::Error& error) {
      return error;
    }
    ADD_FAILURE() << username << " signed in from " << address;
    return domain::Error(ErrorCode::kInternal, "signed in");
  }

  void fail(int times, const std::string& username, const std::string& address = kAddress) {
    for (int i = 0; i < times; ++i) {
      EXPECT_EQ(refusal(username, kWrong, address).code(), ErrorCode::kUnauthenticated);
    }
  }

  testing::FixedClock clock{kNow};
  testing::InMemoryRepositories store{clock};
  testing::InlineTransactionRunner transactions{store};
  AuthService auth{transactions, clock, options()};
};

TEST_F(AuthServiceThrottleTest, FourFailuresStillLetTheRightPasswordIn) {
  fail(4, "op");

  EXPECT_NO_THROW(login("op", kPassword));
}

TEST_F(AuthServiceThrottleTest,
       FiveFailuresForOneUserLockThemOutFromEveryAddressEvenWithTheRightPassword) {
  for (int i = 0; i < 5; ++i) fail(1, "op", "10.0.0." + std::to_string(i));

  const domain::Error error = refusal("op", kPassword, "192.0.2.1");

  EXPECT_EQ(error.code(), ErrorCode::kRateLimited);
  ASSERT_TRUE(error.details().retry_after.has_value());
  EXPECT_EQ(*error.details().retry_after, 15min);
}

TEST_F(AuthServiceThrottleTest, TheLockoutEndsAfterItsPeriod) {
  fail(5, "op");
  clock.advance(15min - 1s);
  EXPECT_EQ(refusal("op", kPassword).code(), ErrorCode::kRateLimited);

  clock.advance(1s);

  EXPECT_NO_THROW(login("op", kPassword));
}

TEST_F(AuthServiceThrottleTest, AttemptsDuringTheLockoutDoNotProlongIt) {
  fail(5, "op");
  clock.advance(10min);
  EXPECT_EQ(refusal("op", kWrong).code(), ErrorCode::kRateLimited);
  EXPECT_EQ(refusal("op", kPassword).code(), ErrorCode::kRateLimited);

  clock.advance(5min);

  EXPECT_NO_THROW(login("op", kPassword));
}

TEST_F(AuthServiceThrottleTest, FiveFailuresFromOneAddressLockThatAddressForEveryUser) {
  fail(2, "op", "192.0.2.7");
  fail(2, "nobody", "192.0.2.7");
  fail(1, "other", "192.0.2.7");

  EXPECT_EQ(refusal("other", kPassword, "192.0.2.7").code(), ErrorCode::kRateLimited);
  EXPECT_NO_THROW(login("other", kPassword, "192.0.2.8"));
}

TEST_F(AuthServiceThrottleTest, FailuresFurtherApartThanTheWindowDoNotAddUp) {
  fail(4, "op");
  clock.advance(15min);
  fail(4, "op");

  EXPECT_NO_THROW(login("op", kPassword));
}

TEST_F(AuthServiceThrottleTest, ASuccessClearsTheUsersFailuresButNotTheAddresss) {
  fail(4, "op");

  login("op", kPassword);
  fail(1, "op");

  EXPECT_EQ(refusal("op", kPassword).code(), ErrorCode::kRateLimited);  // the address: 5
  EXPECT_NO_THROW(login("op", kPassword, "192.0.2.9"));                 // the user: 1
}

TEST_F(AuthServiceThrottleTest, TheLongerOfTheUsersAndTheAddresssLockoutsIsReported) {
  fail(5, "op", "192.0.2.1");  // locks the user and 192.0.2.1 now
  clock.advance(5min);
  fail(5, "other", "192.0.2.2");  // locks 192.0.2.2 five minutes later

  const domain::Error error = refusal("op", kPassword, "192.0.2.2");

  EXPECT_EQ(error.code(), ErrorCode::kRateLimited);
  EXPECT_EQ(error.details().retry_after, std::optional<std::chrono::seconds>{15min});
}

TEST_F(AuthServiceThrottleTest, AnInactiveUsersRightPasswordCountsAsAFailure) {
  store.accounts.users.front().spec.active = false;

  EXPECT_EQ(refusal("op", kPassword).code(), ErrorCode::kUnauthenticated);

  ASSERT_TRUE(store.accounts.login_failures.contains("user:op"));
  EXPECT_EQ(store.accounts.login_failures.at("user:op").failures, 1);
}

TEST_F(AuthServiceThrottleTest, ASuccessfulLoginIssuesASessionTokenForTheUser) {
  const LoginResult result = login("op", kPassword);

  EXPECT_EQ(result.user.spec.username, "op");
  EXPECT_EQ(result.token.expires_at, kNow + 12h);
  ASSERT_EQ(store.accounts.tokens.size(), 1U);
  EXPECT_EQ(store.accounts.tokens[0].record.kind, TokenKind::kSession);
  EXPECT_EQ(store.accounts.tokens[0].digest, token_digest(result.token.token));
}

}  // namespace
}  // namespace gridcase::service
