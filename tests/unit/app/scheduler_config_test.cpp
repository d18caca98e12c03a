#include <gtest/gtest.h>

#include <stdexcept>

#include "gridcase/app/config.hpp"

namespace gridcase::app {
namespace {

using namespace std::chrono_literals;

std::string refusal_of(const std::string& text) {
  try {
    parse_config(text, "test.json");
  } catch (const std::runtime_error& error) {
    return error.what();
  }
  ADD_FAILURE() << "accepted: " << text;
  return {};
}

TEST(SchedulerConfigTest, DefaultsTickEverySecondInBatchesOfAThousand) {
  const Config config = parse_config("{}", "test.json");

  EXPECT_TRUE(config.scheduler.enabled);
  EXPECT_EQ(config.scheduler.interval, 1000ms);
  EXPECT_EQ(config.scheduler.batch_limit, 1000);
}

TEST(SchedulerConfigTest, SchedulerSectionIsRead) {
  const Config config = parse_config(
      R"({"scheduler": {"enabled": false, "interval_ms": 250, "batch_limit": 50}})", "test.json");

  EXPECT_FALSE(config.scheduler.enabled);
  EXPECT_EQ(config.scheduler.interval, 250ms);
  EXPECT_EQ(config.scheduler.batch_limit, 50);
}

TEST(SchedulerConfigTest, OutOfRangeOrUnknownSchedulerKeysAreRefused) {
  EXPECT_NE(refusal_of(R"({"scheduler": {"interval_ms": 10}})").find("scheduler.interval_ms"),
            std::string::npos);
  EXPECT_NE(refusal_of(R"({"scheduler": {"batch_limit": 0}})").find("scheduler.batch_limit"),
            std::string::npos);
  EXPECT_NE(refusal_of(R"({"scheduler": {"enabled": 1}})").find("scheduler.enabled"),
            std::string::npos);
  EXPECT_NE(refusal_of(R"({"scheduler": {"tick": 1}})").find("scheduler.tick"), std::string::npos);
}

TEST(SchedulerConfigTest, EventStreamLimitsDefaultAndAreRead) {
  const Config defaults = parse_config("{}", "test.json");
  const Config config = parse_config(
      R"({"http": {"max_streams": 3, "stream_queue_events": 20, "stream_keepalive_seconds": 5, "stream_replay_events": 7}})",
      "test.json");

  EXPECT_EQ(defaults.http.max_streams, 1000U);
  EXPECT_EQ(defaults.http.stream_queue_events, 1000U);
  EXPECT_EQ(defaults.http.stream_keepalive, 15s);
  EXPECT_EQ(config.http.max_streams, 3U);
  EXPECT_EQ(config.http.stream_queue_events, 20U);
  EXPECT_EQ(config.http.stream_keepalive, 5s);
  EXPECT_EQ(defaults.http.stream_replay_events, 10000U);
  EXPECT_EQ(config.http.stream_replay_events, 7U);
  EXPECT_NE(
      refusal_of(R"({"http": {"stream_replay_events": 0}})").find("http.stream_replay_events"),
      std::string::npos);
  EXPECT_NE(refusal_of(R"({"http": {"max_streams": 0}})").find("http.max_streams"),
            std::string::npos);
}

TEST(SchedulerConfigTest, EventStreamsPerAccountDefaultToTenAndAreRead) {
  const Config defaults = parse_config("{}", "test.json");
  const Config config = parse_config(R"({"http": {"max_streams_per_account": 2}})", "test.json");

  EXPECT_EQ(defaults.http.max_streams_per_account, 10U);
  EXPECT_EQ(config.http.max_streams_per_account, 2U);
  EXPECT_NE(refusal_of(R"({"http": {"max_streams_per_account": 0}})")
                .find("http.max_streams_per_account"),
            std::string::npos);
}

TEST(SchedulerConfigTest, TheShippedConfigFileLoads) {
  const Config config = load_config(GRIDCASE_SOURCE_DIR "/config/gridcase.json", {});

  EXPECT_TRUE(config.scheduler.enabled);
  EXPECT_EQ(config.scheduler.interval, 1000ms);
  EXPECT_EQ(config.http.max_streams, 1000U);
}

}  // namespace
}  // namespace gridcase::app
