#pragma once

#include <cstdint>
#include <initializer_list>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "gridcase/domain/time.hpp"

namespace gridcase::domain {

/// The states of domain.md §6. Every one but kRejected and kClosed is open.
enum class CaseStatus {
  kReceived,
  kVerifying,
  kRegistered,
  kDispatched,
  kHandling,
  kSuspended,
  kHandled,
  kResolved,
  kReplied,
  kRejected,
  kClosed,
};

inline constexpr CaseStatus kAllCaseStatuses[] = {
    CaseStatus::kReceived, CaseStatus::kVerifying, CaseStatus::kRegistered, CaseStatus::kDispatched,
    CaseStatus::kHandling, CaseStatus::kSuspended, CaseStatus::kHandled,    CaseStatus::kResolved,
    CaseStatus::kReplied,  CaseStatus::kRejected,  CaseStatus::kClosed};

/// The actions of domain.md §6; one URL each (`POST /cases/{case}/actions/{action}`).
enum class CaseAction {
  kReceive,
  kLocate,
  kRequestVerification,
  kVerify,
  kWithdrawVerification,
  kRegister,
  kReject,
  kDispatch,
  kAcknowledge,
  kReturn,
  kReassign,
  kUrge,
  kRequestExtension,
  kApproveExtension,
  kDenyExtension,
  kRequestSuspension,
  kSuspend,
  kResume,
  kComplete,
  kCheck,
  kRework,
  kReply,
  kClose,
  kCallback,
  kReopen,
  kMerge,
};

inline constexpr CaseAction kAllCaseActions[] = {CaseAction::kReceive,
                                                 CaseAction::kLocate,
                                                 CaseAction::kRequestVerification,
                                                 CaseAction::kVerify,
                                                 CaseAction::kWithdrawVerification,
                                                 CaseAction::kRegister,
                                                 CaseAction::kReject,
                                                 CaseAction::kDispatch,
                                                 CaseAction::kAcknowledge,
                                                 CaseAction::kReturn,
                                                 CaseAction::kReassign,
                                                 CaseAction::kUrge,
                                                 CaseAction::kRequestExtension,
                                                 CaseAction::kApproveExtension,
                                                 CaseAction::kDenyExtension,
                                                 CaseAction::kRequestSuspension,
                                                 CaseAction::kSuspend,
                                                 CaseAction::kResume,
                                                 CaseAction::kComplete,
                                                 CaseAction::kCheck,
                                                 CaseAction::kRework,
                                                 CaseAction::kReply,
                                                 CaseAction::kClose,
                                                 CaseAction::kCallback,
                                                 CaseAction::kReopen,
                                                 CaseAction::kMerge};

/// The roles of domain.md §5, plus kSystem: the server itself (scheduled resume, timer events).
enum class Role {
  kOperator,
  kShiftLeader,
  kDispatcher,
  kUnit,
  kOfficer,
  kSupervisor,
  kIntegration,
  kAdmin,
  kSystem,
};

inline constexpr Role kAllRoles[] = {Role::kOperator,    Role::kShiftLeader, Role::kDispatcher,
                                     Role::kUnit,        Role::kOfficer,     Role::kSupervisor,
                                     Role::kIntegration, Role::kAdmin,       Role::kSystem};

/// The outcome of a `check` (核查): it decides where the case goes.
enum class CheckResult { kPassed, kFailed };

std::string_view to_string(CaseStatus status);
std::string_view to_string(CaseAction action);
std::string_view to_string(Role role);
std::string_view to_string(CheckResult result);
std::optional<CaseStatus> parse_case_status(std::string_view text);
std::optional<CaseAction> parse_case_action(std::string_view text);
std::optional<Role> parse_role(std::string_view text);
std::optional<CheckResult> parse_check_result(std::string_view text);

/// False only for kRejected and kClosed.
bool is_open(CaseStatus status);

/// A set of roles (a caller may hold several), as a bit set.
class RoleSet {
 public:
  constexpr RoleSet() = default;
  constexpr RoleSet(std::initializer_list<Role> roles) {
    for (Role role : roles) insert(role);
  }
  explicit RoleSet(std::span<const Role> roles) {
    for (Role role : roles) insert(role);
  }

  constexpr RoleSet& insert(Role role) {
    bits_ = static_cast<std::uint16_t>(bits_ | bit(role));
    return *this;
  }
  constexpr bool contains(Role role) const { return (bits_ & bit(role)) != 0; }
  constexpr bool intersects(RoleSet other) const { return (bits_ & other.bits_) != 0; }
  constexpr bool empty() const { return bits_ == 0; }
  constexpr RoleSet operator|(RoleSet other) const {
    RoleSet both;
    both.bits_ = static_cast<std::uint16_t>(bits_ | other.bits_);
    return both;
  }
  /// The members in kAllRoles order.
  std::vector<Role> roles() const;

