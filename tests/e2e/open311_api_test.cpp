#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "case_http.hpp"
#include "demo_server.hpp"
#include "gridcase/domain/time_text.hpp"
#include "http_client.hpp"
#include "server_process.hpp"
#include "test_database.hpp"

// A GeoReport v2 client against the real server (docs/integrations.md, "Open311 GeoReport v2"):
// discovery, services, a definition, filing with an api_key, reading back by id, search and
// token, in JSON and XML, and every error the specification names.

namespace gridcase::testing {
namespace {

using namespace std::chrono_literals;
using nlohmann::json;

constexpr const char* kBase = "/open311/v2";

void forget_open311_reads() {
  query_scalar(e2e_database_url(),
               "WITH gone AS (DELETE FROM login_failures WHERE key LIKE 'open311:%' RETURNING 1) "
               "SELECT count(*) FROM gone");
}

/// The server on the e2e database with `open311` as its config's open311 section, logging at
/// info so that the access log can be read.
std::unique_ptr<ServerProcess> server_with(const json& open311) {
  const std::string config = "/tmp/gridcase-open311-" + std::to_string(::getpid()) + ".json";
  std::ofstream{config} << json{{"open311", open311}}.dump();
  auto server = std::make_unique<ServerProcess>(
      e2e_database_url(), std::map<std::string, std::string>{{"GRIDCASE_LOG_LEVEL", "info"}}, 60s,
      config);
  std::remove(config.c_str());
  return server;
}

std::string form_escape(std::string_view text) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (const char ch : text) {
    const auto byte = static_cast<unsigned char>(ch);
    if (std::isalnum(byte) || ch == '-' || ch == '_' || ch == '.' || ch == '~') {
      out += ch;
    } else {
      out += '%';
      out += kHex[byte >> 4];
      out += kHex[byte & 15];
    }
  }
  return out;
}

std::string form(const std::vector<std::pair<std::string, std::string>>& fields) {
  std::string body;
  for (const auto& [name, value] : fields) {
    body += (body.empty() ? "" : "&") + form_escape(name) + "=" + form_escape(value);
  }
  return body;
}

/// The texts of every <tag>…</tag> of an XML answer, entities decoded: enough of a parser for
/// the flat documents Open311 answers with.
std::vector<std::string> xml_texts(const std::string& xml, const std::string& tag) {
  std::vector<std::string> texts;
  const std::string open = "<" + tag + ">";
  const std::string close = "</" + tag + ">";
  for (std::size_t at = xml.find(open); at != std::string::npos; at = xml.find(open, at)) {
    const std::size_t start = at + open.size();
    const std::size_t end = xml.find(close, start);
    if (end == std::string::npos) break;
    std::string text = xml.substr(start, end - start);
    std::string decoded;
    for (std::size_t i = 0; i < text.size(); ++i) {
      static const std::pair<const char*, char> kEntities[] = {
          {"&lt;", '<'}, {"&gt;", '>'}, {"&quot;", '"'}, {"&apos;", '\''}, {"&amp;", '&'}};
      bool replaced = false;
      for (const auto& [entity, ch] : kEntities) {
        if (text.compare(i, std::strlen(entity), entity) == 0) {
          decoded += ch;
          i += std::strlen(entity) - 1;
          replaced = true;
          break;
        }
      }
      if (!replaced) decoded += text[i];
    }
    texts.push_back(std::move(decoded));
    at = end + close.size();
  }
  return texts;
}

bool is_xml(const HttpResponse& response) {
  return response.header("Content-Type") == "text/xml; charset=utf-8" &&
         response.body.starts_with(R"(<?xml version="1.0" encoding="UTF-8"?>)");
}

/// An Open311 error answer: `status`, and a list of {code: status, description} in JSON or
/// <errors><error><code/><description/></error></errors> in XML.
::testing::AssertionResult is_open311_error(const HttpResponse& response, unsigned status,
                                            bool xml = false) {
  if (response.status != status) {
    return ::testing::AssertionFailure()
           << "status " << response.status << ", not " << status << ": " << response.body;
  }
  if (xml) {
    const std::vector<std::string> codes = xml_texts(response.body, "code");
    if (!is_xml(response) || response.body.find("<errors><error>") == std::string::npos ||
        codes.empty() || codes[0] != std::to_string(status) ||
        xml_texts(response.body, "description").empty()) {
      return ::testing::AssertionFailure() << "not an XML Open311 error: " << response.body;
    }
    return ::testing::AssertionSuccess();
  }
  const json body = json::parse(response.body, nullptr, false);
  if (response.header("Content-Type") != "application/json; charset=utf-8" || !body.is_array() ||
      body.empty() || !body[0].is_object() || body[0].value("code", 0U) != status ||
      !body[0].contains("description") || !body[0]["description"].is_string()) {
    return ::testing::AssertionFailure() << "not a JSON Open311 error: " << response.body;
  }
  return ::testing::AssertionSuccess();
}

class Open311ApiTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    forget_open311_reads();
    server_ = server_with({{"reads_per_minute", 100000}});
  }
  static void TearDownTestSuite() {
    server_.reset();
    forget_open311_reads();
  }

  static unsigned short port() { return server_->port(); }

  static HttpResponse get(const std::string& path) {
    return http_request(port(), "GET", std::string(kBase) + path);
  }
  static HttpResponse post_form(
      const std::string& path, const std::string& body,
      const std::string& content_type = "application/x-www-form-urlencoded") {
    return http_request(port(), "POST", std::string(kBase) + path, body,
                        {{"Content-Type", content_type}});
  }

  /// A valid filing at the README point as the demo integration account, plus `extra`.
  static std::vector<std::pair<std::string, std::string>> filing(
      std::vector<std::pair<std::string, std::string>> extra = {}) {
    std::vector<std::pair<std::string, std::string>> fields{
        {"api_key", demo_token("integration")},
        {"jurisdiction_id", "150203"},
        {"service_code", "event:0102"},
        {"lat", "40.65"},
        {"long", "109.83"},
        {"description", "小区门口垃圾堆放 <三天> & 无人清理"},
        {"first_name", "三"},
        {"last_name", "张"},
        {"phone", "13812345678"}};
    fields.insert(fields.end(), extra.begin(), extra.end());
    return fields;
  }

  static std::unique_ptr<ServerProcess> server_;
};

