#include "gridcase/domain/claim.hpp"

#include "gridcase/domain/error.hpp"
#include "gridcase/domain/time_text.hpp"

namespace gridcase::domain {
namespace {

bool held_by_another(const std::optional<CaseClaim>& current, std::string_view username,
                     Timestamp now) {
  return current && current->claimed_by != username && current->claimed_until > now;
}

[[noreturn]] void refuse_held(const CaseClaim& current) {
  throw Error(ErrorCode::kConflict, current.claimed_by + " is working on this case until " +
                                        format_rfc3339(current.claimed_until));
}

}  // namespace

void require_claimant(const Actor& actor) {
  for (Role role : {Role::kOperator, Role::kShiftLeader, Role::kDispatcher, Role::kAdmin}) {
    if (actor.roles.contains(role)) return;
  }
  throw Error(ErrorCode::kForbidden,
              "only an operator, a shift leader, a dispatcher or an admin claims a case");
}

CaseClaim take_claim(const std::optional<CaseClaim>& current, std::string_view username,
                     Timestamp now, std::chrono::minutes length) {
  if (held_by_another(current, username, now)) refuse_held(*current);
  return CaseClaim{std::string(username), now + length};
}

bool release_claim(const std::optional<CaseClaim>& current, std::string_view username,
                   Timestamp now) {
  if (held_by_another(current, username, now)) refuse_held(*current);
  return current.has_value();
}

}  // namespace gridcase::domain
