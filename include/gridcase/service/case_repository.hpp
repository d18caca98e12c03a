#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "gridcase/domain/access.hpp"
#include "gridcase/domain/case.hpp"
#include "gridcase/domain/claim.hpp"
#include "gridcase/domain/dispatch_suggestion.hpp"
#include "gridcase/domain/timers.hpp"
#include "gridcase/service/repositories.hpp"
#include "gridcase/service/write_outcome.hpp"

namespace gridcase::service {

/// A stage-timer instance as stored.
struct TimerRow {
  domain::StageTimer timer = domain::StageTimer::kRegistration;
  int cycle = 0;
  domain::Timestamp started_at;
  domain::Timestamp deadline;
  domain::TimeLimit limit;
  std::optional<domain::Timestamp> paused_at;
  std::optional<domain::Timestamp> ended_at;
  std::optional<domain::TimerOutcome> outcome;
  std::optional<domain::Timestamp> overdue_at;
  /// A handling instance: the extensions approved in its cycle (they count in its light).
  int approved_extensions = 0;
};

/// An open case under a grid node and one of its running timers (none: nullopt).
struct OpenCaseTimer {
  long long case_id = 0;
  domain::CaseStatus status = domain::CaseStatus::kReceived;
  std::optional<TimerRow> timer;
};

/// What intake writes besides the NewCase itself.
struct IntakeRecord {
  std::string district_code;
  std::chrono::year_month_day local_date;
  domain::Actor actor;
  domain::Timestamp now;
  std::vector<domain::TimerStart> timers;
  double duplicate_radius_m = 50;
  /// What the answer shows of the reporter; a full reveal is logged in reporter_disclosures.
  domain::ReporterAccess reporter_access = domain::ReporterAccess::kMasked;
  /// What the answer may name besides the case: possible duplicates outside it are left out.
  domain::CaseConfinement reader;
};

struct IntakeResult {
  bool category_known = true;
  bool point_in_grid = true;
  bool officer_known = true;          // a patrol report's officer is an active officer
  std::optional<JsonText> case_json;  // set when the case was written
  std::string case_no;
  long long case_id = 0;
  int version = 0;
};

/// What the catalogue holds for a `register`'s category and filing condition.
struct FilingChoice {
  bool category_known = false;
  bool category_current = false;                     // known and not retired
  std::optional<domain::TimeLimit> condition_limit;  // set when the condition exists
  bool condition_current = false;                    // it exists and is not retired
  /// The category's stage-limit overrides (dispatch, acknowledgement, check, close).
  std::map<domain::StageTimer, domain::TimeLimit> stage_overrides;
};

/// Filters of GET /api/v1/cases (contract/api.md Lists).
struct CaseFilter {
  std::optional<std::string> grid;
  std::optional<std::string> status;
  std::optional<std::string> channel;
  std::optional<std::string> category;
  std::optional<std::string> unit;
  std::optional<std::string> officer;
  std::optional<bool> overdue;
  std::optional<domain::Timestamp> from;
  std::optional<domain::Timestamp> to;
  std::optional<std::string> text;  // q
};

/// How one case is read for an answer.
struct CaseReading {
  /// What the answer shows of the reporter; every full reveal is logged (who, when, which case).
  domain::ReporterAccess reporter_access = domain::ReporterAccess::kMasked;
  bool with_events = false;
  /// Only a case inside this scope is found; nullopt: any case (the answer to an action just
  /// taken, which may have moved the case out of the actor's scope, e.g. `return`).
  std::optional<domain::Scope> scope;
  std::string actor_id;  // recorded with a disclosure
  domain::Role actor_role = domain::Role::kSystem;
  /// What the reader may read: possible duplicates outside it are left out of the answer.
  domain::CaseConfinement reader;
};

/// A case's JSON as read for an answer, with its version typed (the answer's ETag).
struct CaseJson {
  JsonText json;
  int version = 0;
};

/// The orders of the case list (`sort=`, docs/api.md): `newest` received first (the default),
/// `oldest` received first, `deadline` the handling deadline in force soonest first (cases
/// without one last), `updated` the latest change first. Ties go by id in the same direction.
enum class CaseOrder { kNewest, kOldest, kDeadline, kUpdated };

/// The name `sort=` and the list's cursors use for `order`.
inline std::string_view to_string(CaseOrder order) {
  switch (order) {
    case CaseOrder::kOldest:
      return "oldest";
    case CaseOrder::kDeadline:
      return "deadline";
    case CaseOrder::kUpdated:
      return "updated";
    case CaseOrder::kNewest:
      break;
  }
  return "newest";
}

inline std::optional<CaseOrder> parse_case_order(std::string_view name) {
  for (CaseOrder order :
       {CaseOrder::kNewest, CaseOrder::kOldest, CaseOrder::kDeadline, CaseOrder::kUpdated}) {
    if (to_string(order) == name) return order;
  }
  return std::nullopt;
}

/// A case's `deadline` cursor key when it has no handling deadline: after every deadline.
inline constexpr long long kNoDeadlineKey = 9223372036854775807LL;

struct CasePage {
  std::optional<long long> after_id;  // keyset cursor: the last id of the previous page
  int limit = 50;
  CaseOrder order = CaseOrder::kNewest;  // the case list only
  // The case list's `deadline` and `updated` orders: the last item's sort key, microseconds
  // since the epoch (kNoDeadlineKey: no deadline); present exactly when after_id is.
  std::optional<long long> after_key;
};

/// What dispatch suggestions are ranked from (CaseRepository::dispatch_candidates).
/// Whether a read locks the rows it returns until the transaction ends.
enum class RowLock { kNone, kForUpdate };

struct DispatchCandidates {
  std::string unit_type;
  std::vector<domain::UnitCandidate> units;
};

class CaseRepository {
 public:
  virtual ~CaseRepository() = default;
  /// Locates, numbers and writes a case with its receive event and first timers, in one
  /// statement. Writes nothing when the category is unknown or the point is in no cell.
  virtual IntakeResult insert(const domain::NewCase& intake, const IntakeRecord& record) = 0;
  /// The case with its open timers, locked for an action (RowLock::kForUpdate) or only read;
  /// nullopt when there is no such case inside `confinement`.
  virtual std::optional<domain::CaseRecord> find_record(std::string_view case_no,
                                                        const domain::CaseConfinement& confinement,
                                                        RowLock lock) = 0;
  /// The case's JSON (with its timeline when asked), or nullopt when there is no such case
  /// inside the reading's scope or, for an integration, among the cases it submitted (its
  /// confinement's received_by); logs a reporter disclosure.
  virtual std::optional<CaseJson> find_json(std::string_view case_no,
                                            const CaseReading& reading) = 0;
  virtual std::vector<TimerRow> timers(std::string_view case_no) = 0;
  /// A page of the cases the reader may read (inside its scope; for an integration, the ones it
  /// submitted) that pass `filter` (no reporter fields).
  /// The open cases of the subtree of grid node `code` that `reader` may read, each with its
  /// running timers (a row per timer); nullopt when the grid has no node `code`.
  virtual std::optional<std::vector<OpenCaseTimer>> open_case_timers(
      std::string_view code, const domain::Scope& reader) = 0;
  /// The running timers (not ended) of the cases a page from list() names, by case number.
  virtual std::vector<std::pair<std::string, TimerRow>> running_timers_of(const JsonText& page) = 0;
  virtual JsonText list(const CaseFilter& filter, const CasePage& page,
                        const domain::CaseConfinement& reader) = 0;
  /// True when `point` lies in a current cell inside `scope`.
  virtual bool point_in_scope(const domain::Point& point, const domain::Scope& scope) = 0;
  /// Writes the outcome of one action: the case, its event and timer changes.
  virtual void save_action(const domain::CaseRecord& before, const domain::ActionOutcome& outcome,
                           domain::CaseAction action, const domain::ActionInput& input,
                           const domain::Actor& actor, domain::Timestamp now,
                           std::optional<long long> merge_into_id) = 0;
  /// Looks up what action parameters refer to. The grid scope code of an active unit.
  virtual std::optional<std::string> unit_scope(std::string_view unit_code) = 0;
  virtual FilingChoice filing_choice(std::string_view category_key,
                                     std::string_view condition_id) = 0;
  /// Dispatch suggestions' candidates: the unit type the filing condition wants (empty when
  /// there is no such condition), and the active units whose grid scope contains `cell_code`,
  /// with their load and their handling over domain::kSuggestionWindow before `now`.
  virtual DispatchCandidates dispatch_candidates(std::string_view cell_code,
                                                 std::string_view category_key,
                                                 std::string_view condition_id,
                                                 domain::Timestamp now) = 0;
  /// Locks a case and the original it is to be merged into, in id order (two merges naming
  /// each other wait for one another instead of deadlocking), each only when inside
  /// `confinement`. The original's id and status; nullopt when no such case lies inside it.
  virtual std::optional<std::pair<long long, domain::CaseStatus>> lock_merge_target(
      std::string_view case_no, std::string_view into,
      const domain::CaseConfinement& confinement) = 0;
  virtual std::optional<std::string> cell_at(const domain::Point& point) = 0;
  /// A desk's claim on a case inside `confinement`, the case locked until the transaction ends
  /// (two desks claiming at once queue): nullopt when no such case lies inside it, else the
  /// claim it carries (running or lapsed), if any.
  virtual std::optional<std::optional<domain::CaseClaim>> lock_claim(
      std::string_view case_no, const domain::CaseConfinement& confinement) = 0;
  /// Stores `claim` as the case's one claim, replacing any other.
  virtual void save_claim(std::string_view case_no, const domain::CaseClaim& claim) = 0;
  virtual void delete_claim(std::string_view case_no) = 0;
  /// The live feed's payloads of the events a client that last saw event `after_id` may have
  /// missed, oldest first, at most `limit` of them, with the case's current grid, unit and cell
  /// (sql/011_feed_replay.sql): those written after it, and those numbered before it whose
  /// transaction may have committed after it (sql/032_feed_horizon.sql).
  virtual std::vector<JsonText> events_after(long long after_id, int limit) = 0;
  /// The newest event's id, 0 when there is none.
  virtual long long newest_event_id() = 0;
};

class IdempotencyRepository {
 public:
  virtual ~IdempotencyRepository() = default;
  /// Takes the key's transaction-scoped lock; false while another transaction holds it.
  virtual bool try_lock(std::string_view caller, std::string_view route, std::string_view key) = 0;
  /// The stored outcome, claimed less than 24 hours ago, and whether `body` matches the first
  /// request's body.
  virtual std::optional<std::pair<WriteOutcome, bool>> find(std::string_view caller,
                                                            std::string_view route,
                                                            std::string_view key,
                                                            std::string_view body) = 0;
  virtual void save(std::string_view caller, std::string_view route, std::string_view key,
                    std::string_view body, const WriteOutcome& outcome) = 0;
  /// Deletes up to `limit` stored outcomes claimed before `before`, skipping keys another
  /// transaction holds; returns how many.
  virtual int purge(domain::Timestamp before, int limit) = 0;
};

class CalendarRepository {
 public:
  virtual ~CalendarRepository() = default;
  /// The stored work calendar, or nullopt before the first one is stored.
  virtual std::optional<domain::WorkCalendarSpec> load() = 0;
  /// Replaces the calendar.
  virtual void store(const domain::WorkCalendarSpec& spec) = 0;
};

/// A running handling timer past its deadline that may owe `escalated` events.
struct EscalationCandidate {
  long long timer_id = 0;
  std::string case_no;
  domain::TimerState state;  // approved_extensions from the case's cycle
  int announced = 0;         // the timer's `escalated`: levels already announced
};

/// The scheduler's work (docs/case-lifecycle.md, "The scheduler"). Every method runs inside the
/// tick's one transaction, locks what it returns or changes, and skips rows another transaction
/// holds: a case busy with an action is simply taken on a later tick.
class SchedulerRepository {
 public:
  virtual ~SchedulerRepository() = default;
  /// The transaction-scoped advisory lock of the scheduler; false while another process's tick
  /// holds it (then that process does this tick's work).
  virtual bool try_lock() = 0;
  /// Marks up to `limit` running, unpaused timers whose deadline is before `now` and that were
  /// never marked (earliest deadline first), and appends one `overdue` event to each one's case
  /// (actor system, status unchanged, params timer and deadline). Returns how many.
  virtual int mark_overdue(domain::Timestamp now, int limit) = 0;
  /// Up to `limit` running, unpaused handling timers whose deadline is at or before `now` and
  /// that may owe a level: none announced yet, or level 1 announced and at least the limit
  /// (extensions added, in `calendar`'s measure) of wall time past the deadline — a necessary
  /// condition only; escalation_levels_due decides. Unannounced ones first.
  virtual std::vector<EscalationCandidate> escalation_candidates(
      domain::Timestamp now, const domain::WorkCalendar& calendar, int limit) = 0;
  /// Raises the timer's announced level to `level` and its case's escalation_level to at least
  /// `level`, and appends one `escalated` event (params level, and notify: the street's code at
  /// level 1, the district's at level 2). False, and nothing written, when the timer had
  /// announced `level` already.
  virtual bool escalate(long long timer_id, int level, domain::Timestamp now) = 0;
  /// Case numbers of up to `limit` suspended cases whose `until` is at or before `now`, earliest
  /// first, locked (FOR UPDATE SKIP LOCKED).
  virtual std::vector<std::string> due_resumptions(domain::Timestamp now, int limit) = 0;
};

}  // namespace gridcase::service
