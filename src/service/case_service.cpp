#include "gridcase/service/case_service.hpp"

#include <algorithm>
#include <iterator>

#include "gridcase/domain/access.hpp"
#include "gridcase/domain/address.hpp"
#include "gridcase/domain/attachment.hpp"
#include "gridcase/service/address_repository.hpp"
#include "gridcase/service/attachment_repository.hpp"
#include "gridcase/service/audit_service.hpp"
#include "gridcase/service/staff_repository.hpp"

namespace gridcase::service {
namespace {

using domain::Error;
using domain::ErrorCode;

[[noreturn]] void throw_unknown_case(const std::string& case_no) {
  throw Error(ErrorCode::kNotFound, "no case " + case_no);
}

/// How an answer for `actor` reads a case: reporter by domain.md §9, the disclosure recorded
/// under the role that grants it.
CaseReading reading_for(const domain::Actor& actor, bool with_events,
                        std::optional<domain::Scope> scope) {
  const domain::ReporterAccess access = domain::reporter_access(actor.roles);
  domain::Role role = actor.acting_as;
  if (access == domain::ReporterAccess::kFull) role = domain::Role::kOperator;
  if (access == domain::ReporterAccess::kUnlessConfidential) role = domain::Role::kAdmin;
  return CaseReading{access,   with_events, std::move(scope),
                     actor.id, role,        domain::case_confinement(actor)};
}

/// Failures worth replaying for a repeated key: the request itself was wrong or refused.
bool is_final_answer(ErrorCode code) {
  switch (code) {
    case ErrorCode::kMalformed:
    case ErrorCode::kForbidden:
    case ErrorCode::kNotFound:
    case ErrorCode::kInvalidTransition:
    case ErrorCode::kPreconditionFailed:
    case ErrorCode::kInvalidValue:
      return true;
    case ErrorCode::kUnauthenticated:
    case ErrorCode::kMethodNotAllowed:
    case ErrorCode::kConflict:
    case ErrorCode::kTooLarge:
    case ErrorCode::kUnsupportedMediaType:
    case ErrorCode::kRateLimited:
    case ErrorCode::kUnavailable:
    case ErrorCode::kInternal:
      break;
  }
  return false;
}

/// Locks `request`'s key and returns what it stored, if anything. Throws kConflict while another
/// request holds the key, kInvalidValue when the key came with another body.
std::optional<WriteOutcome> claim(Repositories& repos, const IdempotencyRequest& request,
                                  const std::string& caller) {
  if (!repos.idempotency.try_lock(caller, request.route, request.key)) {
    throw Error(ErrorCode::kConflict,
                "a request with this Idempotency-Key is still in progress; retry shortly");
  }
  auto stored = repos.idempotency.find(caller, request.route, request.key, request.body);
  if (!stored) return std::nullopt;
  if (!stored->second) {
    domain::throw_invalid("Idempotency-Key", "already used with another request body");
  }
  return std::move(stored->first);
}

/// What is suggested for a case in its status: a dispatch when registered, else a reassign.
domain::CaseAction suggestion_action(const domain::CaseRecord& record) {
  return record.status == domain::CaseStatus::kRegistered ? domain::CaseAction::kDispatch
                                                          : domain::CaseAction::kReassign;
}

/// The units a dispatch or reassign (`action`) of the case would be offered, best first, and
/// the unit type its category calls for: what the dispatcher sees and what the dispatch is
/// judged against. None for a case not located or not filed.
struct SuggestedUnits {
  std::string unit_type;
  std::vector<domain::DispatchSuggestion> units;
};
SuggestedUnits suggested_units(Repositories& repos, const domain::CaseRecord& record,
                               domain::CaseAction action, domain::Timestamp now) {
  SuggestedUnits suggested;
  if (!record.cell_code || !record.category_key || !record.condition_id) return suggested;
  DispatchCandidates candidates = repos.cases.dispatch_candidates(
      *record.cell_code, *record.category_key, *record.condition_id, now);
  const std::optional<std::string> exclude =
      action == domain::CaseAction::kReassign ? record.unit_code : std::nullopt;
  suggested.units =
      domain::rank_dispatch_suggestions(std::move(candidates.units), candidates.unit_type, exclude);
  suggested.unit_type = std::move(candidates.unit_type);
  return suggested;
}

}  // namespace

void require_case_page(const CasePage& page) {
  if (page.limit < 1 || page.limit > 200) domain::throw_invalid("limit", "from 1 to 200");
}

CaseService::CaseService(TransactionRunner& transactions, const domain::Clock& clock,
                         CalendarCache& calendar, CaseOptions options)
    : transactions_(transactions),
      clock_(clock),
      calendar_(calendar),
      options_(std::move(options)) {}

std::vector<TimerView> CaseService::view_timers(const std::vector<TimerRow>& rows,
                                                const domain::WorkCalendar& calendar) const {
  const domain::Timestamp now = clock_.now();
  std::vector<TimerView> views;
  views.reserve(rows.size());
  for (const TimerRow& row : rows) {
    TimerView view{row, std::nullopt, false};
    if (!row.ended_at) {
      const domain::TimerState state{row.started_at, row.limit, row.deadline,
                                     row.approved_extensions, row.paused_at};
      view.light = domain::light_at(state, now, calendar);
      view.overdue = domain::is_overdue_at(state, now);
    }
    views.push_back(view);
  }
  return views;
}

CaseAnswer CaseService::replay(Repositories& repos, const WriteOutcome& stored,
                               const domain::Actor& actor, std::optional<ActedOn> acted_on) const {
  if (acted_on) {
    // A fresh request's order: the case within today's confinement (an integration's own cases:
    // any other is its first answer's 404, and tells nothing a fresh request would not), then
    // the role. Masked: this look only decides 404, it shows no reporter, so it discloses nothing.
    CaseReading look = reading_for(actor, false, actor.scope);
    look.reporter_access = domain::ReporterAccess::kMasked;
    if (!repos.cases.find_json(acted_on->case_no, look)) throw_unknown_case(acted_on->case_no);
    domain::require_role_for(acted_on->action, actor.roles);
    // Whoever may no longer read cases gets no case back, however they once acted on it.
    domain::require_case_reader(actor);
  }
  if (const auto* refusal = std::get_if<Refusal>(&stored)) throw error_of(*refusal);
  const auto& written = std::get<CaseWritten>(stored);
  std::optional<CaseJson> json =
      repos.cases.find_json(written.case_no, reading_for(actor, false, actor.scope));
  if (!json) throw_unknown_case(written.case_no);
  const std::shared_ptr<const domain::WorkCalendar> calendar = calendar_in(repos);
  return CaseAnswer{
      written,
      CaseView{std::move(json->json), view_timers(repos.cases.timers(written.case_no), *calendar),
               json->version},
      true};
}

boost::asio::awaitable<CaseAnswer> CaseService::with_failure_recorded(
    std::function<boost::asio::awaitable<CaseAnswer>()> attempt,
    const std::optional<IdempotencyRequest>& request, const std::string& caller) const {
  std::optional<Error> failure;
  try {
    co_return co_await attempt();
  } catch (const Error& error) {
    if (!request || !is_final_answer(error.code())) throw;
    failure = error;
  }
  const WriteOutcome refused = refusal_of(*failure);
  co_await transactions_.run([&](Repositories& repos) {
    if (repos.idempotency.try_lock(caller, request->route, request->key) &&
        !repos.idempotency.find(caller, request->route, request->key, request->body)) {
      repos.idempotency.save(caller, request->route, request->key, request->body, refused);
    }
  });
  throw Error(*failure);
}

namespace {

/// Names the uploads among `photos` (attachment ids; the rest are links) as the case's, at the
/// stage of `action` (intake when none). Throws kInvalidValue on `field[i]` for an id that is no
/// upload of the actor's waiting for a case, nor one made to this case.
void attach_uploads(Repositories& repos, const std::vector<std::string>& photos,
                    const std::string& field, long long case_id,
                    std::optional<domain::CaseAction> action, const domain::Actor& actor,
                    domain::Timestamp now) {
  std::vector<std::string> ids;
  std::copy_if(photos.begin(), photos.end(), std::back_inserter(ids), domain::is_attachment_id);
  if (ids.empty()) return;
  const std::vector<std::string> refused =
      repos.attachments.attach(ids, case_id, domain::attachment_stage(action), actor.id, now);
  if (refused.empty()) return;
  const auto at = std::find(photos.begin(), photos.end(), refused.front()) - photos.begin();
  domain::throw_invalid(field + "[" + std::to_string(at) + "]",
                        "no upload of yours waiting for a case, nor one made to this case");
}

bool names_uploads(const std::vector<std::string>& photos) {
  return std::any_of(photos.begin(), photos.end(), domain::is_attachment_id);
}

}  // namespace

boost::asio::awaitable<CaseAnswer> CaseService::receive(
    domain::NewCase intake, domain::Actor actor,
    std::optional<IdempotencyRequest> idempotency) const {
  const std::optional<domain::Role> role =
      domain::acting_role(actor.roles, std::nullopt, domain::CaseAction::kReceive);
  if (!role) throw Error(ErrorCode::kForbidden, "your role may not receive cases");
  actor.acting_as = *role;
  auto attempt = [&]() -> boost::asio::awaitable<CaseAnswer> {
    const domain::Timestamp now = clock_.now();
    domain::attribute_patrol_report(intake, actor);
    domain::require_valid(intake, now);
    domain::require_uploaded_photos(intake.photos, "photos", actor);
    if (!domain::may_receive_on(actor, intake.channel)) {
      throw Error(ErrorCode::kForbidden, "this integration may not submit cases on channel " +
                                             std::string(domain::to_string(intake.channel)));
    }
    const bool confined = domain::places_only_in_scope(actor);
    if (confined && !intake.point && !intake.address) {
      domain::throw_invalid("lon", "required: you receive cases only inside your part of the grid");
    }
    std::optional<CaseAnswer> answer;
    auto work = [&](Repositories& repos) {
      if (idempotency) {
        if (std::optional<WriteOutcome> stored = claim(repos, *idempotency, actor.id)) {
          answer = replay(repos, *stored, actor, std::nullopt);
          return;
        }
      }
      // An address without a point is placed through the gazetteer; one it cannot resolve
      // leaves the case unlocated (docs/administration.md, "Addresses (the gazetteer)").
      if (!intake.point && intake.address) {
        intake.point = repos.addresses.resolve(domain::normalize_address(*intake.address));
      }
      if (confined && !intake.point) {
        domain::throw_invalid(
            "lon",
            "required: you receive cases only inside your part of the grid, and the "
            "address is not one the gazetteer can place");
      }
      if (confined && !repos.cases.point_in_scope(*intake.point, actor.scope)) {
        domain::refuse_point_outside_scope();
      }
      const std::shared_ptr<const domain::WorkCalendar> calendar = calendar_in(repos);
      const IntakeRecord record{options_.district_code,
                                calendar->local_date(now),
                                actor,
                                now,
                                domain::intake_timers(now, *calendar, options_.stage_limits),
                                options_.duplicate_radius_m,
                                domain::reporter_access(actor.roles),
                                domain::case_confinement(actor)};
      IntakeResult result = repos.cases.insert(intake, record);
      if (!result.category_known) {
        domain::throw_invalid("category", "no such category, or it is retired");
      }
      if (!result.point_in_grid)
        domain::throw_invalid("lon", "the point lies outside every grid cell");
      if (!result.officer_known)
        domain::throw_invalid("officer", "no active officer has this code");
      std::vector<TimerRow> timers;
      for (const domain::TimerStart& start : record.timers) {
        timers.push_back(TimerRow{start.timer, start.cycle, now, start.deadline, start.limit});
      }
      attach_uploads(repos, intake.photos, "photos", result.case_id, std::nullopt, actor, now);
      const CaseWritten written{result.case_id, result.case_no, result.version, true};
      if (idempotency) {
        repos.idempotency.save(actor.id, idempotency->route, idempotency->key, idempotency->body,
                               written);
      }
      answer = CaseAnswer{written, CaseView{std::move(*result.case_json),
                                            view_timers(timers, *calendar), result.version}};
    };
    // Intake is one statement, atomic by itself: without a key to record or uploads to name,
    // no BEGIN/COMMIT.
    if (idempotency || names_uploads(intake.photos)) {
      co_await transactions_.run(work);
    } else {
      co_await transactions_.autocommit(work);
    }
    co_return std::move(*answer);
  };
  co_return co_await with_failure_recorded(attempt, idempotency, actor.id);
}

boost::asio::awaitable<CaseAnswer> CaseService::act(
    std::string case_no, domain::CaseAction action, domain::ActionInput input, domain::Actor actor,
    std::optional<int> if_match, std::optional<IdempotencyRequest> idempotency) const {
  auto attempt = [&]() -> boost::asio::awaitable<CaseAnswer> {
    domain::require_complete(action, input);  // 400 first; values (422) once the case is found
    std::optional<CaseAnswer> answer;
    co_await transactions_.run([&](Repositories& repos) {
      if (idempotency) {
        if (std::optional<WriteOutcome> stored = claim(repos, *idempotency, actor.id)) {
          answer = replay(repos, *stored, actor, ActedOn{case_no, action});
          return;
        }
      }
      const domain::Timestamp now = clock_.now();
      const std::shared_ptr<const domain::WorkCalendar> calendar = calendar_in(repos);
      const CaseWritten written =
          apply_and_save(repos, case_no, action, input, actor, if_match, now, *calendar);
      if (idempotency) {
        repos.idempotency.save(actor.id, idempotency->route, idempotency->key, idempotency->body,
                               written);
      }
      std::optional<CaseJson> json =
          repos.cases.find_json(case_no, reading_for(actor, false, std::nullopt));
      answer = CaseAnswer{
          written, CaseView{std::move(json->json),
                            view_timers(repos.cases.timers(case_no), *calendar), json->version}};
    });
    co_return std::move(*answer);
  };
  co_return co_await with_failure_recorded(attempt, idempotency, actor.id);
}

CaseWritten CaseService::apply_and_save(Repositories& repos, const std::string& case_no,
                                        domain::CaseAction action, const domain::ActionInput& input,
                                        const domain::Actor& actor, std::optional<int> if_match,
                                        domain::Timestamp now,
                                        const domain::WorkCalendar& calendar) const {
  const domain::CaseConfinement confinement = domain::case_confinement(actor);
  domain::ActionReferences references;
  references.stage_limits = options_.stage_limits;
  std::optional<long long> merge_into;
  if (action == domain::CaseAction::kMerge) {
    // Before the case alone is locked: the pair is locked in one order, whoever merges which.
    references.merge_target_is_self = *input.into == case_no;
    if (!references.merge_target_is_self) {
      if (auto target = repos.cases.lock_merge_target(case_no, *input.into, confinement)) {
        merge_into = target->first;
        references.merge_target_status = target->second;
      }
    }
  }
  std::optional<domain::CaseRecord> current =
      repos.cases.find_record(case_no, confinement, RowLock::kForUpdate);
  if (!current) throw_unknown_case(case_no);  // also outside the actor's scope: 404, not 403
  if (input.unit) {
    references.unit_scope = repos.cases.unit_scope(*input.unit);
    references.unit_exists = references.unit_scope.has_value();
    if (references.unit_exists && input.assignee) {
      references.assignee_is_staff = repos.staff.is_unit_staff(*input.unit, *input.assignee);
    }
  }
  if (action == domain::CaseAction::kAcknowledge && input.assignee && current->unit_code) {
    references.assignee_is_staff = repos.staff.is_unit_staff(*current->unit_code, *input.assignee);
  }
  if ((action == domain::CaseAction::kDispatch || action == domain::CaseAction::kReassign) &&
      input.unit && current->cell_code && current->category_key && current->condition_id) {
    // What the dispatcher was offered, to record whether they took the first suggestion.
    references.suggestion = domain::suggestion_outcome(
        suggested_units(repos, *current, action, now).units, *input.unit);
  }
  if (action == domain::CaseAction::kRegister) {
    const FilingChoice choice = repos.cases.filing_choice(*input.category, *input.condition);
    references.category_known = choice.category_known;
    references.category_current = choice.category_current;
    references.condition_limit = choice.condition_limit;
    references.condition_current = choice.condition_current;
    references.stage_limits = options_.stage_limits.overridden_by(choice.stage_overrides);
  }
  // An impossible point is looked up nowhere; apply_action refuses it in its place (422).
  if (action == domain::CaseAction::kLocate && domain::has_possible_point(input)) {
    references.located_cell = repos.cases.cell_at(*input.point);
    if (domain::places_only_in_scope(actor)) {
      references.located_in_scope = repos.cases.point_in_scope(*input.point, actor.scope);
    }
  }
  domain::Actor acting = actor;
  if (std::optional<domain::Role> role =
          domain::acting_role(actor.roles, current->status, action)) {
    acting.acting_as = *role;
  }
  const domain::ActionOutcome outcome =
      domain::apply_action(*current, action, input, acting, if_match, references, now, calendar);
  domain::require_uploaded_photos(input.attachments, "attachments", actor);
  repos.cases.save_action(*current, outcome, action, input, acting, now, merge_into);
  attach_uploads(repos, input.attachments, "attachments", current->id, action, actor, now);
  return CaseWritten{current->id, current->case_no, outcome.updated.version, false};
}

boost::asio::awaitable<DispatchSuggestions> CaseService::suggestions(std::string case_no,
                                                                     domain::Actor actor) const {
  domain::require_case_reader(actor);
  if (!domain::is_case_number(case_no)) throw_unknown_case(case_no);
  std::optional<domain::CaseRecord> current;
  SuggestedUnits suggested;
  const domain::Timestamp now = clock_.now();
  auto work = [&](Repositories& repos) {
    current = repos.cases.find_record(case_no, domain::case_confinement(actor), RowLock::kNone);
    if (current) suggested = suggested_units(repos, *current, suggestion_action(*current), now);
  };
  co_await transactions_.read(work);
  if (!current) throw_unknown_case(case_no);  // also outside the caller's scope
  if (!domain::is_role_allowed(domain::CaseAction::kDispatch, actor.roles) &&
      !domain::is_role_allowed(domain::CaseAction::kReassign, actor.roles)) {
    throw Error(ErrorCode::kForbidden, "your role may not dispatch a case");
  }
  DispatchSuggestions answer;
  answer.case_no = current->case_no;
  answer.action = suggestion_action(*current);
  if (!domain::is_allowed(current->status, answer.action, actor.roles)) {
    std::vector<std::string> allowed;
    for (const domain::CaseAction each : domain::allowed_actions(current->status, actor.roles)) {
      allowed.emplace_back(to_string(each));
    }
    throw Error(ErrorCode::kInvalidTransition,
                "a case that is " + std::string(to_string(current->status)) +
                    " cannot be dispatched or reassigned: nothing to suggest",
                domain::ErrorDetails{{}, std::move(allowed), std::nullopt});
  }
  if (!current->cell_code) {
    throw Error(ErrorCode::kInvalidTransition, "the case is not located: nothing to suggest");
  }
  answer.unit_type = std::move(suggested.unit_type);
  for (domain::DispatchSuggestion& suggestion : suggested.units) {
    // Only units the caller may send the case to (all of them serve its cell).
    if (domain::may_send_to_unit(actor, suggestion.unit.scope_code, current->cell_code)) {
      answer.suggestions.push_back(std::move(suggestion));
    }
  }
  co_return answer;
}

boost::asio::awaitable<domain::CaseClaim> CaseService::claim_case(std::string case_no,
                                                                  domain::Actor actor) const {
  domain::require_claimant(actor);
  if (!domain::is_case_number(case_no)) throw_unknown_case(case_no);
  std::optional<domain::CaseClaim> taken;
  co_await transactions_.run([&](Repositories& repos) {
    const auto current = repos.cases.lock_claim(case_no, domain::case_confinement(actor));
    if (!current) return;
    taken = domain::take_claim(*current, actor.id, clock_.now(), options_.claim_length);
    repos.cases.save_claim(case_no, *taken);
  });
  if (!taken) throw_unknown_case(case_no);
  co_return std::move(*taken);
}

boost::asio::awaitable<void> CaseService::release_case_claim(std::string case_no,
                                                             domain::Actor actor) const {
  domain::require_claimant(actor);
  if (!domain::is_case_number(case_no)) throw_unknown_case(case_no);
  bool found = false;
  co_await transactions_.run([&](Repositories& repos) {
    const auto current = repos.cases.lock_claim(case_no, domain::case_confinement(actor));
    if (!current) return;
    found = true;
    if (domain::release_claim(*current, actor.id, clock_.now())) repos.cases.delete_claim(case_no);
  });
  if (!found) throw_unknown_case(case_no);
}

boost::asio::awaitable<std::vector<StageCount>> CaseService::stage_counts(
    std::string code, domain::Actor actor) const {
  domain::require_grid_reader(actor);
  domain::require_grid_code(code, "code");
  domain::confine_read(actor.scope, code);  // kNotFound outside a grid-confined reader's node
  std::optional<std::vector<OpenCaseTimer>> open;
  std::shared_ptr<const domain::WorkCalendar> calendar;
  co_await transactions_.read([&](Repositories& repos) {
    open = repos.cases.open_case_timers(code, actor.scope);
    calendar = calendar_in(repos);
  });
  if (!open) throw Error(ErrorCode::kNotFound, "no grid node " + code);
  // Each case's worst light first, then the counts by status.
  const domain::Timestamp now = clock_.now();
  std::map<long long, std::pair<domain::CaseStatus, std::optional<domain::Light>>> cases;
  for (const OpenCaseTimer& row : *open) {
    auto& [status, worst] = cases.try_emplace(row.case_id, row.status, std::nullopt).first->second;
    if (!row.timer) continue;
    const domain::TimerState state{row.timer->started_at, row.timer->limit, row.timer->deadline,
                                   row.timer->approved_extensions, row.timer->paused_at};
    const domain::Light light = domain::light_at(state, now, *calendar);
    if (!worst || static_cast<int>(light) > static_cast<int>(*worst)) worst = light;
  }
  std::vector<StageCount> counts;
  for (domain::CaseStatus status : domain::kAllCaseStatuses) {
    StageCount count{status};
    for (const auto& [id, seen] : cases) {
      if (seen.first != status) continue;
      ++count.open;
      if (seen.second == domain::Light::kGreen) ++count.green;
      if (seen.second == domain::Light::kYellow) ++count.yellow;
      if (seen.second == domain::Light::kRed) ++count.red;
    }
    if (count.open > 0) counts.push_back(count);
  }
  co_return counts;
}

boost::asio::awaitable<CaseView> CaseService::get(std::string case_no, domain::Actor actor) const {
  // An integration too: confined to the cases it submitted (reading_for), public fields only.
  if (!domain::is_case_number(case_no)) throw_unknown_case(case_no);
  std::optional<CaseView> view;
  co_await transactions_.read([&](Repositories& repos) {
    std::optional<CaseJson> json =
        repos.cases.find_json(case_no, reading_for(actor, true, actor.scope));
    if (!json) return;
    const std::shared_ptr<const domain::WorkCalendar> calendar = calendar_in(repos);
    view = CaseView{std::move(json->json), view_timers(repos.cases.timers(case_no), *calendar),
                    json->version};
  });
  if (!view) throw_unknown_case(case_no);
  co_return std::move(*view);
}

boost::asio::awaitable<CaseList> CaseService::list(CaseFilter filter, CasePage page,
                                                   domain::Actor actor) const {
  // An integration lists the cases it submitted (case_confinement), like any reader its scope.
  require_case_page(page);
  if (filter.grid) domain::require_grid_code(*filter.grid, "grid");
  if (filter.status && !domain::parse_case_status(*filter.status)) {
    domain::throw_invalid("status", "not a case status");
  }
  if (filter.channel && !domain::parse_channel(*filter.channel)) {
    domain::throw_invalid("channel", "not a channel");
  }
  if (filter.category && !domain::is_category_key(*filter.category)) {
    domain::throw_invalid("category", "type:code, e.g. event:0101");
  }
  if (filter.from && filter.to && *filter.from > *filter.to)
    domain::throw_invalid("from", "after to");
  CaseList result;
  co_await transactions_.read([&](Repositories& repos) {
    result.page = repos.cases.list(filter, page, domain::case_confinement(actor));
    const std::shared_ptr<const domain::WorkCalendar> calendar = calendar_in(repos);
    const domain::Timestamp now = clock_.now();
    for (const auto& [case_no, row] : repos.cases.running_timers_of(result.page)) {
      const domain::TimerState state{row.started_at, row.limit, row.deadline,
                                     row.approved_extensions, row.paused_at};
      const domain::Light light = domain::light_at(state, now, *calendar);
      auto [known, added] = result.lights.try_emplace(case_no, light);
      if (!added && static_cast<int>(light) > static_cast<int>(known->second))
        known->second = light;
    }
  });
  co_return result;
}

boost::asio::awaitable<std::vector<JsonText>> CaseService::events_after(
    long long after_id, int limit, const domain::Actor& actor) const {
  domain::require_case_reader(actor);
  co_return co_await missed_events(after_id, limit);
}

boost::asio::awaitable<std::vector<JsonText>> CaseService::missed_events(long long after_id,
                                                                         int limit) const {
  std::vector<JsonText> payloads;
  co_await transactions_.read(
      [&](Repositories& repos) { payloads = repos.cases.events_after(after_id, limit); });
  co_return payloads;
}

boost::asio::awaitable<long long> CaseService::newest_event_id() const {
  long long newest = 0;
  co_await transactions_.read([&](Repositories& repos) { newest = repos.cases.newest_event_id(); });
  co_return newest;
}

boost::asio::awaitable<domain::WorkCalendarSpec> CaseService::calendar() const {
  domain::WorkCalendarSpec spec;
  co_await transactions_.read([&](Repositories& repos) {
    calendar_.forget();  // a reader asking explicitly gets what is stored now
    spec = calendar_in(repos)->spec();
  });
  co_return spec;
}

boost::asio::awaitable<void> CaseService::replace_calendar(domain::WorkCalendarSpec spec,
                                                           domain::Actor actor) const {
  domain::require_district_admin(actor, "edit the work calendar");
  domain::WorkCalendar checked{spec};  // throws kInvalidValue listing every problem
  co_await transactions_.run([&](Repositories& repos) {
    JsonText before = repos.audit.snapshot(AuditSubject::kCalendar, {});
    repos.calendar.store(checked.spec());
    record_change(repos.audit, actor.id, domain::AuditAction::kCalendarReplace, "calendar",
                  std::move(before), AuditSubject::kCalendar, {});
  });
  calendar_.forget();
}

}  // namespace gridcase::service
