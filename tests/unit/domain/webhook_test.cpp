// Webhook rules (domain/webhook.hpp, docs/integrations.md "Webhooks"): which URLs a webhook may
// post to, which addresses the sender may connect to, the event types, the secret's form, and
// the retry schedule.
#include "gridcase/domain/webhook.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <set>
#include <string>
#include <vector>

#include "error_of.hpp"

namespace gridcase::domain {
namespace {

using namespace std::chrono_literals;
using testing::error_of;
using testing::first_field;

TEST(WebhookTargetTest, ParsesHostPortAndTarget) {
  const WebhookTarget plain = parse_webhook_target("https://Hooks.Example.cn");
  EXPECT_EQ(plain.host, "hooks.example.cn");
  EXPECT_EQ(plain.port, 443);
  EXPECT_EQ(plain.target, "/");
  EXPECT_FALSE(plain.host_is_ip_literal);

  const WebhookTarget full = parse_webhook_target("HTTPS://203.0.114.9:8443/in/gridcase?k=v");
  EXPECT_EQ(full.host, "203.0.114.9");
  EXPECT_EQ(full.port, 8443);
  EXPECT_EQ(full.target, "/in/gridcase?k=v");
  EXPECT_TRUE(full.host_is_ip_literal);

  const WebhookTarget query = parse_webhook_target("https://hooks.example.cn?k=v");
  EXPECT_EQ(query.target, "/?k=v");

  const WebhookTarget v6 = parse_webhook_target("https://[2400:3200::1]:9443/x");
  EXPECT_EQ(v6.host, "2400:3200::1");
  EXPECT_EQ(v6.port, 9443);
  EXPECT_TRUE(v6.host_is_ip_literal);
}

TEST(WebhookTargetTest, RefusesWhatIsNotAPlainHttpsUrl) {
  for (const char* url :
       {"http://hooks.example.cn/", "ftp://hooks.example.cn/", "https://", "https:///x",
        "https://user:pw@hooks.example.cn/", "https://hooks.example.cn/#frag",
        "https://hooks.example.cn:0/", "https://hooks.example.cn:65536/",
        "https://hooks.example.cn:/", "https://hooks.example.cn:8x/", "https://[::1/",
        "https://[zz::1]/", "https://[::1]x/", "https://bad_host.example.cn/",
        "https://-lead.example.cn/", "https://hooks..example.cn/", "https://hooks example.cn/",
        "https://例子.cn/"}) {
    const Error error = error_of([url] { parse_webhook_target(url); });
    EXPECT_EQ(error.code(), ErrorCode::kInvalidValue) << url;
    EXPECT_EQ(first_field(error), "url") << url;
  }
  const std::string too_long = "https://hooks.example.cn/" + std::string(kMaxWebhookUrlBytes, 'a');
  EXPECT_EQ(first_field(error_of([&] { parse_webhook_target(too_long); })), "url");
}

TEST(WebhookAddressTest, ClassifiesEveryKindOfAddress) {
  struct Case {
    const char* address;
    AddressKind kind;
  };
  for (const Case& c : std::vector<Case>{{"0.0.0.0", AddressKind::kUnspecified},
                                         {"127.0.0.1", AddressKind::kLoopback},
                                         {"127.255.1.2", AddressKind::kLoopback},
                                         {"10.1.2.3", AddressKind::kPrivate},
                                         {"172.16.0.1", AddressKind::kPrivate},
                                         {"172.31.255.255", AddressKind::kPrivate},
                                         {"172.32.0.1", AddressKind::kPublic},
                                         {"192.168.1.1", AddressKind::kPrivate},
                                         {"100.64.0.1", AddressKind::kPrivate},
                                         {"169.254.169.254", AddressKind::kLinkLocal},
                                         {"192.0.2.1", AddressKind::kOther},
                                         {"224.0.0.1", AddressKind::kOther},
                                         {"255.255.255.255", AddressKind::kOther},
                                         {"203.0.114.9", AddressKind::kPublic},
                                         {"::", AddressKind::kUnspecified},
                                         {"::1", AddressKind::kLoopback},
                                         {"::ffff:127.0.0.1", AddressKind::kLoopback},
                                         {"::ffff:10.0.0.1", AddressKind::kPrivate},
                                         {"fd00::1", AddressKind::kPrivate},
                                         {"fe80::1", AddressKind::kLinkLocal},
                                         {"ff02::1", AddressKind::kOther},
                                         {"2001:db8::1", AddressKind::kOther},
                                         {"::7f00:1", AddressKind::kOther},
                                         {"64:ff9b::a00:1", AddressKind::kPrivate},
                                         {"64:ff9b::7f00:1", AddressKind::kLoopback},
                                         {"64:ff9b::cb00:7209", AddressKind::kPublic},
                                         {"2002:c0a8:101::1", AddressKind::kPrivate},
                                         {"2002:cb00:7209::1", AddressKind::kPublic},
                                         {"2400:3200::1", AddressKind::kPublic}}) {
    EXPECT_EQ(classify_address(c.address), c.kind) << c.address;
  }
  EXPECT_EQ(classify_address("hooks.example.cn"), std::nullopt);
  EXPECT_EQ(classify_address("127.1"), std::nullopt);
}

TEST(WebhookAddressTest, PrivateAddressesOnlyWhenAllowedReservedOnesNever) {
  EXPECT_TRUE(may_connect(AddressKind::kPublic, false));
  for (AddressKind kind :
       {AddressKind::kLoopback, AddressKind::kPrivate, AddressKind::kLinkLocal}) {
    EXPECT_FALSE(may_connect(kind, false));
    EXPECT_TRUE(may_connect(kind, true));
  }
  for (AddressKind kind : {AddressKind::kUnspecified, AddressKind::kOther}) {
    EXPECT_FALSE(may_connect(kind, true));
  }
}

TEST(WebhookEventsTest, KnownTypesAreKeptSortedOnce) {
  EXPECT_EQ(validate_webhook_events({"notice.task", "case.reply", "case.*", "case.overdue",
                                     "case.escalated", "notice.urge", "notice.escalation"}),
            (std::vector<std::string>{"case.*", "case.escalated", "case.overdue", "case.reply",
                                      "notice.escalation", "notice.task", "notice.urge"}));
}

TEST(WebhookEventsTest, RefusesUnknownRepeatedAndTooManyTypes) {
  EXPECT_EQ(first_field(error_of([] { validate_webhook_events({}); })), "events");
  EXPECT_EQ(first_field(error_of([] {
              validate_webhook_events({"case.reply", "case.fly"});
            })),
            "events[1]");
  EXPECT_EQ(first_field(error_of([] { validate_webhook_events({"notice.*"}); })), "events[0]");
  EXPECT_EQ(first_field(error_of([] {
              validate_webhook_events({"case.reply", "case.reply"});
            })),
            "events[1]");
  const std::vector<std::string> many(65, "case.reply");
  EXPECT_EQ(first_field(error_of([&] { validate_webhook_events(many); })), "events");
}

TEST(WebhookSecretTest, AcceptsStandardWebhooksSecretsOf24To64Bytes) {
  validate_webhook_secret("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw");  // 24 bytes
  validate_webhook_secret("whsec_" + std::string(43, 'A') + "=");     // 32 bytes
  for (const std::string& secret : std::vector<std::string>{
           "MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", "whsec_", "whsec_c2hvcnQ=",
           "whsec_" + std::string(88, 'A'), "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaS!",
           "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaS", "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaL=Sw"}) {
    EXPECT_EQ(first_field(error_of([&] { validate_webhook_secret(secret); })), "secret") << secret;
  }
}

TEST(WebhookRetryTest, DelaysDoubleWithinASpreadUpToTheLongest) {
  const auto first = 10'000ms;
  const auto longest = 3'600'000ms;
  for (std::int64_t key : {1, 2, 77, 123456789}) {
    for (int attempts = 1; attempts <= 12; ++attempts) {
      const double base =
          std::min(10'000.0 * static_cast<double>(1LL << (attempts - 1)), 3'600'000.0);
      const auto delay = webhook_retry_delay(attempts, first, longest, key);
      EXPECT_GE(delay.count(), static_cast<long long>(base * 0.75) - 1) << attempts;
      EXPECT_LE(delay.count(), static_cast<long long>(std::min(base * 1.25, 3'600'000.0)))
          << attempts;
    }
  }
  EXPECT_LE(webhook_retry_delay(1'000'000, first, longest, 5), longest);
  EXPECT_EQ(webhook_retry_delay(3, first, longest, 42), webhook_retry_delay(3, first, longest, 42));
  std::set<long long> spread;
  for (std::int64_t key = 1; key <= 20; ++key) {
    spread.insert(webhook_retry_delay(1, first, longest, key).count());
  }
  EXPECT_GT(spread.size(), 10U) << "deliveries that failed together are not retried together";
}

TEST(WebhookRetryTest, GivesUpOnceRetryForHasPassed) {
  EXPECT_FALSE(webhook_gives_up(86'399'999ms, 86'400'000ms));
  EXPECT_TRUE(webhook_gives_up(86'400'000ms, 86'400'000ms));
}

}  // namespace
}  // namespace gridcase::domain