  friend constexpr bool operator==(RoleSet, RoleSet) = default;

 private:
  static constexpr std::uint16_t bit(Role role) {
    return static_cast<std::uint16_t>(1U << static_cast<unsigned>(role));
  }
  std::uint16_t bits_ = 0;
};

/// One row of the lifecycle table: a legal move and who may make it. Anything absent is illegal.
struct Transition {
  std::optional<CaseStatus> from;  // nullopt: the case does not exist yet (receive)
  CaseAction action{};
  CaseStatus to{};  // == from for the actions that keep the state (locate, urge, callback, ...)
  RoleSet roles;
  std::optional<CheckResult> check_result;  // set only on the two kCheck rows
};

/// Every row of domain.md §6, one per (from, action), two for check (passed and failed).
std::span<const Transition> transitions();

/// The status a new case starts in (the `receive` row).
inline constexpr CaseStatus kInitialStatus = CaseStatus::kReceived;

/// The status after `action` from `from`, or nullopt when the table has no such move.
/// kCheck needs `check_result` (passed → resolved, failed → dispatched): without one it gives
/// nullopt. The parameter is ignored for every other action.
std::optional<CaseStatus> next_status(CaseStatus from, CaseAction action,
                                      std::optional<CheckResult> check_result = std::nullopt);

/// Every role that may do `action` in some state: what decides 403 ("may never do this").
RoleSet roles_for(CaseAction action);

/// The roles that may do `action` from `from` (empty when the move does not exist): reject
/// from `registered` is the shift leader's alone.
RoleSet roles_for(std::optional<CaseStatus> from, CaseAction action);

/// True when any of `roles` may do `action` in some state (false means 403).
bool is_role_allowed(CaseAction action, RoleSet roles);

/// True when any of `roles` may do `action` from `status` by the table (guards not included).
bool is_allowed(CaseStatus status, CaseAction action, RoleSet roles);

/// The actions any of `roles` may do from `status`, in kAllCaseActions order: the
/// `allowed_actions` of a 409 answer. Guards are not evaluated.
std::vector<CaseAction> allowed_actions(CaseStatus status, RoleSet roles);

/// At most this many extensions are approved per handling cycle.
inline constexpr int kMaxExtensionsPerCycle = 2;

/// What the guards of domain.md §6 need to know about the case, as plain values (the service
/// fills them from the case, its handling cycle and its event log).
struct CaseFacts {
  CaseStatus status = CaseStatus::kReceived;
  bool located = false;  // has a cell
  // the case's own reporter, or an unanswered one of a case merged into it (transitively);
  // false for patrol, video and anonymous reports with no such duplicate
  bool has_reporter_to_answer = false;
  bool merged = false;             // closed as a duplicate of another case
  bool extension_pending = false;  // a request_extension awaits approve/deny
  int approved_extensions_this_cycle = 0;
  std::optional<Timestamp> handling_deadline;           // in force: extensions, pauses applied
  std::optional<Timestamp> requested_suspension_until;  // a pending request_suspension
};

/// The action parameters the guards look at.
struct ActionParams {
  std::optional<Timestamp> until;                 // request_suspension, suspend
  std::optional<CaseStatus> merge_target_status;  // merge: the original case's status
  bool merge_target_is_self = false;              // merge: the original is this very case
};

/// The latest `until` a suspension may name when asked at `now`: one calendar year later (29
/// February moves to 28 February).
Timestamp latest_suspension_until(Timestamp now);

/// Why a guard of domain.md §6 refuses `action` (a 409 reason for the client), or nullopt when
/// every guard passes. Checks guards only: call it after the table allowed the move.
///   register, dispatch, request_verification: the case must be located;
///   request_extension: the handling deadline has not passed (it may be exactly now), no
///     request is pending, fewer than kMaxExtensionsPerCycle were approved this cycle;
///   approve_extension, deny_extension: a request is pending;
///   request_suspension: `until` given, after `now` and at most latest_suspension_until(now);
///   suspend: the same for `until`, which defaults to the pending request's;
///   close from resolved: no reporter to answer (reply first otherwise);
///   callback, reopen: the case was not merged;
///   merge: the original is another case and open.
std::optional<std::string> guard_failure(CaseAction action, const CaseFacts& facts,
                                         const ActionParams& params, Timestamp now);

}  // namespace gridcase::domain