std::unique_ptr<ServerProcess> Open311ApiTest::server_;

TEST_F(Open311ApiTest, DiscoveryServicesAndADefinitionDescribeTheCatalogueInJsonAndXml) {
  const HttpResponse discovery = get("/discovery.json");
  const HttpResponse discovery_xml = get("/discovery.xml");
  const HttpResponse services = get("/services.json?jurisdiction_id=150203");
  const HttpResponse services_xml = get("/services.xml");
  const HttpResponse definition = get("/services/event:0101.json");
  const HttpResponse definition_xml = get("/services/event%3A0101.xml");

  ASSERT_EQ(discovery.status, 200U) << discovery.body;
  const json endpoints = json_of(discovery).at("endpoints");
  EXPECT_EQ(endpoints[0].at("specification"), "http://wiki.open311.org/GeoReport_v2");
  EXPECT_EQ(endpoints[0].at("formats"), json::array({"application/json", "text/xml"}));
  ASSERT_EQ(discovery_xml.status, 200U);
  EXPECT_TRUE(is_xml(discovery_xml)) << discovery_xml.body;
  EXPECT_EQ(xml_texts(discovery_xml.body, "format").size(), 2U);

  ASSERT_EQ(services.status, 200U) << services.body;
  const json list = json_of(services);
  ASSERT_TRUE(list.is_array());
  const auto manhole = std::find_if(list.begin(), list.end(), [](const json& service) {
    return service.at("service_code") == "component:0101";
  });
  ASSERT_NE(manhole, list.end());
  EXPECT_EQ(manhole->at("type"), "realtime");
  EXPECT_EQ(manhole->at("metadata"), true);
  EXPECT_EQ(manhole->at("group"), "component");
  EXPECT_TRUE(manhole->at("service_name").get<std::string>().starts_with("上水井盖"));
  ASSERT_EQ(services_xml.status, 200U);
  EXPECT_TRUE(is_xml(services_xml));
  EXPECT_EQ(xml_texts(services_xml.body, "service_code").size(), list.size());

  ASSERT_EQ(definition.status, 200U) << definition.body;
  const json attribute = json_of(definition).at("attributes").at(0);
  EXPECT_EQ(json_of(definition).at("service_code"), "event:0101");
  EXPECT_EQ(attribute.at("code"), "condition");
  EXPECT_EQ(attribute.at("datatype"), "singlevaluelist");
  EXPECT_FALSE(attribute.at("values").empty());
  ASSERT_EQ(definition_xml.status, 200U);
  EXPECT_EQ(xml_texts(definition_xml.body, "service_code"), std::vector<std::string>{"event:0101"});
  EXPECT_EQ(xml_texts(definition_xml.body, "key").size(), attribute.at("values").size());
}

