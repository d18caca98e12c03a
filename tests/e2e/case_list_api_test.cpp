#include <gtest/gtest.h>

#include <cctype>
#include <ostream>
#include <set>

#include "case_http.hpp"
#include "demo_server.hpp"

namespace gridcase::testing {
namespace {

using nlohmann::json;

/// GET /api/v1/cases. Other tests' cases share the database, so each test marks its own with
/// a token in the description and narrows the list to them with `q`.
class CaseListApiTest : public DemoServerTest {
 protected:
  void SetUp() override {
    DemoServerTest::SetUp();
    token_ = unique_token("e2e-list");
  }

  /// A case of `channel` at `place` whose description carries the token.
  std::string create(const std::string& channel = "web", const DemoPlace& place = kDemoPlace,
                     const std::string& category = "event:0101") {
    json body = case_intake_body(channel, place.lon, place.lat);
    body["description"] = "list test " + token_;
    body["category"] = category;
    return create_case(port(), body);
  }

  /// One page of the list; fails the test unless it answers 200.
  json list(const std::string& query) {
    const HttpResponse response = get_as(port(), "/api/v1/cases?" + query);
    EXPECT_EQ(response.status, 200U) << query << ": " << response.body;
    return json_of(response);
  }

  /// The case numbers of one page.
  static std::vector<std::string> numbers(const json& page) {
    std::vector<std::string> found;
    for (const json& item : page.at("items"))
      found.push_back(item.at("case_no").get<std::string>());
    return found;
  }

  /// My cases matching `filters`, newest first.
  std::vector<std::string> mine(const std::string& filters) {
    return numbers(list(filters + "&q=" + token_ + "&limit=200"));
  }

  std::string token_;
};

TEST_F(CaseListApiTest, GridFilterKeepsOnlyTheCasesOfThatStreet) {
  const DemoPlace elsewhere = other_demo_place(port());
  const std::string here = create("web", kDemoPlace);
  const std::string there = create("web", elsewhere);

  const std::vector<std::string> in_street = mine("grid=" + std::string(kDemoPlace.street));
  const std::vector<std::string> in_other = mine("grid=" + std::string(elsewhere.street));

  EXPECT_NE(std::string(kDemoPlace.street), elsewhere.street);
  EXPECT_EQ(in_street, std::vector<std::string>{here});
  EXPECT_EQ(in_other, std::vector<std::string>{there});
}

TEST_F(CaseListApiTest, EveryCaseListedForAStreetLiesInItsSubtree) {
  create("web", kDemoPlace);
  create("web", other_demo_place(port()));

  const json page = list("grid=" + std::string(kDemoPlace.street) + "&limit=200");

  ASSERT_FALSE(page.at("items").empty());
  for (const json& item : page.at("items")) {
    EXPECT_TRUE(item.at("cell").get<std::string>().starts_with(kDemoPlace.street)) << item;
  }
}

TEST_F(CaseListApiTest, KeysetPagesDoNotOverlapAndTogetherListEveryCaseNewestFirst) {
  std::vector<std::string> created;
  for (int i = 0; i < 5; ++i) created.push_back(create());

  std::vector<std::vector<std::string>> pages;
  std::string query = "q=" + token_ + "&limit=2";
  for (int guard = 0; guard < 10; ++guard) {
    const json page = list(query);
    pages.push_back(numbers(page));
    if (!page.at("next_cursor").is_string()) break;
    query = "q=" + token_ + "&limit=2&cursor=" + page.at("next_cursor").get<std::string>();
  }

  ASSERT_EQ(pages.size(), 3U);
  EXPECT_EQ(pages[0].size(), 2U);
  EXPECT_EQ(pages[1].size(), 2U);
  EXPECT_EQ(pages[2].size(), 1U);
  std::vector<std::string> all;
  for (const auto& page : pages) all.insert(all.end(), page.begin(), page.end());
  EXPECT_EQ(std::set<std::string>(all.begin(), all.end()).size(), all.size());
  EXPECT_EQ(all, std::vector<std::string>(created.rbegin(), created.rend()));
}

TEST_F(CaseListApiTest, StatusFilterKeepsOnlyCasesInThatStatus) {
  const std::string received = create();
  const std::string registered = create();
  post_action(port(), registered, "register",
              json{{"category", "event:0101"}, {"condition", "stop"}}, "shift_leader");

  EXPECT_EQ(mine("status=registered"), std::vector<std::string>{registered});
  EXPECT_EQ(mine("status=received"), std::vector<std::string>{received});
}

TEST_F(CaseListApiTest, ChannelFilterKeepsOnlyCasesOfThatChannel) {
  const std::string from_app = create("app");
  create("web");

  EXPECT_EQ(mine("channel=app"), std::vector<std::string>{from_app});
}

TEST_F(CaseListApiTest, CategoryFilterKeepsOnlyCasesOfThatCategory) {
  const std::string manhole = create("web", kDemoPlace, "component:0101");
  create("web", kDemoPlace, "event:0101");

  EXPECT_EQ(mine("category=component:0101"), std::vector<std::string>{manhole});
}

TEST_F(CaseListApiTest, FreshCaseIsNotOverdue) {
  const std::string fresh = create();

  EXPECT_EQ(mine("overdue=false"), std::vector<std::string>{fresh});
  EXPECT_TRUE(mine("overdue=true").empty());
}

TEST_F(CaseListApiTest, ListItemsCarryStatusVersionAndCell) {
  const std::string case_no = create();

  const json item = list("q=" + token_).at("items").at(0);

  EXPECT_EQ(item.at("case_no"), case_no);
  EXPECT_EQ(item.at("status"), "received");
  EXPECT_EQ(item.at("version"), 1);
  EXPECT_EQ(item.at("cell"), kDemoPlace.cell);
}

struct BadQuery {
  const char* query;
  unsigned status;
  const char* field;
};

/// Shown in test names and failures as the query itself.
void PrintTo(const BadQuery& bad, std::ostream* out) { *out << bad.query; }

class CaseListBadQueryApiTest : public DemoServerTest,
                                public ::testing::WithParamInterface<BadQuery> {};

TEST_P(CaseListBadQueryApiTest, BadQueryIsAProblemNamingTheParameter) {
  const HttpResponse response = get_as(port(), std::string("/api/v1/cases?") + GetParam().query);

  EXPECT_TRUE(is_problem(response, GetParam().status));
  EXPECT_EQ(error_fields(response), std::vector<std::string>{GetParam().field});
}

INSTANTIATE_TEST_SUITE_P(
    Parameters, CaseListBadQueryApiTest,
    ::testing::Values(BadQuery{"status=open", 422, "status"}, BadQuery{"limit=0", 422, "limit"},
                      BadQuery{"limit=201", 422, "limit"}, BadQuery{"limit=ten", 400, "limit"},
                      BadQuery{"cursor=abc", 422, "cursor"}, BadQuery{"cursor=-5", 422, "cursor"},
                      BadQuery{"channel=fax", 422, "channel"},
                      BadQuery{"category=garbage", 422, "category"},
                      BadQuery{"grid=12", 422, "grid"}, BadQuery{"overdue=maybe", 400, "overdue"},
                      BadQuery{"from=yesterday", 400, "from"},
                      BadQuery{"sort_by=id", 400, "sort_by"}),
    [](const ::testing::TestParamInfo<BadQuery>& param_info) {
      std::string name;
      for (const char* ch = param_info.param.query; *ch != '\0'; ++ch) {
        name += std::isalnum(static_cast<unsigned char>(*ch)) ? *ch : '_';
      }
      return name;
    });

}  // namespace
}  // namespace gridcase::testing
