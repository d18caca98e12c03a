// The webhook administration (issue 16, docs/integrations.md "Webhooks") on the demo server's
// default configuration: only a district-wide admin registers, reads, changes and deletes
// webhooks; the secret is shown once; every refusal is problem+json and stores nothing; a
// loopback or private target is refused unless webhooks.allow_private_targets says otherwise.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "support/case_http.hpp"
#include "support/demo_server.hpp"
#include "support/test_database.hpp"

namespace gridcase::testing {
namespace {

using nlohmann::json;

class WebhookAdminApiTest : public DemoServerTest {
 protected:
  void SetUp() override {
    DemoServerTest::SetUp();
    account_ = scoped_account("e2e-webhook-admin", "integration", "district");
    query_scalar(e2e_database_url(), "DELETE FROM webhooks WHERE account = '" + account_ + "'");
  }
  void TearDown() override {
    query_scalar(e2e_database_url(), "DELETE FROM webhooks WHERE account = '" + account_ + "'");
  }

  static HttpResponse as(std::string_view role, std::string_view method, const std::string& target,
                         const json& body = nullptr) {
    return http_request(port(), method, target, body.is_null() ? std::string{} : body.dump(),
                        body.is_null() ? auth_headers(role) : case_headers(role));
  }

  json valid() const {
    return {{"account", account_},
            {"url", "https://hooks.example.cn/gridcase?district=150203"},
            {"events", {"case.reply", "notice.task"}}};
  }

  std::string account_;
};

TEST_F(WebhookAdminApiTest, AnAdminRegistersReadsChangesAndDeletesAWebhook) {
  const HttpResponse created = as("admin", "POST", "/api/v1/webhooks", valid());

  ASSERT_EQ(created.status, 201U) << created.body;
  const json webhook = json_of(created);
  const std::string path = "/api/v1/webhooks/" + std::to_string(webhook.at("id").get<long long>());
  EXPECT_EQ(created.header("Location"), path);
  EXPECT_EQ(created.header("Cache-Control"), "no-store") << "the answer shows the secret";
  EXPECT_TRUE(webhook.at("secret").get<std::string>().starts_with("whsec_"));
  EXPECT_EQ(webhook.at("account"), account_);
  EXPECT_EQ(webhook.at("events"), json({"case.reply", "notice.task"}));
  EXPECT_EQ(webhook.at("deliveries").at("pending"), 0);

  const HttpResponse read = as("admin", "GET", path);
  ASSERT_EQ(read.status, 200U) << read.body;
  EXPECT_FALSE(json_of(read).contains("secret")) << "the secret is shown once";
  const HttpResponse listed = as("admin", "GET", "/api/v1/webhooks?limit=200");
  ASSERT_EQ(listed.status, 200U) << listed.body;
  EXPECT_EQ(listed.body.find(webhook.at("secret").get<std::string>()), std::string::npos);

  const HttpResponse changed =
      as("admin", "PATCH", path, {{"active", false}, {"events", {"case.*"}}});
  ASSERT_EQ(changed.status, 200U) << changed.body;
  EXPECT_EQ(json_of(changed).at("active"), false);
  EXPECT_EQ(json_of(changed).at("events"), json({"case.*"}));

  const HttpResponse deleted = as("admin", "DELETE", path);
  EXPECT_EQ(deleted.status, 204U) << deleted.body;
  EXPECT_TRUE(is_problem(as("admin", "GET", path), 404));
  EXPECT_TRUE(is_problem(as("admin", "DELETE", path), 404));
  EXPECT_EQ(query_scalar(e2e_database_url(), "SELECT count(*) FROM admin_audit WHERE target = '" +
                                                 std::to_string(webhook.at("id").get<long long>()) +
                                                 "' AND action LIKE 'webhook.%'"),
            "3")
      << "create, update and delete are audited";
}

TEST_F(WebhookAdminApiTest, EveryRefusalIsAProblemAndStoresNothing) {
  const long long before = e2e_rows("webhooks");
  auto with = [this](const char* field, const json& value) {
    json body = valid();
    body[field] = value;
    return body;
  };
  struct Refused {
    const char* what;
    std::string role;
    json body;
    unsigned status;
    const char* field;
  };
  const std::vector<Refused> refusals{
      {"plain http", "admin", with("url", "http://hooks.example.cn/x"), 422, "url"},
      {"no host", "admin", with("url", "https:///x"), 422, "url"},
      {"user information", "admin", with("url", "https://a:b@hooks.example.cn/"), 422, "url"},
      {"loopback", "admin", with("url", "https://127.0.0.1:8443/x"), 422, "url"},
      {"private", "admin", with("url", "https://10.1.2.3/x"), 422, "url"},
      {"link-local", "admin", with("url", "https://[fe80::1]/x"), 422, "url"},
      {"mapped loopback", "admin", with("url", "https://[::ffff:127.0.0.1]/x"), 422, "url"},
      {"localhost", "admin", with("url", "https://localhost/x"), 422, "url"},
      {"unknown event", "admin", with("events", {"case.explode"}), 422, "events[0]"},
      {"no events", "admin", with("events", json::array()), 422, "events"},
      {"bad secret", "admin", with("secret", "not-a-secret"), 422, "secret"},
      {"no such account", "admin", with("account", "nobody-at-all"), 422, "account"},
      {"not an integration", "admin", with("account", "operator"), 422, "account"},
      {"unknown field", "admin", with("callback", "x"), 400, "callback"},
      {"a shift leader", "shift_leader", valid(), 403, ""},
      {"the integration itself", "integration", valid(), 403, ""},
  };
  for (const Refused& refused : refusals) {
    const HttpResponse answer = as(refused.role, "POST", "/api/v1/webhooks", refused.body);
    EXPECT_TRUE(is_problem(answer, refused.status)) << refused.what << ": " << answer.body;
    if (*refused.field != '\0') {
      EXPECT_EQ(error_fields(answer), std::vector<std::string>{refused.field})
          << refused.what << ": " << answer.body;
    }
  }
  EXPECT_TRUE(is_problem(as("admin", "GET", "/api/v1/webhooks/99999999"), 404));
  EXPECT_TRUE(is_problem(as("admin", "GET", "/api/v1/webhooks/abc"), 404));
  EXPECT_TRUE(is_problem(as("admin", "GET", "/api/v1/webhooks?limit=0"), 422));
  EXPECT_TRUE(is_problem(as("operator", "GET", "/api/v1/webhooks"), 403));
  EXPECT_EQ(e2e_rows("webhooks"), before);
}

TEST_F(WebhookAdminApiTest, DeliveriesAndRetriesOfAWebhookWithNoneAreEmptyAndMissingAnswer404) {
  const HttpResponse created = as("admin", "POST", "/api/v1/webhooks", valid());
  ASSERT_EQ(created.status, 201U) << created.body;
  const std::string path =
      "/api/v1/webhooks/" + std::to_string(json_of(created).at("id").get<long long>());

  const HttpResponse listed = as("admin", "GET", path + "/deliveries?state=dead");
  ASSERT_EQ(listed.status, 200U) << listed.body;
  EXPECT_TRUE(json_of(listed).at("items").empty());
  EXPECT_TRUE(is_problem(as("admin", "GET", path + "/deliveries?state=lost"), 422));
  const HttpResponse retried = as("admin", "POST", path + "/retry");
  ASSERT_EQ(retried.status, 200U) << retried.body;
  EXPECT_EQ(json_of(retried).at("retried"), 0);
  EXPECT_TRUE(is_problem(as("admin", "POST", path + "/deliveries/99999999/retry"), 404));
}

}  // namespace
}  // namespace gridcase::testing
