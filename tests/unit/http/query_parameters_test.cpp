#include "http/query_parameters.hpp"

#include <gtest/gtest.h>

#include "error_of.hpp"
#include "gridcase/domain/error.hpp"

namespace gridcase::http {
namespace {

using testing::error_of;
using testing::first_field;

using namespace std::chrono_literals;
using domain::Error;
using domain::ErrorCode;

Request request_with_query(std::map<std::string, std::string, std::less<>> query) {
  Request request;
  request.query = std::move(query);
  return request;
}

// ---- query parameters ----

TEST(QueryNumberTest, NegativeDecimalIsAccepted) {
  EXPECT_EQ(query_number(request_with_query({{"lon", "-12.5"}}), "lon"), -12.5);
}

TEST(QueryNumberTest, IntegerIsAcceptedAsANumber) {
  EXPECT_EQ(query_number(request_with_query({{"lat", "40"}}), "lat"), 40.0);
}

TEST(QueryNumberTest, AbsentParameterIsNullopt) {
  EXPECT_EQ(query_number(request_with_query({}), "lon"), std::nullopt);
}

TEST(QueryNumberTest, NumberTooLargeForADoubleIsMalformed) {
  const Error error = error_of([] { query_number(request_with_query({{"lon", "1e999"}}), "lon"); });

  EXPECT_EQ(error.code(), ErrorCode::kMalformed);
  EXPECT_EQ(first_field(error), "lon");
}

TEST(QueryNumberTest, TextIsMalformed) {
  const Error error = error_of([] { query_number(request_with_query({{"lat", "abc"}}), "lat"); });

  EXPECT_EQ(error.code(), ErrorCode::kMalformed);
  EXPECT_EQ(first_field(error), "lat");
}

TEST(QueryNumberTest, EmptyValueIsMalformed) {
  const Error error = error_of([] { query_number(request_with_query({{"lat", ""}}), "lat"); });

  EXPECT_EQ(error.code(), ErrorCode::kMalformed);
}

TEST(QueryNumberTest, NonFiniteSpellingsAreMalformed) {
  for (const char* text : {"inf", "-inf", "nan", "infinity"}) {
    const Error error = error_of([&] { query_number(request_with_query({{"lon", text}}), "lon"); });

    EXPECT_EQ(error.code(), ErrorCode::kMalformed) << text;
  }
}

TEST(QueryNumberTest, NumberFollowedByTextIsMalformed) {
  for (const char* text : {"1.5x", "1.5 ", " 1.5", "+1.5", "0x10", "1,5"}) {
    const Error error = error_of([&] { query_number(request_with_query({{"lon", text}}), "lon"); });

    EXPECT_EQ(error.code(), ErrorCode::kMalformed) << "'" << text << "'";
  }
}

TEST(QueryIntegerTest, IntegerIsAccepted) {
  EXPECT_EQ(query_integer(request_with_query({{"limit", "200"}}), "limit"), 200);
  EXPECT_EQ(query_integer(request_with_query({{"limit", "-1"}}), "limit"), -1);
}

TEST(QueryIntegerTest, DecimalTextAndOverflowAreMalformed) {
  for (const char* text : {"1.5", "ten", "", "99999999999999999999"}) {
    const Error error = error_of([&] {
      query_integer(request_with_query({{"limit", text}}), "limit");
    });

    EXPECT_EQ(error.code(), ErrorCode::kMalformed) << "'" << text << "'";
    EXPECT_EQ(first_field(error), "limit");
  }
}

TEST(QueryBooleanTest, TrueAndFalseAreAccepted) {
  EXPECT_EQ(query_boolean(request_with_query({{"geometry", "true"}}), "geometry"), true);
  EXPECT_EQ(query_boolean(request_with_query({{"geometry", "false"}}), "geometry"), false);
}

TEST(QueryBooleanTest, OtherSpellingsAreMalformed) {
  for (const char* text : {"1", "yes", "True", ""}) {
    const Error error = error_of([&] {
      query_boolean(request_with_query({{"geometry", text}}), "geometry");
    });

    EXPECT_EQ(error.code(), ErrorCode::kMalformed) << "'" << text << "'";
  }
}

TEST(QueryTextTest, ValueIsReturnedAsItIs) {
  EXPECT_EQ(query_text(request_with_query({{"cursor", "150203004012007"}}), "cursor"),
            "150203004012007");
  EXPECT_EQ(query_text(request_with_query({}), "cursor"), std::nullopt);
}

TEST(RequireKnownParametersTest, KnownParametersPass) {
  EXPECT_NO_THROW(
      require_known_parameters(request_with_query({{"lon", "1"}, {"lat", "2"}}), {"lon", "lat"}));
}

TEST(RequireKnownParametersTest, UnknownParameterIsMalformedAndNamed) {
  const Error error = error_of([] {
    require_known_parameters(request_with_query({{"lon", "1"}, {"radius", "5"}}), {"lon", "lat"});
  });

  EXPECT_EQ(error.code(), ErrorCode::kMalformed);
  EXPECT_EQ(first_field(error), "radius");
}

TEST(ParseIdTest, DigitsOnlyWithinLongLong) {
  EXPECT_EQ(parse_id("42"), 42);
  EXPECT_EQ(parse_id("0"), 0);
  EXPECT_EQ(parse_id("9223372036854775807"), 9223372036854775807LL);
  for (const char* text :
       {"", "-1", "+1", " 1", "1 ", "1e3", "0x10", "12x", "9223372036854775808"}) {
    EXPECT_EQ(parse_id(text), std::nullopt) << text;
  }
}

TEST(QueryTimeTest, Rfc3339TimeWithOffsetIsTheInstant) {
  const domain::Timestamp at =
      domain::Timestamp{std::chrono::sys_days{std::chrono::year{2026} / 11 / 24} + 16h};

  EXPECT_EQ(query_time(request_with_query({{"from", "2026-11-25T00:00:00+08:00"}}), "from"), at);
  EXPECT_EQ(query_time(request_with_query({}), "from"), std::nullopt);
}

TEST(QueryTimeTest, DateAloneIsMalformedNamingTheParameter) {
  const Error error = error_of([] {
    query_time(request_with_query({{"to", "2026-11-25"}}), "to");
  });

  EXPECT_EQ(error.code(), ErrorCode::kMalformed);
  EXPECT_EQ(first_field(error), "to");
}

TEST(RedactedTargetTest, TheApiKeyValueIsReplacedWhereverItStands) {
  EXPECT_EQ(redacted_target("/open311/v2/requests.json?api_key=gct_secret&status=open"),
            "/open311/v2/requests.json?api_key=REDACTED&status=open");
  EXPECT_EQ(redacted_target("/open311/v2/requests.json?status=open&api%5Fkey=gct_secret"),
            "/open311/v2/requests.json?status=open&api%5Fkey=REDACTED");
  EXPECT_EQ(redacted_target("/x?api_key"), "/x?api_key=REDACTED");
}

TEST(RedactedTargetTest, OtherTargetsAreKeptAsTheyAre) {
  EXPECT_EQ(redacted_target("/api/v1/cases?status=open&q=%E4%BA%95"),
            "/api/v1/cases?status=open&q=%E4%BA%95");
  EXPECT_EQ(redacted_target("/healthz"), "/healthz");
  EXPECT_EQ(redacted_target("/x?api_keys=1&my_api_key=2"), "/x?api_keys=1&my_api_key=2");
}

TEST(RedactedTargetTest, AMalformedNameIsRedactedRatherThanGuessed) {
  EXPECT_EQ(redacted_target("/x?api%ZZkey=secret"), "/x?api%ZZkey=REDACTED");
}

}  // namespace
}  // namespace gridcase::http
