#include "gridcase/storage/event_listener.hpp"

#include <gtest/gtest.h>

#include <condition_variable>
#include <mutex>
#include <thread>
#include <vector>

#include "eventually.hpp"
#include "test_database.hpp"

namespace gridcase::storage {
namespace {

using namespace std::chrono_literals;
using std::chrono::steady_clock;

/// What the listener handed over, on its thread.
class Received {
 public:
  EventListener::Callback callback() {
    return [this](std::string payload) {
      {
        std::lock_guard lock{mutex_};
        payloads_.push_back(std::move(payload));
      }
      arrived_.notify_all();
    };
  }

  /// True once `payload` has arrived (waiting at most `timeout`).
  bool wait_for(const std::string& payload, std::chrono::milliseconds timeout) {
    std::unique_lock lock{mutex_};
    return arrived_.wait_for(lock, timeout, [&] {
      return std::find(payloads_.begin(), payloads_.end(), payload) != payloads_.end();
    });
  }

 private:
  std::mutex mutex_;
  std::condition_variable arrived_;
  std::vector<std::string> payloads_;
};

class EventListenerTest : public ::testing::Test {
 protected:
  void SetUp() override { url_ = testing::test_database_url(); }

  void notify(const std::string& payload) {
    testing::query_scalar(url_, "SELECT pg_notify('gridcase_events', '" + payload + "')");
  }

  std::string url_;
  Received received_;
};

TEST_F(EventListenerTest, HandsOverTheNotificationsOfItsChannel) {
  EventListener listener{testing::database_options(url_), kEventsChannel};
  listener.start(received_.callback());
  ASSERT_TRUE(testing::eventually([&] { return listener.is_listening(); }, 10s, "LISTENing"));

  notify("{\"id\": 1}");

  EXPECT_TRUE(received_.wait_for("{\"id\": 1}", 10s));
}

TEST_F(EventListenerTest, IgnoresOtherChannels) {
  EventListener listener{testing::database_options(url_), kEventsChannel};
  listener.start(received_.callback());
  ASSERT_TRUE(testing::eventually([&] { return listener.is_listening(); }, 10s, "LISTENing"));

  testing::query_scalar(url_, "SELECT pg_notify('another_channel', 'elsewhere')");
  notify("here");

  ASSERT_TRUE(received_.wait_for("here", 10s));
  EXPECT_FALSE(received_.wait_for("elsewhere", 0ms));
}

TEST_F(EventListenerTest, ListensAgainAfterItsConnectionIsKilled) {
  storage::DatabaseOptions options = testing::database_options(url_);
  options.reconnect_backoff = 100ms;
  EventListener listener{options, kEventsChannel};
  listener.start(received_.callback());
  ASSERT_TRUE(testing::eventually([&] { return listener.is_listening(); }, 10s, "LISTENing"));

  const std::string killed = testing::query_scalar(
      url_,
      "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
      "WHERE datname = current_database() AND application_name = 'gridcase_listener'");
  ASSERT_NE(killed, "0");

  // Notifications sent while it reconnects are lost: keep sending until one arrives.
  int attempt = 0;
  EXPECT_TRUE(testing::eventually(
      [&] {
        const std::string payload = "after-" + std::to_string(++attempt);
        notify(payload);
        return received_.wait_for(payload, 200ms);
      },
      15s, "a notification heard after the reconnect"));
}

TEST_F(EventListenerTest, StopsPromptly) {
  EventListener listener{testing::database_options(url_), kEventsChannel};
  listener.start(received_.callback());
  ASSERT_TRUE(testing::eventually([&] { return listener.is_listening(); }, 10s, "LISTENing"));

  const auto started = steady_clock::now();
  listener.stop();

  EXPECT_LT(steady_clock::now() - started, 2s);
  EXPECT_FALSE(listener.is_listening());
}

TEST_F(EventListenerTest, AnUnreachableDatabaseIsRetriedAndStillStopsPromptly) {
  DatabaseOptions options = testing::database_options("postgresql://gridcase@127.0.0.1:1/gridcase");
  EventListener listener{options, kEventsChannel};
  listener.start(received_.callback());
  // Kept: the subject is stopping while the listener fails to connect and backs off, and
  // nothing outside it shows that it has tried; 300 ms is a few attempts at any speed.
  std::this_thread::sleep_for(300ms);

  EXPECT_FALSE(listener.is_listening());
  const auto started = steady_clock::now();
  listener.stop();
  EXPECT_LT(steady_clock::now() - started, 2s);
}

}  // namespace
}  // namespace gridcase::storage
