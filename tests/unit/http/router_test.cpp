#include "http/router.hpp"

#include <gtest/gtest.h>

#include <algorithm>

#include "gridcase/domain/error.hpp"

namespace gridcase::http {
namespace {

using beast_http::verb;

const Route& matched_route(const RouteMatch& match) {
  if (match.route == nullptr) throw std::runtime_error("no route matched");
  return *match.route;
}

domain::ErrorCode code_thrown_by_parse_query(std::string_view query) {
  try {
    parse_query(query);
  } catch (const domain::Error& error) {
    return error.code();
  }
  ADD_FAILURE() << "parse_query(\"" << query << "\") did not throw";
  return domain::ErrorCode::kInternal;
}

class RouterTest : public ::testing::Test {
 protected:
  RouterTest() {
    // The parameter route first: a literal must win by being literal, not by being added first.
    router_.add(verb::get, "/api/v1/grid/{code}", BodyKind::kNone, {});
    router_.add(verb::get, "/api/v1/grid/locate", BodyKind::kNone, {});
    router_.add(verb::post, "/api/v1/grid/import", BodyKind::kImport, {});
    router_.add(verb::get, "/api/v1/grid/{code}/cells", BodyKind::kNone, {});
    router_.add(verb::get, "/api/v1/things", BodyKind::kNone, {});
    router_.add(verb::post, "/api/v1/things", BodyKind::kJson, {});
  }