TEST_F(Open311ApiTest, AFilingEntersTheLifecycleAndReadsBackPubliclyByIdSearchAndToken) {
  const json definition = json_of(get("/services/event:0102.json"));
  const std::string condition =
      definition.at("attributes").at(0).at("values").at(0).at("key").get<std::string>();

  const HttpResponse filed = post_form(
      "/requests.json", form(filing({{"attribute[condition]", condition},
                                     {"media_url", "https://photos.example.cn/web/1.jpg"}})));

  ASSERT_EQ(filed.status, 201U) << filed.body;
  const json answer = json_of(filed).at(0);
  const std::string id = answer.at("service_request_id").get<std::string>();
  const std::string token = answer.at("token").get<std::string>();
  EXPECT_EQ(token.size(), 32U);
  // The normal intake: a web case of the integration, located in the README point's cell.
  EXPECT_EQ(e2e_rows("cases WHERE case_no = '" + id +
                     "' AND channel = 'web' AND received_by = 'integration' AND status = "
                     "'received' AND cell_code = '150203004007017' AND category_key = "
                     "'event:0102' AND reporter_phone = '13812345678'"),
            1);

  const HttpResponse by_id = get("/requests/" + id + ".json");
  ASSERT_EQ(by_id.status, 200U) << by_id.body;
  const json request = json_of(by_id).at(0);
  EXPECT_EQ(request.at("service_request_id"), id);
  EXPECT_EQ(request.at("status"), "open");
  EXPECT_EQ(request.at("service_code"), "event:0102");
  EXPECT_DOUBLE_EQ(request.at("lat").get<double>(), 40.65);
  EXPECT_DOUBLE_EQ(request.at("long").get<double>(), 109.83);
  EXPECT_TRUE(domain::parse_rfc3339(request.at("requested_datetime").get<std::string>()));
  EXPECT_FALSE(request.contains("description"));
  EXPECT_TRUE(request.at("media_url").is_null()) << "a filed link is never shown as public";

  const HttpResponse by_id_xml = get("/requests/" + id + ".xml");
  ASSERT_EQ(by_id_xml.status, 200U) << by_id_xml.body;
  EXPECT_TRUE(is_xml(by_id_xml));
  EXPECT_EQ(xml_texts(by_id_xml.body, "service_request_id"), std::vector<std::string>{id});
  EXPECT_EQ(xml_texts(by_id_xml.body, "status"), std::vector<std::string>{"open"});

  const HttpResponse by_token = get("/tokens/" + token + ".json");
  ASSERT_EQ(by_token.status, 200U) << by_token.body;
  EXPECT_EQ(json_of(by_token).at(0).at("service_request_id"), id);
  EXPECT_EQ(json_of(by_token).at(0).at("token"), token);
  const HttpResponse by_token_xml = get("/tokens/" + token + ".xml");
  EXPECT_EQ(xml_texts(by_token_xml.body, "service_request_id"), std::vector<std::string>{id});

  const HttpResponse listed = get("/requests.json?service_request_id=" + id);
  ASSERT_EQ(listed.status, 200U) << listed.body;
  EXPECT_EQ(json_of(listed).size(), 1U);
  const HttpResponse searched = get("/requests.json?service_code=event:0102&status=open");
  ASSERT_EQ(searched.status, 200U) << searched.body;
  const json found = json_of(searched);
  EXPECT_LE(found.size(), 1000U);
  EXPECT_TRUE(std::any_of(found.begin(), found.end(),
                          [&id](const json& item) { return item.at("service_request_id") == id; }));
  const std::string today = request.at("requested_datetime").get<std::string>().substr(0, 10);
  const HttpResponse window_xml = get("/requests.xml?start_date=" + today +
                                      "T00:00:00Z&end_date=" + today + "T23:59:59Z&status=open");
  ASSERT_EQ(window_xml.status, 200U) << window_xml.body;
  const std::vector<std::string> ids = xml_texts(window_xml.body, "service_request_id");
  EXPECT_NE(std::find(ids.begin(), ids.end(), id), ids.end());
  const HttpResponse closed_only =
      get("/requests.json?service_request_id=" + id + "&status=closed");
  EXPECT_EQ(json_of(closed_only).size(), 1U);  // ids given: the other parameters are left aside
  const HttpResponse closed = get("/requests.json?service_code=event:0102&status=closed");
  for (const json& item : json_of(closed)) EXPECT_NE(item.at("service_request_id"), id);
}

