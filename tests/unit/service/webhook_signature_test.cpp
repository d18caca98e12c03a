// Deliveries are signed as Standard Webhooks specifies (docs/integrations.md "Webhooks"), so a
// receiver verifies them with any of its libraries; the secrets the server makes have its form.
#include <gtest/gtest.h>

#include <set>
#include <string>

#include "gridcase/domain/webhook.hpp"
#include "gridcase/service/webhook_service.hpp"

namespace gridcase::service {
namespace {

// The example of the Standard Webhooks specification and its reference libraries' tests.
constexpr const char* kSecret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
constexpr const char* kMessageId = "msg_p5jXN8AQM9LWM0D4loKWxJek";
constexpr long long kTimestamp = 1614265330;
constexpr const char* kBody = R"({"test": 2432232314})";

TEST(WebhookSignatureTest, MatchesTheStandardWebhooksExample) {
  EXPECT_EQ(sign_webhook(kSecret, kMessageId, kTimestamp, kBody),
            "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=");
}

TEST(WebhookSignatureTest, AnyChangeOfIdTimestampOrBodyChangesTheSignature) {
  const std::string signature = sign_webhook(kSecret, kMessageId, kTimestamp, kBody);
  EXPECT_NE(sign_webhook(kSecret, "msg_other", kTimestamp, kBody), signature);
  EXPECT_NE(sign_webhook(kSecret, kMessageId, kTimestamp + 1, kBody), signature);
  EXPECT_NE(sign_webhook(kSecret, kMessageId, kTimestamp, R"({"test": 2432232315})"), signature);
  EXPECT_NE(sign_webhook(make_webhook_secret(), kMessageId, kTimestamp, kBody), signature);
}

TEST(WebhookSignatureTest, MadeSecretsAreValidAndNeverRepeat) {
  std::set<std::string> made;
  for (int i = 0; i < 100; ++i) {
    const std::string secret = make_webhook_secret();
    domain::validate_webhook_secret(secret);
    made.insert(secret);
  }
  EXPECT_EQ(made.size(), 100U);
}

}  // namespace
}  // namespace gridcase::service
