#pragma once

#include <chrono>
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "gridcase/domain/case.hpp"
#include "gridcase/domain/case_status.hpp"
#include "gridcase/domain/clock.hpp"
#include "gridcase/domain/scope.hpp"

namespace gridcase::domain {

/// How much of a reporter a caller may see (domain.md §9).
enum class ReporterAccess {
  kMasked = 0,              // every role but operator and admin
  kUnlessConfidential = 1,  // admin: in full unless the reporter asked for confidentiality
  kFull = 2,                // operator
};
/// Whether an access shows a reporter in full is the database's to decide (gridcase_reveals).
ReporterAccess reporter_access(RoleSet roles);

/// The role an action is recorded under: the first of `roles` (in kAllRoles order) that the
/// lifecycle table lets do `action` from `from`; nullopt when none may.
std::optional<Role> acting_role(RoleSet roles, std::optional<CaseStatus> from, CaseAction action);

/// Throws kForbidden unless `actor` is an admin of the whole district: grid, catalogue,
/// calendar and accounts are theirs (domain.md §5).
void require_district_admin(const Actor& actor, std::string_view what);
/// The actor of bootstrap commands run on the server's own machine (seed-demo, import-grid,
/// user add): a district-wide admin named "cli".
Actor command_line_actor();

/// Throws kForbidden ("your role may not <action> a case") unless one of `roles` may do `action`
/// in some state: an action's first check once its case is found, fresh or replayed.
void require_role_for(CaseAction action, RoleSet roles);

/// Throws kForbidden for an integration, for reads across cases (the live feed, reports,
/// dispatch suggestions): it reads only the public fields of the cases it submitted, one by one
/// or listed (domain.md §5; `case_confinement` confines it). Every other role reads within its
/// scope.
void require_case_reader(const Actor& actor);

/// Throws kForbidden for an integration reading the grid, its officers or the units: filing a
/// case needs none of them (it files against the category catalogue, and intake itself locates
/// the point), and officers' names and phones are staff data (docs/security.md, "Scope holes").
void require_grid_reader(const Actor& actor);

/// The cases an actor may name (the case of an action, a merge target) or see named in an answer
/// (possible duplicates): those inside its scope, and of an integration only the ones it
/// submitted (domain.md §5). Any other case is to that actor exactly as one that does not exist.
struct CaseConfinement {
  Scope scope;
  std::optional<std::string> received_by;  // only the cases this account submitted
};
CaseConfinement case_confinement(const Actor& actor);

/// True when `actor` places cases (intake, locate) only inside its part of the grid: every
/// scope but the district's.
bool places_only_in_scope(const Actor& actor);
/// The one refusal of a point outside the caller's part of the grid, for intake and locate
/// alike: kInvalidValue on `lon`.
[[noreturn]] void refuse_point_outside_scope();

/// Whether `actor` may send a case located in `cell_code` to a unit whose grid scope is
/// `unit_scope` (dispatch, reassign). A district-wide dispatcher chooses any unit (domain.md §3);
/// a confined one only a unit whose scope contains the case's cell (a district-wide unit always
/// does), so that no case reaches, through a unit, readers outside the dispatcher's part.
bool may_send_to_unit(const Actor& actor, std::string_view unit_scope,
                      const std::optional<std::string>& cell_code);

/// What a read across many cases (a report, the live feed) covers: the caller's scope, narrowed
/// to the grid node they asked for. Empty fields do not confine.
struct ReadConfinement {
  std::optional<std::string> grid;     // a grid node's subtree
  std::optional<std::string> unit;     // cases dispatched to this unit
  std::optional<std::string> officer;  // cases in this officer's cells
};
/// Checks `requested_grid`'s shape (field `grid`) and confines the read to the caller's
/// scope. A node outside a grid-confined caller's subtree throws kNotFound: it reads as absent,
/// like a case outside it. Whether the node exists is the caller's to check.
ReadConfinement confine_read(const Scope& scope, std::optional<std::string> requested_grid);

/// Whether a long-lived read (an event stream) opened by `then` may go on for `now`, the caller
/// its token names today: the same account with the same roles and scope (docs/security.md,
/// "Event streams").
bool is_same_reader(const Actor& now, const Actor& then);

/// True when `actor` may submit a new case on `channel`: an integration only on its own channels.
bool may_receive_on(const Actor& actor, Channel channel);

/// A user as an admin defines it (docs/security.md).
struct UserSpec {
  std::string username;
  std::string display_name;
  RoleSet roles;
  Scope scope;
  std::vector<Channel> channels;  // integration only
  bool active = true;
};

/// The longest username, in bytes: what a login names is refused beyond it before anything is
/// counted or looked up.
inline constexpr std::size_t kMaxUsernameBytes = 64;
/// Lowercase letters, digits and _ . @ -, 1 to kMaxUsernameBytes, starting with a letter or digit.
bool is_username(std::string_view text);
/// Throws kInvalidValue on `username` when the text a login names is longer than any username.
void require_login_username_length(std::string_view username);
/// The actor names events and audit records carry for the server's own work (the scheduler,
/// the nightly job, reporter retention) and for bootstrap commands.
inline constexpr std::string_view kSystemActorName = "system";
inline constexpr std::string_view kCommandLineActorName = "cli";
/// True for a name no account may take, in any case: an event's actor would read as the
/// scheduler's or the command line's.
bool is_reserved_username(std::string_view text);
/// Throws kInvalidValue on `username` for a reserved name (is_reserved_username).
void require_unreserved_username(std::string_view username);
/// Throws kInvalidValue naming every problem: the username, display name, roles and the
/// combination of roles, scope and channels (unit staff have a unit scope, officers an officer
/// scope, an integration is alone in its roles, works district-wide and names its channels;
/// only operators, shift leaders, dispatchers and supervisors may be confined to a grid node;
/// an admin is district-wide).
void require_valid(const UserSpec& user);
/// True for a one-line name or label: no control characters (has_control_characters, text.hpp).
bool is_single_line_text(std::string_view text);
/// 10 to 256 bytes, not all the same character. Throws kInvalidValue on `field`.
void require_password_quality(std::string_view password, std::string_view field = "password");

/// Failed logins (docs/security.md, "Failed logins"): `max_failures` attempts within `window` for
/// one username, or `max_address_failures` from one address, lock further attempts for
/// `lockout`. The address's limit is the higher one: the desks of a center often share one NAT
/// address, and one person's typos must not lock the whole room out. The counting itself is the
/// database's (gridcase_count_login_attempt): it must be atomic across server processes.
struct LoginThrottle {
  int max_failures = 5;
  int max_address_failures = 100;
  std::chrono::seconds window{15 * 60};
  std::chrono::seconds lockout{15 * 60};
};

}  // namespace gridcase::domain