TEST_F(Open311ApiTest, PublicReadsShowNoReporterDescriptionOrOfficerOfAnyChannel) {
  const std::string hotline = create_case(port(), case_intake_body("hotline_12319"));
  const HttpResponse filed = post_form("/requests.json", form(filing()));
  ASSERT_EQ(filed.status, 201U) << filed.body;
  const std::string web = json_of(filed).at(0).at("service_request_id").get<std::string>();

  for (const std::string& path : {"/requests/" + hotline + ".json", "/requests/" + hotline + ".xml",
                                  "/requests/" + web + ".json", "/requests/" + web + ".xml",
                                  "/requests.json?service_request_id=" + hotline + "," + web,
                                  "/requests.xml?service_request_id=" + hotline + "," + web}) {
    const HttpResponse read = get(path);
    ASSERT_EQ(read.status, 200U) << path << ": " << read.body;
    for (const char* secret : {"13812345678", "138****5678", "张三", "张*", "小区门口", "路边占道",
                               "phone", "reporter", "officer"}) {
      EXPECT_EQ(read.body.find(secret), std::string::npos) << path << " shows " << secret;
    }
  }
}

TEST_F(Open311ApiTest, EveryRefusalIsInOpen311FormatAndStoresNothing) {
  scoped_account("o311_hotline_only", "integration", "district");
  query_scalar(
      e2e_database_url(),
      "UPDATE users SET channels = '{hotline_12345}' WHERE username = 'o311_hotline_only'");
  const long long cases = e2e_rows("cases");
  const long long tokens = e2e_rows("open311_tokens");
  struct Refused {
    const char* what;
    std::string method, path, body;
    unsigned status;
    std::string content_type = "application/x-www-form-urlencoded";
  };
  auto without = [](const char* name) {
    auto fields = filing();
    std::erase_if(fields, [name](const auto& field) { return field.first == name; });
    return form(fields);
  };
  auto replaced = [](const char* name, const char* value) {
    auto fields = filing();
    for (auto& field : fields) {
      if (field.first == name) field.second = value;
    }
    return form(fields);
  };
  const std::string valid = form(filing());
  const std::vector<Refused> refusals{
      {"no api_key", "POST", "/requests.json", without("api_key"), 403},
      {"an api_key that is no token", "POST", "/requests.xml", replaced("api_key", "gct_0"), 403},
      {"an operator's token", "POST", "/requests.json",
       replaced("api_key", demo_token("operator").c_str()), 403},
      {"an integration not on web or app", "POST", "/requests.json",
       replaced("api_key", demo_token("o311_hotline_only").c_str()), 403},
      {"another jurisdiction", "POST", "/requests.json", replaced("jurisdiction_id", "110101"),
       404},
      {"an unknown service_code", "POST", "/requests.json", replaced("service_code", "event:9999"),
       404},
      {"no service_code", "POST", "/requests.json", without("service_code"), 400},
      {"no location", "POST", "/requests.json",
       form({{"api_key", demo_token("integration")}, {"service_code", "event:0102"}}), 400},
      {"lat without long", "POST", "/requests.json", without("long"), 400},
      {"a point outside the district", "POST", "/requests.json", replaced("long", "109.70"), 400},
      {"an impossible latitude", "POST", "/requests.json", replaced("lat", "95"), 400},
      {"a latitude that is no number", "POST", "/requests.xml", replaced("lat", "north"), 400},
      {"a bad phone", "POST", "/requests.json", replaced("phone", "call me"), 400},
      {"a media_url that is no web address", "POST", "/requests.json",
       valid + "&media_url=file%3A%2F%2F%2Fetc%2Fpasswd", 400},
      {"an unknown field", "POST", "/requests.json", valid + "&nickname=x", 400},
      {"an unknown attribute value", "POST", "/requests.json",
       valid + "&attribute%5Bcondition%5D=nope", 400},
      {"an unknown attribute", "POST", "/requests.json", valid + "&attribute%5Bcolour%5D=red", 400},
      {"a field twice", "POST", "/requests.json", valid + "&lat=40.66", 400},
      {"api_key in the query and the body", "POST", "/requests.json?api_key=x", valid, 400},
      {"a broken escape", "POST", "/requests.json", valid + "&description=%ZZ", 400},
      {"a JSON body", "POST", "/requests.json", R"({"service_code":"event:0102"})", 415,
       "application/json"},
      {"a bad start_date", "GET", "/requests.json?start_date=yesterday", "", 400},
      {"a date without its offset", "GET", "/requests.json?start_date=2026-11-01T00:00:00", "",
       400},
      {"a window over 90 days", "GET",
       "/requests.json?start_date=2026-01-01T00:00:00Z&end_date=2026-06-01T00:00:00Z", "", 400},
      {"an end before the start", "GET",
       "/requests.xml?start_date=2026-06-01T00:00:00Z&end_date=2026-05-01T00:00:00Z", "", 400},
      {"an unknown status", "GET", "/requests.json?status=pending", "", 400},
      {"a malformed service_code", "GET", "/requests.json?service_code=potholes", "", 400},
      {"ids that are no case numbers", "GET", "/requests.json?service_request_id=1,2", "", 400},
      {"an unknown parameter", "GET", "/requests.json?page=2", "", 400},
      {"another jurisdiction on a search", "GET", "/requests.json?jurisdiction_id=1", "", 404},
      {"another jurisdiction on services", "GET", "/services.xml?jurisdiction_id=1", "", 404},
      {"an unknown request", "GET", "/requests/150203-20200101-000001.json", "", 404},
      {"a request id that is no case number", "GET", "/requests/%3Cscript%3E.xml", "", 404},
      {"an unknown token", "GET", "/tokens/00000000000000000000000000000000.json", "", 404},
      {"a token of another shape", "GET", "/tokens/abc.xml", "", 404},
      {"an unknown service", "GET", "/services/event:9999.json", "", 404},
      {"a service that is no category key", "GET", "/services/potholes.xml", "", 404},
      {"another format", "GET", "/services.yaml", "", 404},
      {"no format", "GET", "/services", "", 404},
      {"an unknown resource", "GET", "/nothing.xml", "", 404},
      {"another method", "DELETE", "/requests.json", "", 405},
  };

  for (const Refused& refused : refusals) {
    const HttpResponse response =
        refused.method == "POST"
            ? post_form(refused.path, refused.body, refused.content_type)
            : http_request(port(), refused.method, std::string(kBase) + refused.path);

    const bool xml = refused.path.find(".xml") != std::string::npos;
    EXPECT_TRUE(is_open311_error(response, refused.status, xml)) << refused.what;
  }
  EXPECT_EQ(e2e_rows("cases"), cases);
  EXPECT_EQ(e2e_rows("open311_tokens"), tokens);
}

