#include <gtest/gtest.h>

#include <algorithm>

#include "support/demo_server.hpp"

namespace gridcase::testing {
namespace {

using BadInputTest = DemoServerTest;

bool names(const std::vector<std::string>& fields, const std::string& field) {
  return std::find(fields.begin(), fields.end(), field) != fields.end();
}

TEST_F(BadInputTest, NonNumericCoordinateIs400NamingIt) {
  const HttpResponse response = get("/api/v1/grid/locate?lon=abc&lat=40.65");

  EXPECT_TRUE(is_problem(response, 400));
  EXPECT_TRUE(names(error_fields(response), "lon"));
}

TEST_F(BadInputTest, CoordinateTooLargeForANumberIs400) {
  EXPECT_TRUE(is_problem(get("/api/v1/grid/locate?lon=1e999&lat=40.65"), 400));
}

TEST_F(BadInputTest, MissingCoordinateIs400NamingIt) {
  const HttpResponse response = get("/api/v1/grid/locate?lon=109.83");

  EXPECT_TRUE(is_problem(response, 400));
  EXPECT_TRUE(names(error_fields(response), "lat"));
}

TEST_F(BadInputTest, ImpossibleLatitudeIs422NamingIt) {
  const HttpResponse response = get("/api/v1/grid/locate?lon=109.83&lat=95");

  EXPECT_TRUE(is_problem(response, 422));
  EXPECT_TRUE(names(error_fields(response), "lat"));
}

TEST_F(BadInputTest, PointOutsideEveryCellIs422) {
  const HttpResponse response = get("/api/v1/grid/locate?lon=-170.5&lat=-80.5");

  EXPECT_TRUE(is_problem(response, 422));
  EXPECT_TRUE(names(error_fields(response), "lon"));
}

TEST_F(BadInputTest, UnknownQueryParameterIs400NamingIt) {
  const HttpResponse response = get("/api/v1/grid/locate?lon=109.83&lat=40.65&radius=5");

  EXPECT_TRUE(is_problem(response, 400));
  EXPECT_TRUE(names(error_fields(response), "radius"));
}

TEST_F(BadInputTest, RepeatedQueryParameterIs400) {
  EXPECT_TRUE(is_problem(get("/api/v1/grid/locate?lon=109.83&lon=109.84&lat=40.65"), 400));
}

TEST_F(BadInputTest, MalformedPercentEscapeInTheQueryIs400) {
  EXPECT_TRUE(is_problem(get("/api/v1/grid/locate?lon=109.83&lat=%zz"), 400));
}

TEST_F(BadInputTest, UnknownGridCodeIs404) {
  EXPECT_TRUE(is_problem(get("/api/v1/grid/150211"), 404));
}

TEST_F(BadInputTest, UnknownGridCodeHasNoCells) {
  EXPECT_TRUE(is_problem(get("/api/v1/grid/150211/cells"), 404));
}

TEST_F(BadInputTest, MalformedGridCodeIs422NamingTheCode) {
  const HttpResponse response = get("/api/v1/grid/15020");

  EXPECT_TRUE(is_problem(response, 422));
  EXPECT_TRUE(names(error_fields(response), "code"));
}

TEST_F(BadInputTest, GridCodeOutsideTheNumberRangesIs422) {
  EXPECT_TRUE(is_problem(get("/api/v1/grid/150203400"), 422));
}

TEST_F(BadInputTest, OfficersOfAMalformedGridIs422NamingGrid) {
  // Without `grid` the admin's list of every officer answers (docs/administration.md).
  const HttpResponse response = get("/api/v1/officers?grid=15020");

  EXPECT_TRUE(is_problem(response, 422));
  EXPECT_TRUE(names(error_fields(response), "grid"));
}

TEST_F(BadInputTest, LimitZeroIs422) {
  const HttpResponse response = get("/api/v1/grid/150203/cells?limit=0");

  EXPECT_TRUE(is_problem(response, 422));
  EXPECT_TRUE(names(error_fields(response), "limit"));
}

TEST_F(BadInputTest, LimitAbove200Is422) {
  EXPECT_TRUE(is_problem(get("/api/v1/grid/150203/cells?limit=201"), 422));
}

TEST_F(BadInputTest, LimitOf200IsAccepted) {
  EXPECT_EQ(get("/api/v1/grid/150203/cells?limit=200").status, 200U);
}

TEST_F(BadInputTest, NonNumericLimitIs400) {
  EXPECT_TRUE(is_problem(get("/api/v1/grid/150203/cells?limit=ten"), 400));
}

TEST_F(BadInputTest, CursorThatNoListReturnedIs422) {
  // Not a code, and well-formed codes of a street and a community: a cell list's cursor is the
  // last cell of the previous page.
  for (const char* cursor : {"abc", "150203004", "150203004001"}) {
    const HttpResponse response = get(std::string("/api/v1/grid/150203/cells?cursor=") + cursor);

    EXPECT_TRUE(is_problem(response, 422)) << cursor;
    EXPECT_TRUE(names(error_fields(response), "cursor")) << cursor;
  }
  EXPECT_EQ(get("/api/v1/grid/150203/cells?cursor=150203004001001").status, 200U);
}

TEST_F(BadInputTest, NonBooleanGeometryFlagIs400) {
  EXPECT_TRUE(is_problem(get("/api/v1/grid/150203?geometry=yes"), 400));
}

TEST_F(BadInputTest, UnknownRouteIs404) { EXPECT_TRUE(is_problem(get("/api/v1/nothing"), 404)); }

TEST_F(BadInputTest, WrongMethodIs405WithAllow) {
  const HttpResponse response = http_request(port(), "DELETE", "/api/v1/grid/locate");

  EXPECT_TRUE(is_problem(response, 405));
  EXPECT_EQ(response.header("Allow"), "GET");
}

TEST_F(BadInputTest, GetOnTheImportRouteIs405AllowingPost) {
  const HttpResponse response = get("/api/v1/grid/import");

  EXPECT_TRUE(is_problem(response, 405));
  EXPECT_EQ(response.header("Allow"), "POST");
}

TEST_F(BadInputTest, ProblemNamesTheRequestAndEchoesTheRequestId) {
  const HttpResponse response =
      http_request(port(), "GET", "/api/v1/grid/150211", {},
                   {auth_headers("admin").front(), {"X-Request-Id", "e2e-trace-1"}});

  const nlohmann::json body = json_of(response);
  EXPECT_EQ(body.at("instance"), "/api/v1/grid/150211");
  EXPECT_EQ(body.at("request_id"), "e2e-trace-1");
  EXPECT_EQ(response.header("X-Request-Id"), "e2e-trace-1");
}

TEST_F(BadInputTest, UnusableRequestIdIsReplacedByTheServers) {
  const HttpResponse response =
      http_request(port(), "GET", "/healthz", {}, {{"X-Request-Id", "bad id with spaces"}});

  ASSERT_TRUE(response.header("X-Request-Id"));
  EXPECT_NE(response.header("X-Request-Id"), "bad id with spaces");
}

}  // namespace
}  // namespace gridcase::testing