  Router router_;
};

TEST_F(RouterTest, LiteralSegmentBeatsAParameterAtTheSamePlace) {
  const RouteMatch match = router_.match(verb::get, "/api/v1/grid/locate");

  EXPECT_EQ(matched_route(match).pattern, "/api/v1/grid/locate");
  EXPECT_TRUE(match.params.empty());
}

TEST_F(RouterTest, ParameterSegmentCapturesTheValue) {
  const RouteMatch match = router_.match(verb::get, "/api/v1/grid/150203004");

  EXPECT_EQ(matched_route(match).pattern, "/api/v1/grid/{code}");
  EXPECT_EQ(match.params.at("code"), "150203004");
}

TEST_F(RouterTest, ParameterThatIsNotUtf8TextMatchesNothing) {
  for (const char* path :
       {"/api/v1/grid/%FF", "/api/v1/grid/150203%00", "/api/v1/grid/%ED%A0%80/cells"}) {
    const RouteMatch match = router_.match(verb::get, path);
    EXPECT_EQ(match.route, nullptr) << path;
    EXPECT_TRUE(match.allowed.empty()) << path;
  }
  EXPECT_EQ(router_.match(verb::get, "/api/v1/grid/%E8%B7%AF").params.at("code"), "路");
}

TEST_F(RouterTest, ParameterInTheMiddleOfAPathIsCaptured) {
  const RouteMatch match = router_.match(verb::get, "/api/v1/grid/150203/cells");

  EXPECT_EQ(matched_route(match).pattern, "/api/v1/grid/{code}/cells");
  EXPECT_EQ(match.params.at("code"), "150203");
}

TEST(RouterSuffixTest, ALiteralNameWithAFormatSuffixCapturesTheFormat) {
  Router router;
  router.add(verb::get, "/open311/v2/services.{format}", BodyKind::kNone, {});
  router.add(verb::get, "/open311/v2/{other}", BodyKind::kNone, {});

  const RouteMatch match = router.match(verb::get, "/open311/v2/services.xml");

  EXPECT_EQ(matched_route(match).pattern, "/open311/v2/services.{format}");
  EXPECT_EQ(match.params.at("format"), "xml");
  EXPECT_EQ(matched_route(router.match(verb::get, "/open311/v2/services")).pattern,
            "/open311/v2/{other}");
  EXPECT_EQ(matched_route(router.match(verb::get, "/open311/v2/requests.json")).pattern,
            "/open311/v2/{other}");
}

TEST(RouterSuffixTest, AParameterWithAFormatSuffixSplitsAtTheLastDot) {
  Router router;
  router.add(verb::get, "/open311/v2/services/{service_code}.{format}", BodyKind::kNone, {});

  const RouteMatch match = router.match(verb::get, "/open311/v2/services/event%3A0101.v.json");

  EXPECT_EQ(match.params.at("service_code"), "event:0101.v");
  EXPECT_EQ(match.params.at("format"), "json");
  for (const char* path : {"/open311/v2/services/event:0101", "/open311/v2/services/.json",
                           "/open311/v2/services/event:0101.", "/open311/v2/services/%FF.json"}) {
    EXPECT_EQ(router.match(verb::get, path).route, nullptr) << path;
  }
}

TEST_F(RouterTest, RouteKeepsItsBodyKind) {
  EXPECT_EQ(matched_route(router_.match(verb::post, "/api/v1/grid/import")).body,
            BodyKind::kImport);
  EXPECT_EQ(matched_route(router_.match(verb::post, "/api/v1/things")).body, BodyKind::kJson);
}

TEST_F(RouterTest, SamePathUnderTheRightVerbMatchesThatVerbsRoute) {
  const RouteMatch match = router_.match(verb::post, "/api/v1/things");

  EXPECT_EQ(matched_route(match).verb, verb::post);
}

TEST_F(RouterTest, KnownPathUnderAnotherVerbListsTheAllowedVerbs) {
  const RouteMatch match = router_.match(verb::delete_, "/api/v1/things");

  EXPECT_EQ(match.route, nullptr);
  std::vector<verb> allowed = match.allowed;
  std::sort(allowed.begin(), allowed.end());
  EXPECT_EQ(allowed, (std::vector<verb>{verb::get, verb::post}));
}

TEST_F(RouterTest, WrongVerbOnALiteralRouteIsNotHandedToTheParameterRoute) {
  const RouteMatch match = router_.match(verb::get, "/api/v1/grid/import");

  EXPECT_EQ(match.route, nullptr);
  EXPECT_EQ(match.allowed, std::vector<verb>{verb::post});
}

TEST_F(RouterTest, UnknownPathMatchesNothingAndAllowsNothing) {
  const RouteMatch match = router_.match(verb::get, "/api/v1/nothing");

  EXPECT_EQ(match.route, nullptr);
  EXPECT_TRUE(match.allowed.empty());
}

TEST_F(RouterTest, PathWithExtraSegmentsMatchesNothing) {
  const RouteMatch match = router_.match(verb::get, "/api/v1/grid/150203/cells/extra");

  EXPECT_EQ(match.route, nullptr);
  EXPECT_TRUE(match.allowed.empty());
}

TEST_F(RouterTest, PercentEncodedParameterIsDecoded) {
  const RouteMatch match = router_.match(verb::get, "/api/v1/grid/15%30203");

  EXPECT_EQ(match.params.at("code"), "150203");
}

TEST_F(RouterTest, PlusInAPathParameterStaysAPlus) {
  const RouteMatch match = router_.match(verb::get, "/api/v1/grid/a+b");

  EXPECT_EQ(match.params.at("code"), "a+b");
}

TEST_F(RouterTest, MalformedEscapeInAParameterMatchesNothing) {
  EXPECT_EQ(router_.match(verb::get, "/api/v1/grid/%zz").route, nullptr);
  EXPECT_EQ(router_.match(verb::get, "/api/v1/grid/15%2").route, nullptr);
}

TEST_F(RouterTest, EmptyParameterSegmentMatchesNothing) {
  EXPECT_EQ(router_.match(verb::get, "/api/v1/grid//cells").route, nullptr);
  EXPECT_EQ(router_.match(verb::get, "/api/v1/grid/").route, nullptr);
}

TEST_F(RouterTest, TrailingSlashIsADifferentPath) {
  EXPECT_EQ(router_.match(verb::get, "/api/v1/things/").route, nullptr);
}

TEST_F(RouterTest, PathWithoutLeadingSlashMatchesNothing) {
  const RouteMatch match = router_.match(verb::get, "api/v1/things");

  EXPECT_EQ(match.route, nullptr);
  EXPECT_TRUE(match.allowed.empty());
}

TEST_F(RouterTest, EmptyPathMatchesNothing) {
  EXPECT_EQ(router_.match(verb::get, "").route, nullptr);
}

// ---- percent_decode ----

TEST(PercentDecodeTest, HexEscapesOfEitherCaseDecode) {
  EXPECT_EQ(percent_decode("%E7%BD%91%e6%a0%bc", false), "网格");
}

TEST(PercentDecodeTest, PlusIsASpaceOnlyWhenAsked) {
  EXPECT_EQ(percent_decode("a+b", true), "a b");
  EXPECT_EQ(percent_decode("a+b", false), "a+b");
}

TEST(PercentDecodeTest, TruncatedOrNonHexEscapeIsMalformed) {
  EXPECT_EQ(percent_decode("%", false), std::nullopt);
  EXPECT_EQ(percent_decode("%4", false), std::nullopt);
  EXPECT_EQ(percent_decode("%G0", false), std::nullopt);
  EXPECT_EQ(percent_decode("abc%", false), std::nullopt);
}

// ---- parse_query ----

TEST(ParseQueryTest, PairsAreSplitAndDecoded) {
  const auto query = parse_query("lon=109.83&lat=40.65&q=x%20y+z");

  EXPECT_EQ(query.size(), 3U);
  EXPECT_EQ(query.at("lon"), "109.83");
  EXPECT_EQ(query.at("lat"), "40.65");
  EXPECT_EQ(query.at("q"), "x y z");
}

TEST(ParseQueryTest, KeyWithoutEqualsHasAnEmptyValue) {
  const auto query = parse_query("overdue");

  EXPECT_EQ(query.at("overdue"), "");
}

TEST(ParseQueryTest, EmptyPairsAreIgnored) {
  const auto query = parse_query("&a=1&&b=2&");

  EXPECT_EQ(query.size(), 2U);
}

TEST(ParseQueryTest, EmptyQueryHasNoParameters) { EXPECT_TRUE(parse_query("").empty()); }

TEST(ParseQueryTest, ValueMayContainAnEncodedAmpersandAndEquals) {
  const auto query = parse_query("q=a%26b%3Dc");

  EXPECT_EQ(query.at("q"), "a&b=c");
}

TEST(ParseQueryTest, ValuesThatAreNotUtf8TextAreMalformedNamingTheParameter) {
  for (const char* query : {"q=%FF", "q=%C3%28", "q=%ED%A0%80", "q=abc%00", "q=%00"}) {
    try {
      parse_query(query);
      ADD_FAILURE() << query << " did not throw";
    } catch (const domain::Error& error) {
      EXPECT_EQ(error.code(), domain::ErrorCode::kMalformed) << query;
      ASSERT_EQ(error.details().fields.size(), 1U);
      EXPECT_EQ(error.details().fields[0].field, "q") << query;
    }
  }
  EXPECT_EQ(code_thrown_by_parse_query("%FF=1"), domain::ErrorCode::kMalformed);
  EXPECT_EQ(parse_query("q=%E8%B7%AF%F0%9F%9A%A7").at("q"), "路🚧");
}

TEST(ParseQueryTest, RepeatedKeyIsMalformed) {
  EXPECT_EQ(code_thrown_by_parse_query("lon=1&lon=2"), domain::ErrorCode::kMalformed);
}

TEST(ParseQueryTest, KeyRepeatedThroughAnEscapeIsMalformed) {
  EXPECT_EQ(code_thrown_by_parse_query("lon=1&%6Con=2"), domain::ErrorCode::kMalformed);
}

TEST(ParseQueryTest, BadEscapeInAValueIsMalformed) {
  EXPECT_EQ(code_thrown_by_parse_query("q=%zz"), domain::ErrorCode::kMalformed);
}

TEST(ParseQueryTest, BadEscapeInAKeyIsMalformed) {
  EXPECT_EQ(code_thrown_by_parse_query("%2=1"), domain::ErrorCode::kMalformed);
}

}  // namespace
}  // namespace gridcase::http
