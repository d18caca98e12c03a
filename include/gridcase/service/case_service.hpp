#pragma once

#include <boost/asio/awaitable.hpp>
#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>

#include "gridcase/domain/calendar.hpp"
#include "gridcase/domain/case.hpp"
#include "gridcase/domain/clock.hpp"
#include "gridcase/domain/timers.hpp"
#include "gridcase/service/calendar_cache.hpp"
#include "gridcase/service/case_repository.hpp"
#include "gridcase/service/transaction_runner.hpp"

namespace gridcase::service {

struct TimerView {
  TimerRow row;
  std::optional<domain::Light> light;  // running timers only
  bool overdue = false;
};

/// A case as shown: the JSON PostgreSQL built, plus its timers with lights.
struct CaseView {
  JsonText case_json;
  std::vector<TimerView> timers;
  int version = 0;  // the version the JSON shows, typed (an answer's ETag)
};

/// The answer to a write, fresh or replayed for a repeated Idempotency-Key: what the write did
/// (stored) and the case as the caller may see it now (read afresh). A refusal is thrown as
/// domain::Error, fresh or replayed alike.
struct CaseAnswer {
  CaseWritten written;
  CaseView view;
  bool replayed = false;  // an Idempotency-Key's stored answer, given again
};

/// An Idempotency-Key with what it is scoped to.
struct IdempotencyRequest {
  std::string key;
  std::string route;  // e.g. "POST /api/v1/cases"
  std::string body;   // the request body: the same key with another body is refused
};

struct CaseOptions {
  std::string district_code = "150203";
  double duplicate_radius_m = 50;
  std::chrono::minutes utc_offset{480};
  /// How long a server process trusts its copy of the work calendar (others' edits show after).
  std::chrono::milliseconds calendar_cache{5000};
  /// The deployment's stage limits (config `time_limits`); categories may override those that
  /// run after `register`, and a case keeps what was in force when it was registered.
  domain::StageLimits stage_limits;
  /// How long a desk's claim on a case lasts unless renewed (config `claim_minutes`).
  std::chrono::minutes claim_length{15};
};

/// A page of cases as PostgreSQL renders it, and the traffic light of each listed case that has
/// a running timer (the worst of its running timers' lights, domain.md §7).
struct CaseList {
  JsonText page;
  std::map<std::string, domain::Light> lights;
};

/// The open cases of one status under a grid node, with how many show each traffic light (a
/// case's light is the worst of its running timers'; a case with none counts in `open` only).
struct StageCount {
  domain::CaseStatus status = domain::CaseStatus::kReceived;
  long long open = 0;
  long long green = 0;
  long long yellow = 0;
  long long red = 0;
};

/// A case's dispatch suggestions (GET /api/v1/cases/{case_no}/suggestions): the action they are
/// for (dispatch from registered, reassign from dispatched or handling), the unit type its filing
/// condition wants and the units, best first.
struct DispatchSuggestions {
  std::string case_no;
  domain::CaseAction action = domain::CaseAction::kDispatch;
  std::string unit_type;
  std::vector<domain::DispatchSuggestion> suggestions;
};

class CaseService {
 public:
  /// `calendar` is the process's one cache of the work calendar, shared with the other services.
  CaseService(TransactionRunner& transactions, const domain::Clock& clock, CalendarCache& calendar,
              CaseOptions options);

