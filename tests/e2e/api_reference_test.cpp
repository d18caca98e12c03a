// The API reference a browser reads (GET /api/v1/docs, issue 16): Swagger UI built from src/web
// into the binary, rendering the embedded docs/openapi.yaml in Debian's headless Chromium with
// the server's own Content-Security-Policy, nothing fetched from elsewhere.
#include <gtest/gtest.h>

#include <cstdio>
#include <string>

#include "openapi_document.hpp"
#include "support/case_http.hpp"
#include "support/command.hpp"
#include "support/demo_server.hpp"

namespace gridcase::testing {
namespace {

class ApiReferenceTest : public DemoServerTest {};

TEST_F(ApiReferenceTest, ThePageAndItsFilesAreServedWithTheirTypesAndRevalidatedByETag) {
  for (const auto& [target, type] : {std::pair{"/api/v1/docs", "text/html"},
                                     std::pair{"/api/v1/docs/docs.js", "text/javascript"},
                                     std::pair{"/api/v1/docs/docs.css", "text/css"},
                                     std::pair{"/api/v1/openapi.yaml", "application/yaml"}}) {
    const HttpResponse first = http_get(port(), target);
    ASSERT_EQ(first.status, 200U) << target;
    EXPECT_TRUE(first.header("Content-Type").value_or("").starts_with(type)) << target;
    EXPECT_EQ(first.header("Cache-Control"), "no-cache") << target;
    EXPECT_EQ(first.header("X-Content-Type-Options"), "nosniff") << target;
    const std::string tag = first.header("ETag").value_or("");
    ASSERT_EQ(tag.size(), 34U) << target << ": " << tag;

    const HttpResponse again = http_request(port(), "GET", target, {}, {{"If-None-Match", tag}});

    EXPECT_EQ(again.status, 304U) << target;
    EXPECT_TRUE(again.body.empty()) << target;
    EXPECT_EQ(again.header("ETag"), tag) << target;
  }
}

TEST_F(ApiReferenceTest, ThePageAllowsThisServerOnly) {
  const HttpResponse page = http_get(port(), "/api/v1/docs");

  const std::string policy = page.header("Content-Security-Policy").value_or("");
  EXPECT_NE(policy.find("default-src 'none'"), std::string::npos) << policy;
  EXPECT_NE(policy.find("script-src 'self';"), std::string::npos) << policy;
  EXPECT_NE(policy.find("connect-src 'self';"), std::string::npos) << policy;
  EXPECT_NE(page.body.find("/api/v1/docs/docs.js"), std::string::npos);
  EXPECT_EQ(page.body.find("http"), std::string::npos) << "the page names no other origin";
}

TEST_F(ApiReferenceTest, AFileThePageDoesNotHaveIsNotFound) {
  for (const char* target : {"/api/v1/docs/docs.html", "/api/v1/docs/missing.js",
                             "/api/v1/docs/..%2Fopenapi.yaml", "/api/v1/docs/"}) {
    const HttpResponse response = http_get(port(), target);

    EXPECT_TRUE(is_problem(response, 404)) << target << ": " << response.status;
  }
}

TEST_F(ApiReferenceTest, RendersEveryOperationInHeadlessChromiumWithoutErrors) {
  std::size_t operations = 0;
  for (const auto& [path, item] : openapi_document().at("paths").items()) {
    for (const auto& [key, operation] : item.items()) {
      if (key != "parameters" && key != "summary" && key != "description") ++operations;
    }
  }
  const std::string png = unique_token("/tmp/gridcase-docs") + ".png";

  const auto [output, status] = run_command(
      "node " + shell_quote(std::string(GRIDCASE_SOURCE_DIR) + "/tests/browser/render_docs.mjs") +
      " http://127.0.0.1:" + std::to_string(port()) + " " + shell_quote(png) + " " +
      std::to_string(operations));

  EXPECT_EQ(status, 0) << output;
  EXPECT_NE(output.find("rendered"), std::string::npos) << output;
  std::printf("%s", output.c_str());
  std::remove(png.c_str());
}

}  // namespace
}  // namespace gridcase::testing
