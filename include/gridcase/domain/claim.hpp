#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

#include "gridcase/domain/case.hpp"
#include "gridcase/domain/time.hpp"

namespace gridcase::domain {

// A desk's claim on a case (docs/console.md): an operator working a call, a dispatcher routing a
// case, says so for a while, and the others see it in their queues. A claim is advice between
// desks, not a lock: it refuses no action, and it lapses by itself.

struct CaseClaim {
  std::string claimed_by;  // the account
  Timestamp claimed_until;
};

/// Whether `actor` works cases at a desk and so may claim one: operator, shift leader,
/// dispatcher or admin. kForbidden otherwise.
void require_claimant(const Actor& actor);

/// The claim `username` holds after claiming at `now` a case `current` holds (or held): a new
/// or renewed claim for `length`. kConflict naming the holder when another account's claim runs.
CaseClaim take_claim(const std::optional<CaseClaim>& current, std::string_view username,
                     Timestamp now, std::chrono::minutes length);

/// Whether releasing at `now` removes `current`: yes for the caller's own claim or a lapsed one,
/// no when there is none. kConflict when another account's claim runs.
bool release_claim(const std::optional<CaseClaim>& current, std::string_view username,
                   Timestamp now);

}  // namespace gridcase::domain
