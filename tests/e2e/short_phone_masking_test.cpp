// A short reporter phone masked as well as a mobile (sql/functions/070_gridcase_mask_phone.sql,
// docs/security.md): the operator who received it sees it in full, a shift leader only its last
// four digits.
#include <gtest/gtest.h>

#include "support/case_http.hpp"
#include "support/demo_server.hpp"

namespace gridcase::testing {
namespace {

using nlohmann::json;

using ShortPhoneMaskingTest = DemoServerTest;

TEST_F(ShortPhoneMaskingTest, AnEightDigitPhoneShowsOnlyItsLastFourDigitsToAShiftLeader) {
  json body = case_intake_body("web");
  body["reporter"]["phone"] = "51234567";

  const HttpResponse received = post_case(port(), body, "operator");
  ASSERT_EQ(received.status, 201U) << received.body;
  const std::string case_no = json_of(received).at("case_no");
  const json seen = json_of(get_as(port(), "/api/v1/cases/" + case_no, "shift_leader"));

  EXPECT_EQ(json_of(received).at("reporter").at("phone"), "51234567");
  EXPECT_EQ(seen.at("reporter").at("phone"), "****4567");
}

}  // namespace
}  // namespace gridcase::testing
