// The auth keys of failed logins and the hashing queue (docs/configuration.md, `auth`).
#include <gtest/gtest.h>

#include <stdexcept>

#include "gridcase/app/config.hpp"

namespace gridcase::app {
namespace {

/// The message parse_config throws for `text`; fails the test when it accepts it.
std::string refusal_of(const std::string& text) {
  try {
    parse_config(text, "test.json");
  } catch (const std::runtime_error& error) {
    return error.what();
  }
  ADD_FAILURE() << "accepted: " << text;
  return {};
}

TEST(LoginConfigTest, TheAddressLimitIsHighAndTheHashingQueueBoundedByDefault) {
  const Config config = parse_config("{}", "test.json");

  EXPECT_EQ(config.auth.throttle.max_failures, 5);
  EXPECT_EQ(config.auth.throttle.max_address_failures, 100);
  EXPECT_EQ(config.auth.hashing_threads, 2);
  EXPECT_EQ(config.auth.hashing_queue_limit, 16);
}

TEST(LoginConfigTest, LoginAndHashingKeysAreRead) {
  const Config config = parse_config(R"({"auth": {"login_max_failures": 3,
    "login_max_failures_per_address": 40, "hashing_threads": 4, "hashing_queue_limit": 8}})",
                                     "test.json");

  EXPECT_EQ(config.auth.throttle.max_failures, 3);
  EXPECT_EQ(config.auth.throttle.max_address_failures, 40);
  EXPECT_EQ(config.auth.hashing_threads, 4);
  EXPECT_EQ(config.auth.hashing_queue_limit, 8);
}

TEST(LoginConfigTest, AnAddressLimitBelowTheUsernamesOrAQueueShorterThanItsThreadsIsRefused) {
  EXPECT_NE(
      refusal_of(R"({"auth": {"login_max_failures": 10, "login_max_failures_per_address": 9}})")
          .find("auth.login_max_failures_per_address: must be at least login_max_failures"),
      std::string::npos);
  EXPECT_NE(refusal_of(R"({"auth": {"hashing_threads": 4, "hashing_queue_limit": 3}})")
                .find("auth.hashing_queue_limit: must be at least hashing_threads"),
            std::string::npos);
  EXPECT_NE(refusal_of(R"({"auth": {"hashing_queue_limit": 0}})").find("auth.hashing_queue_limit"),
            std::string::npos);
  EXPECT_NE(refusal_of(R"({"auth": {"hashing_threads": 65}})").find("auth.hashing_threads"),
            std::string::npos);
}

}  // namespace
}  // namespace gridcase::app
