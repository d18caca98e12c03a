// The stream check (src/http/stream_check.cpp): every open event stream held to the token it was
// opened with, looked up again as the account port says now. The token cache plays no part.
#include "http/stream_check.hpp"

#include <gtest/gtest.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/use_future.hpp>

#include "fixed_clock.hpp"
#include "gridcase/service/credentials.hpp"
#include "in_memory_repositories.hpp"
#include "inline_transaction_runner.hpp"
#include "run_sync.hpp"

namespace gridcase::http {
namespace {

using namespace std::chrono_literals;
namespace asio = boost::asio;
using domain::Timestamp;

const Timestamp kNow = Timestamp{std::chrono::sys_days{std::chrono::year{2026} / 11 / 23} + 2h};

/// A database that cannot be reached: every transaction fails as the pool would fail it.
class UnreachableDatabase final : public service::TransactionRunner {
 public:
  asio::awaitable<void> run(Work /*work*/) override {
    throw domain::Error(domain::ErrorCode::kUnavailable, "the database is unreachable");
    co_return;
  }
  asio::awaitable<void> autocommit(Work work) override { return run(std::move(work)); }
};

class StreamCheckTest : public ::testing::Test {
 protected:
  /// A live session token of a new district-wide dispatcher named `username`.
  std::string token_of(const std::string& username) {
    const domain::UserSpec spec{username, username, domain::RoleSet{domain::Role::kDispatcher},
                                {},       {},       true};
    EXPECT_TRUE(store.accounts.insert_user(spec, std::nullopt));
    const long long user_id = store.accounts.find_user(username)->id;
    std::string token = service::new_token();
    store.accounts.insert_token(user_id, service::TokenKind::kSession, std::nullopt,
                                service::token_digest(token), kNow + 1h);
    return token;
  }

  std::shared_ptr<EventSubscription> open_stream(const std::string& token) {
    StreamOwner owner;
    owner.token = token;
    owner.actor = testing::run_sync(auth.authenticate(token));
    return hub.subscribe(strand, FeedFilter{std::nullopt}, std::move(owner));
  }

  /// True when the stream has ended: its next wait returns at once with nothing.
  bool ended(EventSubscription& stream) {
    std::future<std::optional<std::vector<FeedMessage>>> next =
        asio::co_spawn(strand, stream.next(1ms), asio::use_future);
    io.restart();
    io.run();
    return !next.get().has_value();
  }

  testing::FixedClock clock{kNow};
  testing::InMemoryRepositories store{clock};
  testing::InlineTransactionRunner transactions{store};
  service::AuthService auth{transactions, clock, service::AuthOptions{}};
  asio::io_context io;
  asio::any_io_executor strand = asio::make_strand(io);
  EventHub hub{10, 10};
};

TEST_F(StreamCheckTest, AStreamWhoseTokenWasRevokedEndsAndTheOthersGoOn) {
  const std::string revoked = token_of("alice");
  const std::string kept = token_of("bob");
  auto first = open_stream(revoked);
  auto second = open_stream(revoked);
  auto other = open_stream(kept);
  testing::run_sync(auth.logout(revoked));

  testing::run_sync(check_streams(hub, auth, 1h));

  EXPECT_TRUE(ended(*first));
  EXPECT_TRUE(ended(*second));
  EXPECT_FALSE(ended(*other));
}

TEST_F(StreamCheckTest, AStreamEndsWhenItsTokenWasRevokedThroughAnotherProcessDespiteTheCache) {
  const std::string token = token_of("alice");
  auto stream = open_stream(token);  // the token is in this process's cache now
  const long long user_id = store.accounts.find_user("alice")->id;
  store.accounts.revoke_tokens_of(user_id, kNow);  // as another process would, in the database

  testing::run_sync(check_streams(hub, auth, 1h));

  EXPECT_TRUE(ended(*stream));
  EXPECT_THROW(testing::run_sync(auth.authenticate(token)), domain::Error);
}

TEST_F(StreamCheckTest, AStreamEndsWhenItsCallersScopeIsNoLongerTheOneItWasOpenedWith) {
  const std::string token = token_of("alice");
  auto stream = open_stream(token);
  domain::UserSpec narrowed = store.accounts.find_user("alice")->spec;
  narrowed.scope = domain::Scope{domain::ScopeKind::kGrid, "150203004"};
  store.accounts.update_user(store.accounts.find_user("alice")->id, narrowed, std::nullopt);

  testing::run_sync(check_streams(hub, auth, 1h));

  EXPECT_TRUE(ended(*stream));
}

TEST_F(StreamCheckTest, AnOfficersStreamEndsWhenTheOfficersCellsChangeAndGoesOnWhileTheyDoNot) {
  const domain::UserSpec spec{"olga",
                              "olga",
                              domain::RoleSet{domain::Role::kOfficer},
                              {domain::ScopeKind::kOfficer, "KDL0001"},
                              {},
                              true};
  ASSERT_TRUE(store.accounts.insert_user(spec, std::nullopt));
  const std::string token = service::new_token();
  store.accounts.insert_token(store.accounts.find_user("olga")->id, service::TokenKind::kSession,
                              std::nullopt, service::token_digest(token), kNow + 1h);
  store.grid.cells_of_officer["KDL0001"] = {"150203004001001", "150203004001002"};
  StreamOwner owner{token, testing::run_sync(auth.authenticate(token))};
  FeedFilter filter{std::nullopt};
  filter.cells = store.grid.cells_of_officer["KDL0001"];
  auto stream = hub.subscribe(strand, std::move(filter), std::move(owner));

  testing::run_sync(check_streams(hub, auth, 1h));
  ASSERT_FALSE(ended(*stream)) << "the cells did not change";
  store.grid.cells_of_officer["KDL0001"].push_back("150203004001003");  // a new duty
  testing::run_sync(check_streams(hub, auth, 1h));

  EXPECT_TRUE(ended(*stream)) << "the stream kept the cells it was opened with";
}

TEST_F(StreamCheckTest, TheTokensOfEveryOpenStreamAreLookedUpInOneRead) {
  std::vector<std::shared_ptr<EventSubscription>> streams;
  for (const char* name : {"alice", "bob", "carol", "dave"}) {
    streams.push_back(open_stream(token_of(name)));
  }
  const int reads_before = transactions.autocommits;

  testing::run_sync(check_streams(hub, auth, 1h));

  EXPECT_EQ(store.accounts.token_batch_reads, 1);
  EXPECT_EQ(transactions.autocommits - reads_before, 1);
  for (const auto& stream : streams) EXPECT_FALSE(ended(*stream));
}

TEST_F(StreamCheckTest, AStreamWithALiveTokenGoesOnCheckAfterCheck) {
  auto stream = open_stream(token_of("alice"));

  for (int check = 0; check < 3; ++check) testing::run_sync(check_streams(hub, auth, 1h));

  EXPECT_FALSE(ended(*stream));
}

TEST_F(StreamCheckTest, WhenTheLookupFailsOnlyStreamsUnconfirmedForLongerThanThePatienceEnd) {
  auto stream = open_stream(token_of("alice"));
  UnreachableDatabase unreachable;
  const service::AuthService down{unreachable, clock, service::AuthOptions{}};

  EXPECT_THROW(testing::run_sync(check_streams(hub, down, 1h)), domain::Error);
  EXPECT_FALSE(ended(*stream));
  EXPECT_THROW(testing::run_sync(check_streams(hub, down, 0ms)), domain::Error);
  EXPECT_TRUE(ended(*stream));
}

}  // namespace
}  // namespace gridcase::http
