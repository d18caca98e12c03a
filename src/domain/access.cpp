#include "gridcase/domain/access.hpp"

#include <algorithm>
#include <cctype>
#include <string>

#include "gridcase/domain/grid.hpp"
#include "gridcase/domain/text.hpp"

namespace gridcase::domain {
namespace {

constexpr RoleSet kGridConfinable{Role::kOperator, Role::kShiftLeader, Role::kDispatcher,
                                  Role::kSupervisor};

}  // namespace

ReporterAccess reporter_access(RoleSet roles) {
  if (roles.contains(Role::kOperator)) return ReporterAccess::kFull;
  if (roles.contains(Role::kAdmin)) return ReporterAccess::kUnlessConfidential;
  return ReporterAccess::kMasked;
}

std::optional<Role> acting_role(RoleSet roles, std::optional<CaseStatus> from, CaseAction action) {
  const RoleSet allowed = roles_for(from, action);
  for (Role role : kAllRoles) {
    if (role != Role::kSystem && roles.contains(role) && allowed.contains(role)) return role;
  }
  return std::nullopt;
}

void require_district_admin(const Actor& actor, std::string_view what) {
  if (!actor.roles.contains(Role::kAdmin) || actor.scope.kind != ScopeKind::kDistrict) {
    throw Error(ErrorCode::kForbidden, "only a district-wide admin may " + std::string(what));
  }
}

Actor command_line_actor() {
  Actor actor;
  actor.id = kCommandLineActorName;
  actor.roles = RoleSet{Role::kAdmin};
  actor.acting_as = Role::kAdmin;
  return actor;
}

void require_role_for(CaseAction action, RoleSet roles) {
  if (!is_role_allowed(action, roles)) {
    throw Error(ErrorCode::kForbidden,
                "your role may not " + std::string(to_string(action)) + " a case");
  }
}

void require_case_reader(const Actor& actor) {
  if (actor.roles == RoleSet{Role::kIntegration}) {
    throw Error(ErrorCode::kForbidden,
                "an integration reads only the cases it submitted, one by one or listed");
  }
}

void require_grid_reader(const Actor& actor) {
  if (actor.roles == RoleSet{Role::kIntegration}) {
    throw Error(ErrorCode::kForbidden,
                "an integration files cases against the category catalogue; it does not read "
                "the grid, its officers or the units");
  }
}

CaseConfinement case_confinement(const Actor& actor) {
  CaseConfinement confinement{actor.scope, std::nullopt};
  if (actor.roles == RoleSet{Role::kIntegration}) confinement.received_by = actor.id;
  return confinement;
}

bool places_only_in_scope(const Actor& actor) { return actor.scope.kind != ScopeKind::kDistrict; }

void refuse_point_outside_scope() {
  throw_invalid("lon", "the point lies outside your part of the grid");
}

bool may_send_to_unit(const Actor& actor, std::string_view unit_scope,
                      const std::optional<std::string>& cell_code) {
  if (actor.scope.kind == ScopeKind::kDistrict) return true;
  if (level_of_code(unit_scope) == GridLevel::kDistrict) return true;
  // Codes nest by prefix: a node contains exactly the cells whose codes start with its own.
  return cell_code && cell_code->starts_with(unit_scope);
}

bool is_same_reader(const Actor& now, const Actor& then) {
  return now.id == then.id && now.roles == then.roles && now.scope == then.scope;
}

ReadConfinement confine_read(const Scope& scope, std::optional<std::string> requested_grid) {
  ReadConfinement confined;
  if (requested_grid) {
    require_grid_code(*requested_grid, "grid");
    if (scope.kind == ScopeKind::kGrid && !requested_grid->starts_with(scope.code)) {
      throw Error(ErrorCode::kNotFound, "no grid node " + *requested_grid);
    }
    confined.grid = std::move(requested_grid);
  } else if (scope.kind == ScopeKind::kGrid) {
    confined.grid = scope.code;
  }
  if (scope.kind == ScopeKind::kUnit) confined.unit = scope.code;
  if (scope.kind == ScopeKind::kOfficer) confined.officer = scope.code;
  return confined;
}

bool may_receive_on(const Actor& actor, Channel channel) {
  if (!actor.roles.contains(Role::kIntegration)) return true;
  return std::find(actor.channels.begin(), actor.channels.end(), channel) != actor.channels.end();
}

bool is_single_line_text(std::string_view text) { return !has_control_characters(text); }

bool is_username(std::string_view text) {
  if (text.empty() || text.size() > kMaxUsernameBytes) return false;
  auto lower_or_digit = [](char ch) {
    return (ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9');
  };
  if (!lower_or_digit(text.front())) return false;
  return std::all_of(text.begin(), text.end(), [&](char ch) {
    return lower_or_digit(ch) || ch == '_' || ch == '.' || ch == '@' || ch == '-';
  });
}

void require_login_username_length(std::string_view username) {
  if (username.size() > kMaxUsernameBytes) {
    throw_invalid("username", "at most " + std::to_string(kMaxUsernameBytes) + " bytes");
  }
}

bool is_reserved_username(std::string_view text) {
  auto same_ignoring_case = [&](std::string_view reserved) {
    return std::equal(
        text.begin(), text.end(), reserved.begin(), reserved.end(),
        [](char a, char b) { return std::tolower(static_cast<unsigned char>(a)) == b; });
  };
  return same_ignoring_case(kSystemActorName) || same_ignoring_case(kCommandLineActorName);
}

void require_unreserved_username(std::string_view username) {
  if (is_reserved_username(username)) {
    throw_invalid("username", std::string(username) + " is reserved for the actors of events");
  }
}

void require_valid(const UserSpec& user) {
  std::vector<FieldError> problems;
  auto problem = [&](std::string field, std::string message) {
    problems.push_back({std::move(field), std::move(message)});
  };
  if (!is_username(user.username)) {
    problem("username",
            "1 to 64 lowercase letters, digits and _ . @ -, starting with a letter or digit");
  }
  const std::optional<std::size_t> name_length = utf8_length(user.display_name);
  if (!name_length || *name_length == 0 || *name_length > 100 ||
      !is_single_line_text(user.display_name)) {
    problem("display_name", "1 to 100 characters, no control characters");
  }
  const RoleSet roles = user.roles;
  if (roles.empty()) problem("roles", "at least one role");
  if (roles.contains(Role::kSystem)) problem("roles", "system is not a role a user can hold");
  if (roles.contains(Role::kIntegration) && roles != RoleSet{Role::kIntegration}) {
    problem("roles", "an integration holds no other role");
  }
  if (roles.contains(Role::kIntegration) && user.channels.empty()) {
    problem("channels", "an integration names the channels it submits on");
  }
  if (!roles.contains(Role::kIntegration) && !user.channels.empty()) {
    problem("channels", "only an integration has channels");
  }
  const Scope& scope = user.scope;
  switch (scope.kind) {
    case ScopeKind::kDistrict:
      if (roles.contains(Role::kUnit))
        problem("scope", "unit staff have a unit scope: unit:<code>");
      if (roles.contains(Role::kOfficer))
        problem("scope", "an officer has an officer scope: officer:<code>");
      break;
    case ScopeKind::kGrid:
      if (!level_of_code(scope.code)) problem("scope", "grid:<code> names a grid node code");
      for (Role role : roles.roles()) {
        if (!kGridConfinable.contains(role)) {
          problem("scope", std::string("a ") + std::string(to_string(role)) +
                               " cannot be confined to a grid node; use district");
        }
      }
      break;
    case ScopeKind::kUnit:
      if (roles != RoleSet{Role::kUnit})
        problem("scope", "a unit scope goes with the unit role alone");
      break;
    case ScopeKind::kOfficer:
      if (roles != RoleSet{Role::kOfficer}) {
        problem("scope", "an officer scope goes with the officer role alone");
      }
      break;
  }
  if (!problems.empty()) {
    const std::string message = problems.front().field + ": " + problems.front().message;
    throw Error(ErrorCode::kInvalidValue, message, {.fields = std::move(problems)});
  }
}

void require_password_quality(std::string_view password, std::string_view field) {
  if (password.size() < 10 || password.size() > 256) {
    throw_invalid(std::string(field), "10 to 256 bytes");
  }
  if (std::all_of(password.begin(), password.end(),
                  [&](char ch) { return ch == password.front(); })) {
    throw_invalid(std::string(field), "not one character repeated");
  }
}

}  // namespace gridcase::domain