  /// POST /cases: validates, locates, numbers and stores a case with its receive event.
  boost::asio::awaitable<CaseAnswer> receive(domain::NewCase intake, domain::Actor actor,
                                             std::optional<IdempotencyRequest> idempotency) const;
  /// One lifecycle action in one transaction (domain.md §6 order of checks).
  boost::asio::awaitable<CaseAnswer> act(std::string case_no, domain::CaseAction action,
                                         domain::ActionInput input, domain::Actor actor,
                                         std::optional<int> if_match,
                                         std::optional<IdempotencyRequest> idempotency) const;
  /// A desk claims a case it is working on (domain::take_claim): kNotFound outside the caller's
  /// scope, kForbidden for a role that does not work cases at a desk, kConflict while another
  /// desk's claim runs. Claiming again renews the caller's own claim.
  boost::asio::awaitable<domain::CaseClaim> claim_case(std::string case_no,
                                                       domain::Actor actor) const;
  /// Ends the caller's claim (or a lapsed one); the same refusals as claim().
  boost::asio::awaitable<void> release_case_claim(std::string case_no, domain::Actor actor) const;
  /// The open cases under grid node `code` that `actor` may read, by status and traffic light,
  /// statuses in the contract's order, those with no open case left out. kNotFound for an unknown
  /// node or one outside a grid-confined reader's subtree, kInvalidValue for a malformed code,
  /// kForbidden for an integration.
  boost::asio::awaitable<std::vector<StageCount>> stage_counts(std::string code,
                                                               domain::Actor actor) const;
  /// Throws kNotFound.
  boost::asio::awaitable<CaseView> get(std::string case_no, domain::Actor actor) const;
  boost::asio::awaitable<CaseList> list(CaseFilter filter, CasePage page,
                                        domain::Actor actor) const;
  /// The units `actor` could dispatch (or reassign) the case to, ranked
  /// (domain::rank_dispatch_suggestions). Throws kForbidden for a caller who may not read cases,
  /// kNotFound for a case outside the caller's scope, kForbidden for one whose roles may neither
  /// dispatch nor reassign, kInvalidTransition when the case cannot be dispatched or reassigned
  /// now (with the actions allowed).
  boost::asio::awaitable<DispatchSuggestions> suggestions(std::string case_no,
                                                          domain::Actor actor) const;
  /// For a live feed's replay: the feed payloads of the events a client that last saw `after_id`
  /// may have missed (CaseRepository::events_after), oldest first,
  /// at most `limit`. Unfiltered: the caller confines them by the reader's scope, as it does the
  /// live events. Throws kForbidden for a caller who may not read cases.
  boost::asio::awaitable<std::vector<JsonText>> events_after(long long after_id, int limit,
                                                             const domain::Actor& actor) const;
  /// The same for this process's own live feed, which catches up after its listener reconnects
  /// (no caller: the server's own read).
  boost::asio::awaitable<std::vector<JsonText>> missed_events(long long after_id, int limit) const;
  /// The newest event's id (0 when none): where this process's live feed starts.
  boost::asio::awaitable<long long> newest_event_id() const;

  boost::asio::awaitable<domain::WorkCalendarSpec> calendar() const;
  /// Throws kInvalidValue listing every problem; kForbidden for roles other than admin.
  boost::asio::awaitable<void> replace_calendar(domain::WorkCalendarSpec spec,
                                                domain::Actor actor) const;

  /// The case's timers with lights at the current time.
  std::vector<TimerView> view_timers(const std::vector<TimerRow>& rows,
                                     const domain::WorkCalendar& calendar) const;

  /// Inside a transaction: locks the case, looks up what `input` refers to, applies `action`
  /// by the rules (domain::apply_action) and writes the case, its event and its timers. The
  /// core of act(); the scheduler's resume goes through it too. Throws kNotFound, and what
  /// apply_action throws (before anything is written). Returns the case as written.
  CaseWritten apply_and_save(Repositories& repos, const std::string& case_no,
                             domain::CaseAction action, const domain::ActionInput& input,
                             const domain::Actor& actor, std::optional<int> if_match,
                             domain::Timestamp now, const domain::WorkCalendar& calendar) const;

 private:
  std::shared_ptr<const domain::WorkCalendar> calendar_in(Repositories& repos) const {
    return calendar_.current(repos);
  }
  /// The case an action names, and the action, for its replay.
  struct ActedOn {
    std::string case_no;
    domain::CaseAction action = domain::CaseAction::kRegister;
  };
  /// The answer to a repeated key: `stored` shown to `actor` as today's roles and scope allow,
  /// exactly as a fresh answer or a GET would (a case outside the scope is not found; the
  /// reporter masked or disclosed by today's roles). An action's replay (`acted_on`) first
  /// passes a fresh request's first checks as the caller is today: its case inside the
  /// confinement (else 404), then a role that may do the action (else 403); only then is a
  /// stored refusal thrown again or the stored write shown.
  CaseAnswer replay(Repositories& repos, const WriteOutcome& stored, const domain::Actor& actor,
                    std::optional<ActedOn> acted_on) const;
  /// Runs `attempt`; when it fails with a final answer, stores the refusal for the key in a
  /// transaction of its own (the attempt's was rolled back) and rethrows.
  boost::asio::awaitable<CaseAnswer> with_failure_recorded(
      std::function<boost::asio::awaitable<CaseAnswer>()> attempt,
      const std::optional<IdempotencyRequest>& request, const std::string& caller) const;

  TransactionRunner& transactions_;
  const domain::Clock& clock_;
  CalendarCache& calendar_;
  const CaseOptions options_;
};

/// Refuses (kMalformed) a page size outside 1..200 for case lists.
void require_case_page(const CasePage& page);

}  // namespace gridcase::service
