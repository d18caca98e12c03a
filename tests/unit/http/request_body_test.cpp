#include "http/request_body.hpp"

#include <gtest/gtest.h>

#include "error_of.hpp"
#include "gridcase/domain/error.hpp"

namespace gridcase::http {
namespace {

using testing::error_of;
using testing::first_field;

using domain::Error;
using domain::ErrorCode;

Request request_with_content_type(std::string_view content_type, std::string body = "{}") {
  Request request;
  request.message.method(beast_http::verb::post);
  request.message.target("/api/v1/grid/import");
  if (!content_type.empty()) request.message.set(beast_http::field::content_type, content_type);
  request.message.body() = std::move(body);
  return request;
}

std::string nested_arrays(std::size_t depth) {
  return std::string(depth, '[') + std::string(depth, ']');
}

// ---- parse_json ----

TEST(ParseJsonTest, ValidDocumentParses) {
  const nlohmann::json document = parse_json(R"({"a":[1,2,{"b":null}]})", 32);

  EXPECT_EQ(document.at("a").size(), 3U);
}

TEST(ParseJsonTest, NestingExactlyAtTheLimitParses) {
  EXPECT_NO_THROW(parse_json(nested_arrays(32), 32));
}

TEST(ParseJsonTest, NestingOneLevelBeyondTheLimitIsMalformed) {
  const Error error = error_of([] { parse_json(nested_arrays(33), 32); });

  EXPECT_EQ(error.code(), ErrorCode::kMalformed);
  EXPECT_EQ(first_field(error), "body");
}

TEST(ParseJsonTest, DeepNestingIsRefusedEvenWhenTheDocumentIsIncomplete) {
  const Error error = error_of([] { parse_json(std::string(100000, '['), 32); });

  EXPECT_EQ(error.code(), ErrorCode::kMalformed);
}

TEST(ParseJsonTest, BracketsInsideStringsDoNotCountAsNesting) {
  const std::string text = R"({"text":"[[[[[[[[[[ {{{{{{{{ \" [[[[[["})";

  EXPECT_NO_THROW(parse_json(text, 2));
}

TEST(ParseJsonTest, NulInAnyStringIsInvalidNamingItsPath) {
  const Error nested = error_of([] { parse_json(R"({"a":"ok","b":{"c":["x","y\u0000z"]}})", 32); });
  const Error top = error_of([] { parse_json(R"("\u0000")", 32); });

  EXPECT_EQ(nested.code(), ErrorCode::kInvalidValue);
  ASSERT_EQ(nested.details().fields.size(), 1U);
  EXPECT_EQ(nested.details().fields[0].field, "b.c[1]");
  EXPECT_EQ(top.details().fields.at(0).field, "body");
  EXPECT_NO_THROW(parse_json(R"({"a":"\u0001 \u00e9 \ud83d\udea7"})", 32))
      << "other controls are the fields' business";
}

TEST(ParseJsonTest, ObjectsAndArraysBothCountAsNesting) {
  const Error error = error_of([] { parse_json(R"({"a":{"b":[1]}})", 2); });

  EXPECT_EQ(error.code(), ErrorCode::kMalformed);
}

TEST(ParseJsonTest, InvalidJsonIsMalformedOnTheBody) {
  for (const char* text : {"", "{", "{\"a\":}", "[1,]", "nul", "{'a':1}", "{\"a\":1} trailing"}) {
    const Error error = error_of([&] { parse_json(text, 32); });

    EXPECT_EQ(error.code(), ErrorCode::kMalformed) << text;
    EXPECT_EQ(first_field(error), "body") << text;
  }
}

// ---- content types ----

TEST(RequireContentTypeTest, ExactTypeIsAccepted) {
  EXPECT_NO_THROW(
      require_content_type(request_with_content_type("application/json"), {"application/json"}));
}

TEST(RequireContentTypeTest, ParametersAndCaseAreIgnored) {
  EXPECT_NO_THROW(require_content_type(request_with_content_type("Application/JSON; charset=utf-8"),
                                       {"application/json"}));
}

TEST(RequireContentTypeTest, AnyOfSeveralTypesIsAccepted) {
  EXPECT_NO_THROW(require_content_type(request_with_content_type("application/geo+json"),
                                       {"application/geo+json", "application/json"}));
}

TEST(RequireContentTypeTest, OtherTypeIsUnsupported) {
  const Error error = error_of(
      [] { require_content_type(request_with_content_type("text/plain"), {"application/json"}); });

  EXPECT_EQ(error.code(), ErrorCode::kUnsupportedMediaType);
}

TEST(RequireContentTypeTest, MissingContentTypeIsUnsupported) {
  const Error error =
      error_of([] { require_content_type(request_with_content_type(""), {"application/json"}); });

  EXPECT_EQ(error.code(), ErrorCode::kUnsupportedMediaType);
}

TEST(RequireContentTypeTest, TypeThatOnlyStartsLikeAnAcceptedOneIsUnsupported) {
  const Error error = error_of([] {
    require_content_type(request_with_content_type("application/jsonx"), {"application/json"});
  });

  EXPECT_EQ(error.code(), ErrorCode::kUnsupportedMediaType);
}

TEST(ParseJsonBodyTest, WrongContentTypeIsRefusedBeforeTheBodyIsRead) {
  const Error error =
      error_of([] { parse_json_body(request_with_content_type("text/plain", "{"), 32); });

  EXPECT_EQ(error.code(), ErrorCode::kUnsupportedMediaType);
}

TEST(ParseJsonBodyTest, JsonBodyWithJsonContentTypeParses) {
  const nlohmann::json document =
      parse_json_body(request_with_content_type("application/json", R"({"a":1})"), 32);

  EXPECT_EQ(document.at("a"), 1);
}

}  // namespace
}  // namespace gridcase::http
