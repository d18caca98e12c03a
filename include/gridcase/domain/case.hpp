#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "gridcase/domain/calendar.hpp"
#include "gridcase/domain/case_status.hpp"
#include "gridcase/domain/error.hpp"
#include "gridcase/domain/grid.hpp"
#include "gridcase/domain/scope.hpp"
#include "gridcase/domain/time.hpp"
#include "gridcase/domain/time_limit.hpp"
#include "gridcase/domain/timers.hpp"

namespace gridcase::domain {

/// Where a case came from (domain.md §4); decides what intake requires.
enum class Channel {
  kHotline12319,
  kHotline12345,
  kMayorMailbox,
  kMayorHotline,
  kPatrol,
  kVideo,
  kEnvInspection,
  kPetition,
  kWeb,
  kApp,
};
inline constexpr Channel kAllChannels[] = {
    Channel::kHotline12319, Channel::kHotline12345, Channel::kMayorMailbox,  Channel::kMayorHotline,
    Channel::kPatrol,       Channel::kVideo,        Channel::kEnvInspection, Channel::kPetition,
    Channel::kWeb,          Channel::kApp};

std::string_view to_string(Channel channel);
std::optional<Channel> parse_channel(std::string_view text);
/// A call was taken: caller, phone and the operator who took it are required.
bool is_hotline(Channel channel);

struct Reporter {
  std::optional<std::string> name;
  std::optional<std::string> phone;
  bool confidential = false;
};

struct HotlineCall {
  Timestamp started_at;
  std::optional<Timestamp> ended_at;
  std::string operator_name;  // who took the call
};

struct Letter {
  std::string subject;
  std::string body;
};

/// What intake receives, already read from the request.
struct NewCase {
  Channel channel = Channel::kWeb;
  std::string description;
  std::optional<Point> point;
  std::optional<std::string> address;
  std::optional<std::string> category_key;
  std::optional<Timestamp> occurred_at;
  std::vector<std::string> photos;
  std::optional<Reporter> reporter;
  std::optional<HotlineCall> call;
  std::optional<std::string> officer_code;  // patrol: the reporting officer
  std::optional<Letter> letter;
};

inline constexpr std::size_t kMaxDescriptionChars = 2000;
inline constexpr std::size_t kMaxAddressChars = 200;
inline constexpr std::size_t kMaxNoteChars = 2000;
inline constexpr std::size_t kMaxLetterChars = 20000;
inline constexpr std::size_t kMaxPhotos = 20;
inline constexpr std::size_t kMaxUrlChars = 1000;

/// Every rule of intake that needs nothing but the request (domain.md §4, contract/api.md Writes):
/// channel requirements, lengths, URLs, coordinates, phone format. Throws kMalformed listing
/// every missing field, else kInvalidValue listing every bad value. Fields are JSON paths.
void require_valid(const NewCase& intake, Timestamp now);

/// True for an absolute http(s) URL without spaces or control characters.
bool is_web_url(std::string_view text);

/// True for text of a case number's shape, `<district>-<YYYYMMDD>-<6-digit daily sequence>`.
/// The database numbers cases (docs/architecture.md, SQL-owned rules).
bool is_case_number(std::string_view text);

/// A reporter is to be answered unless the case has none (patrol, video, anonymous).
bool has_reporter_to_answer(Channel channel, const std::optional<Reporter>& reporter);

/// Who acts: a user id, the roles they hold and the part of the district they answer for.
struct Actor {
  std::string id;
  RoleSet roles;
  Role acting_as = Role::kSystem;  // the role recorded in the event
  Scope scope;                     // the district unless confined (domain/scope.hpp)
  std::vector<Channel> channels;   // an integration's own channels
};

/// An officer's own patrol report names them (domain.md §4: "a patrol officer's own report"):
/// received by an officer account acting as officer, a patrol report without `officer` gets the
/// account's officer code, and one naming another officer is refused (kInvalidValue, `officer`).
/// Other actors name the reporting officer themselves (a dispatcher entering a radio report).
void attribute_patrol_report(NewCase& intake, const Actor& actor);

/// The action parameters of domain.md §6, as read from the request body.
struct ActionInput {
  std::optional<std::string> reason;
  std::optional<std::string> note;
  std::vector<std::string> attachments;
  std::optional<std::string> unit;          // dispatch, reassign
  std::optional<std::string> assignee;      // dispatch, reassign
  std::optional<std::string> category;      // register
  std::optional<std::string> condition;     // register
  std::optional<std::string> result;        // verify: confirmed|not_found; check: passed|failed
  std::optional<bool> reached;              // callback
  std::optional<std::string> satisfaction;  // callback: satisfied|basically_satisfied|dissatisfied
  std::optional<Timestamp> until;           // request_suspension, suspend
  std::optional<std::string> into;          // merge: the original case number
  std::optional<Point> point;               // locate
  std::optional<std::string> address;       // locate
};

/// Parameter rules per action: kMalformed for missing required parameters, kInvalidValue for
/// values outside their enumeration or limits.
void require_valid(CaseAction action, const ActionInput& input);
/// require_valid's first half: kMalformed for missing required parameters. Checked before the
/// case is looked up (a request that cannot be read is 400 whatever the case).
void require_complete(CaseAction action, const ActionInput& input);
/// require_valid's second half: kInvalidValue for values outside their enumeration or limits.
/// apply_action checks it in domain.md §6's place for 422: after the case was found in the
/// caller's scope (404), the role (403), If-Match (412), the state and the guards (409).
void require_sensible(CaseAction action, const ActionInput& input);
/// True when the input has a point some place on Earth has (lon and lat within their ranges).
bool has_possible_point(const ActionInput& input);

/// An open stage-timer instance.
struct OpenTimer {
  long long id = 0;
  StageTimer timer = StageTimer::kRegistration;
  Timestamp started_at;
  Timestamp deadline;
  TimeLimit limit;
};

/// The handling cycle in force (domain.md §7), kept on the case between its timer instances.
struct HandlingCycle {
  int number = 0;
  TimerState state;
};

/// How a case ended (cases.outcome); a reopened case has none until it ends again.
enum class CaseOutcome { kResolved, kRejected, kMerged };

std::string_view to_string(CaseOutcome outcome);  // "resolved", "rejected", "merged"
std::optional<CaseOutcome> parse_case_outcome(std::string_view text);

/// A case as the lifecycle engine needs it.
struct CaseRecord {
  long long id = 0;
  std::string case_no;
  CaseStatus status = CaseStatus::kReceived;
  int version = 1;
  Channel channel = Channel::kWeb;
  std::optional<std::string> cell_code;
  std::optional<std::string> category_key;
  std::optional<std::string> condition_id;
  std::optional<TimeLimit> handling_limit;
  /// The stage limits fixed at `register` (the deployment's, with the category's overrides);
  /// nullopt before it, and for cases registered before limits were fixed: the deployment's.
  std::optional<StageLimits> stage_limits;
  std::optional<std::string> unit_code;
  std::optional<std::string> assignee;
  bool reporter_to_answer =
      false;  // its own, or a merged duplicate's (gridcase_reporter_to_answer)
  std::optional<CaseOutcome> outcome;
  bool extension_pending = false;
  int rework_count = 0;
  int escalation_level = 0;
  std::optional<Timestamp> suspension_requested_until;
  std::optional<Timestamp> suspended_until;
  std::optional<HandlingCycle> cycle;
  /// The number of the last handling cycle started, kept after it ends (return, reopen), so
  /// that the next dispatch starts cycle last_cycle + 1.
  int last_cycle = 0;
  std::vector<OpenTimer> timers;
};

/// What the service looked up for the action's parameters (422 when they refer to nothing).
struct ActionReferences {
  bool unit_exists = true;
  std::optional<std::string> unit_scope;     // dispatch, reassign: the unit's grid scope code
  std::optional<TimeLimit> condition_limit;  // register: the chosen condition's limit
  bool category_known = true;                // register: the catalogue has the category
  bool category_current = true;              // register: ... and it is not retired
  bool condition_current = true;             // register: the condition is not retired
  /// The limits of the timers the action starts on a case that has none fixed: the
  /// deployment's; for `register`, with the category's overrides (then fixed on the case).
  StageLimits stage_limits;
  std::optional<CaseStatus> merge_target_status;  // merge
  bool merge_target_is_self = false;
  bool located_point = true;  // locate: the point fell in a cell
  std::optional<std::string> located_cell;
  bool located_in_scope = true;  // locate: the point lies inside the actor's part of the grid
  /// dispatch, reassign: the assignee (when one is named) is an active staff account of the unit
  bool assignee_is_staff = true;
  /// dispatch, reassign: "followed" or "not_followed" the first dispatch suggestion; none offered
  std::optional<std::string> suggestion;
};

struct TimerEnd {
  long long id = 0;
  StageTimer timer = StageTimer::kRegistration;
  TimerOutcome outcome = TimerOutcome::kOnTime;
};

struct TimerStart {
  StageTimer timer = StageTimer::kRegistration;
  Timestamp deadline;
  TimeLimit limit;
  int cycle = 0;  // handling instances: the cycle they belong to
};

/// The result of one action: the case after it, its event, and the timers it moves.
struct ActionOutcome {
  CaseRecord updated;
  std::vector<std::pair<std::string, std::string>> event_params;
  std::vector<TimerEnd> ended;
  std::vector<TimerStart> started;
  /// The open handling instance's deadline moved (suspend, resume, extension).
  std::optional<Timestamp> handling_deadline_moved;
};

/// Applies `action` (checks in the order of domain.md §6 after 404: roles 403, If-Match 412,
/// state and guards 409 with allowed_actions, references 422). Pure: `now` and the calendar
/// come in. Throws domain::Error.
ActionOutcome apply_action(const CaseRecord& current, CaseAction action, const ActionInput& input,
                           const Actor& actor, std::optional<int> if_match,
                           const ActionReferences& references, Timestamp now,
                           const WorkCalendar& calendar);

/// The timers a new case starts with: registration (received) at `now`, with the limit of
/// `limits` (the deployment's).
std::vector<TimerStart> intake_timers(Timestamp now, const WorkCalendar& calendar,
                                      const StageLimits& limits = {});

}  // namespace gridcase::domain
