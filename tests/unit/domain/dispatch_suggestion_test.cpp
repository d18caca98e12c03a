#include "gridcase/domain/dispatch_suggestion.hpp"

#include <gtest/gtest.h>

namespace gridcase::domain {
namespace {

UnitCandidate unit(std::string code, std::string type, std::string scope, std::int64_t load = 0,
                   std::int64_t on_time = 0, std::int64_t late = 0) {
  UnitCandidate candidate;
  candidate.code = std::move(code);
  candidate.name = candidate.code;
  candidate.type = std::move(type);
  candidate.scope_code = std::move(scope);
  candidate.open_handling = load;
  candidate.recent_on_time = on_time;
  candidate.recent_late = late;
  return candidate;
}

std::vector<std::string> codes(const std::vector<DispatchSuggestion>& suggestions) {
  std::vector<std::string> result;
  for (const DispatchSuggestion& each : suggestions) result.push_back(each.unit.code);
  return result;
}

TEST(DispatchSuggestionRankTest, TypeThenNarrowestScopeThenLoadThenOnTimeRate) {
  const std::vector<DispatchSuggestion> ranked =
      rank_dispatch_suggestions({unit("district-works", "municipal_works", "150203"),
                                 unit("street-squad", "enforcement", "150203004", 5),
                                 unit("district-enforcement", "enforcement", "150203"),
                                 unit("community-squad", "enforcement", "150203004012", 9),
                                 unit("busy-street", "enforcement", "150203004", 6, 10, 0),
                                 unit("idle-street", "enforcement", "150203004", 5, 1, 3)},
                                "enforcement", std::nullopt);

  EXPECT_EQ(codes(ranked),
            (std::vector<std::string>{"community-squad", "idle-street", "street-squad",
                                      "busy-street", "district-enforcement", "district-works"}));
  EXPECT_EQ(ranked[0].rank, 1);
  EXPECT_EQ(ranked[5].rank, 6);
  EXPECT_FALSE(ranked[5].type_matches);
  EXPECT_EQ(ranked[1].recent_on_time_rate, 0.25);
  EXPECT_FALSE(ranked[2].recent_on_time_rate.has_value());
  EXPECT_EQ(ranked[1].reason,
            "type enforcement matches the filing condition; serves street 150203004, which "
            "contains the case's cell; 5 open handling instances; on-time handling 25.00% (1 of "
            "4) in the last 30 days");
  EXPECT_EQ(ranked[5].reason,
            "type municipal_works is not the filing condition's (enforcement); serves district "
            "150203, which contains the case's cell; 0 open handling instances; nothing handled "
            "in the last 30 days");
}

TEST(DispatchSuggestionRankTest, AReassignLeavesTheCurrentUnitOut) {
  const std::vector<DispatchSuggestion> ranked = rank_dispatch_suggestions(
      {unit("a", "enforcement", "150203004"), unit("b", "enforcement", "150203")}, "enforcement",
      std::string("a"));

  EXPECT_EQ(codes(ranked), (std::vector<std::string>{"b"}));
  EXPECT_EQ(ranked[0].rank, 1);
}

TEST(DispatchSuggestionRankTest, ADispatchFollowedTheFirstSuggestionOrNotOrHadNone) {
  const std::vector<DispatchSuggestion> ranked = rank_dispatch_suggestions(
      {unit("a", "enforcement", "150203004"), unit("b", "enforcement", "150203")}, "enforcement",
      std::nullopt);

  EXPECT_EQ(suggestion_outcome(ranked, "a"), "followed");
  EXPECT_EQ(suggestion_outcome(ranked, "b"), "not_followed");
  EXPECT_EQ(suggestion_outcome({}, "a"), std::nullopt);
}

}  // namespace
}  // namespace gridcase::domain
