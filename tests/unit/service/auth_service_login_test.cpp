// AuthService::login's own logic (docs/security.md, "Failed logins"): the order of its checks,
// an attempt counted before its password is checked and taken back on a match, a lock that
// refuses even the right password, the bounded hashing queue. The counting itself is
// PostgreSQL's (tests/integration/login_throttle_test.cpp); here the account port answers a
// canned lock and records what was counted.
#include <gtest/gtest.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/use_future.hpp>
#include <future>

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
using Attempt = std::pair<std::string, std::string>;

const Timestamp kNow = Timestamp{std::chrono::sys_days{std::chrono::year{2026} / 11 / 23} + 2h};
const std::string kPassword = "correct horse battery";
const std::string kWrong = "wrong password!";
const std::string kAddress = "10.0.0.1";

AuthOptions cheap_options() {
  AuthOptions options;
  options.password_cost = PasswordCost::kMinimum;
  return options;
}

class AuthServiceLoginTest : public ::testing::Test {
 protected:
  AuthServiceLoginTest() {
    add_user("op");
    add_user("other");
  }

  void add_user(const std::string& username) {
    domain::UserSpec spec{username, username, domain::RoleSet{domain::Role::kOperator},
                          {},       {},       true};
    ASSERT_TRUE(store.accounts.insert_user(spec, hash_password(kPassword, PasswordCost::kMinimum)));
  }

  LoginResult login(const std::string& username, const std::string& password) {
    return testing::run_sync(auth.login(username, password, kAddress));
  }

  /// The error a login is refused with; a failure of the test when it succeeds.
  domain::Error refusal(const std::string& username, const std::string& password) {
    try {
      login(username, password);
    } catch (const domain::Error& error) {
      return error;
    }
    ADD_FAILURE() << username << " signed in";
    return domain::Error(ErrorCode::kInternal, "signed in");
  }

  testing::FixedClock clock{kNow};
  testing::InMemoryRepositories store{clock};
  testing::InlineTransactionRunner transactions{store};
  AuthService auth{transactions, clock, cheap_options()};
};

TEST_F(AuthServiceLoginTest, AnAttemptIsCountedBeforeItsPasswordIsCheckedAndAMatchTakesItBack) {
  login("op", kPassword);

  EXPECT_EQ(store.accounts.counted_attempts,
            (std::vector<Attempt>{{"user:op", "address:10.0.0.1"}}));
  EXPECT_EQ(store.accounts.undone_attempts,
            (std::vector<Attempt>{{"user:op", "address:10.0.0.1"}}));
}

TEST_F(AuthServiceLoginTest, AWrongPasswordOrAnInactiveUsersRightOneStaysCounted) {
  store.accounts.users.back().spec.active = false;  // other

  EXPECT_EQ(refusal("op", kWrong).code(), ErrorCode::kUnauthenticated);
  EXPECT_EQ(refusal("other", kPassword).code(), ErrorCode::kUnauthenticated);
  EXPECT_EQ(refusal("nobody", kPassword).code(), ErrorCode::kUnauthenticated);

  EXPECT_EQ(store.accounts.counted_attempts.size(), 3U);
  EXPECT_TRUE(store.accounts.undone_attempts.empty());
}

TEST_F(AuthServiceLoginTest, WhileLockedEvenTheRightPasswordIs429UntilTheLockEnds) {
  store.accounts.login_lock = kNow + 15min - 500ms;

  const domain::Error error = refusal("op", kPassword);

  EXPECT_EQ(error.code(), ErrorCode::kRateLimited);
  EXPECT_EQ(error.details().retry_after, std::optional<std::chrono::seconds>{15min});
  EXPECT_TRUE(store.accounts.undone_attempts.empty());
  EXPECT_TRUE(store.accounts.tokens.empty());
}

TEST_F(AuthServiceLoginTest, AUsernameLongerThanAnyIs422AndCountsNothing) {
  const std::string longest(domain::kMaxUsernameBytes, 'a');

  const domain::Error error = refusal(longest + "a", kPassword);

  EXPECT_EQ(error.code(), ErrorCode::kInvalidValue);
  ASSERT_EQ(error.details().fields.size(), 1U);
  EXPECT_EQ(error.details().fields[0].field, "username");
  EXPECT_TRUE(store.accounts.counted_attempts.empty());
  EXPECT_EQ(refusal(longest, kPassword).code(), ErrorCode::kUnauthenticated);
  EXPECT_EQ(store.accounts.counted_attempts.size(), 1U);
}

TEST_F(AuthServiceLoginTest, WithTheHashingQueueFullALoginIs503WithRetryAfterAndCountsNothing) {
  AuthOptions options = cheap_options();
  options.hashing_threads = 1;
  options.hashing_queue_limit = 1;
  const AuthService limited{transactions, clock, options};
  boost::asio::io_context io;
  // Both start before either's hash completes: the first holds the only place while it is
  // checked on the hashing thread, and its completion is queued behind the second's start.
  std::future<LoginResult> first =
      boost::asio::co_spawn(io, limited.login("op", kPassword, kAddress), boost::asio::use_future);
  std::future<LoginResult> second = boost::asio::co_spawn(
      io, limited.login("other", kPassword, kAddress), boost::asio::use_future);
  io.run();

  EXPECT_EQ(first.get().user.spec.username, "op");
  try {
    second.get();
    ADD_FAILURE() << "the second login was checked beside the first";
  } catch (const domain::Error& error) {
    EXPECT_EQ(error.code(), ErrorCode::kUnavailable);
    EXPECT_EQ(error.details().retry_after, std::optional<std::chrono::seconds>{1s});
  }
  EXPECT_EQ(store.accounts.counted_attempts,
            (std::vector<Attempt>{{"user:op", "address:10.0.0.1"}}));
  EXPECT_EQ(testing::run_sync(limited.login("other", kPassword, kAddress)).user.spec.username,
            "other")
      << "the place is given back once the check is done";
}

TEST_F(AuthServiceLoginTest, ASuccessfulLoginIssuesASessionTokenForTheUser) {
  const LoginResult result = login("op", kPassword);

  EXPECT_EQ(result.user.spec.username, "op");
  EXPECT_EQ(result.token.expires_at, kNow + 12h);
  ASSERT_EQ(store.accounts.tokens.size(), 1U);
  EXPECT_EQ(store.accounts.tokens[0].record.kind, TokenKind::kSession);
  EXPECT_EQ(store.accounts.tokens[0].digest, token_digest(result.token.token));
}

}  // namespace
}  // namespace gridcase::service
