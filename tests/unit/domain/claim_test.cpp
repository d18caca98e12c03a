#include "gridcase/domain/claim.hpp"

#include <gtest/gtest.h>

namespace gridcase::domain {
namespace {

using std::chrono::minutes;

const Timestamp kNow{std::chrono::milliseconds{1'780'000'000'000}};

Actor actor_with(Role role) {
  Actor actor;
  actor.id = "someone";
  actor.roles.insert(role);
  return actor;
}

TEST(ClaimTest, DeskRolesClaimOthersAreForbidden) {
  for (Role role : {Role::kOperator, Role::kShiftLeader, Role::kDispatcher, Role::kAdmin}) {
    EXPECT_NO_THROW(require_claimant(actor_with(role)));
  }
  for (Role role : {Role::kUnit, Role::kOfficer, Role::kSupervisor, Role::kIntegration}) {
    try {
      require_claimant(actor_with(role));
      ADD_FAILURE() << "claimed as " << to_string(role);
    } catch (const Error& error) {
      EXPECT_EQ(error.code(), ErrorCode::kForbidden);
    }
  }
}

TEST(ClaimTest, AFreeOwnOrLapsedClaimIsTakenARunningOneOfAnotherIsAConflict) {
  const CaseClaim taken = take_claim(std::nullopt, "op1", kNow, minutes{15});
  EXPECT_EQ(taken.claimed_by, "op1");
  EXPECT_EQ(taken.claimed_until, kNow + minutes{15});

  // Renewed by its holder; taken over once lapsed (at its end exactly, too).
  const CaseClaim running{"op1", kNow + minutes{5}};
  EXPECT_EQ(take_claim(running, "op1", kNow, minutes{15}).claimed_until, kNow + minutes{15});
  EXPECT_EQ(take_claim(CaseClaim{"op1", kNow}, "op2", kNow, minutes{15}).claimed_by, "op2");

  try {
    take_claim(running, "op2", kNow, minutes{15});
    ADD_FAILURE() << "took a running claim";
  } catch (const Error& error) {
    EXPECT_EQ(error.code(), ErrorCode::kConflict);
    EXPECT_NE(std::string(error.what()).find("op1"), std::string::npos) << error.what();
  }
}

TEST(ClaimTest, ReleaseRemovesOwnOrLapsedClaimsAndRefusesAnothersRunningOne) {
  EXPECT_FALSE(release_claim(std::nullopt, "op1", kNow));
  EXPECT_TRUE(release_claim(CaseClaim{"op1", kNow + minutes{5}}, "op1", kNow));
  EXPECT_TRUE(release_claim(CaseClaim{"op2", kNow - minutes{1}}, "op1", kNow));
  EXPECT_THROW(release_claim(CaseClaim{"op2", kNow + minutes{1}}, "op1", kNow), Error);
}

}  // namespace
}  // namespace gridcase::domain