TEST_F(Open311ApiTest, TheApiKeyNeverReachesTheLog) {
  const std::string key = demo_token("integration");
  auto fields = filing();
  std::erase_if(fields, [](const auto& field) { return field.first == "api_key"; });

  const HttpResponse in_body = post_form("/requests.json", form(filing()));
  const HttpResponse in_query = post_form("/requests.json?api_key=" + key, form(fields));
  const HttpResponse on_read = get("/requests.json?status=open&api_key=" + key);
  const HttpResponse refused = get("/requests.json?api_key=" + key + "&status=nope");

  EXPECT_EQ(in_body.status, 201U) << in_body.body;
  EXPECT_EQ(in_query.status, 201U) << in_query.body;
  EXPECT_EQ(on_read.status, 200U);
  EXPECT_EQ(refused.status, 400U);
  const std::string log = server_->log();
  EXPECT_EQ(log.find(key), std::string::npos) << log;
  EXPECT_EQ(log.find(key.substr(4, 16)), std::string::npos);
  EXPECT_NE(log.find("api_key=REDACTED"), std::string::npos) << log;
}

class Open311RateLimitTest : public ::testing::Test {
 protected:
  void SetUp() override { forget_open311_reads(); }
  void TearDown() override { forget_open311_reads(); }
};

TEST_F(Open311RateLimitTest, ReadsBeyondTheAddressesLimitAre429WithRetryAfterAndOthersStillServe) {
  const auto server = server_with({{"reads_per_minute", 3}});
  const std::string search = std::string(kBase) + "/requests.json?status=open";
  for (int i = 0; i < 3; ++i) {
    ASSERT_EQ(http_get(server->port(), search).status, 200U) << i;
  }

  const HttpResponse limited = http_get(server->port(), std::string(kBase) + "/requests.xml");
  const HttpResponse services = http_get(server->port(), std::string(kBase) + "/services.json");

  EXPECT_TRUE(is_open311_error(limited, 429, true));
  ASSERT_TRUE(limited.header("Retry-After").has_value());
  EXPECT_GE(std::stoi(*limited.header("Retry-After")), 1);
  EXPECT_LE(std::stoi(*limited.header("Retry-After")), 60);
  EXPECT_EQ(services.status, 200U);  // the catalogue is not a search
}

}  // namespace
}  // namespace gridcase::testing
