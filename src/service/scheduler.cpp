#include "gridcase/service/scheduler.hpp"

#include <memory>

namespace gridcase::service {

domain::Actor system_actor() {
  return domain::Actor{std::string(domain::kSystemActorName),
                       domain::RoleSet{domain::Role::kSystem}, domain::Role::kSystem};
}

Scheduler::Scheduler(TransactionRunner& transactions, const CaseService& cases,
                     CalendarCache& calendar, const domain::Clock& clock, SchedulerOptions options)
    : transactions_(transactions),
      cases_(cases),
      calendar_(calendar),
      clock_(clock),
      options_(options) {}

boost::asio::awaitable<TickReport> Scheduler::tick() const {
  TickReport report;
  auto work = [&](Repositories& repos) {
    report = TickReport{};
    if (!repos.scheduler.try_lock()) return;
    report.ran = true;
    const domain::Timestamp now = clock_.now();
    const int limit = options_.batch_limit;
    report.overdue = repos.scheduler.mark_overdue(now, limit);

    const std::shared_ptr<const domain::WorkCalendar> calendar = calendar_.current(repos);
    for (const EscalationCandidate& candidate :
         repos.scheduler.escalation_candidates(now, *calendar, limit)) {
      for (int level :
           domain::escalation_levels_due(candidate.state, candidate.announced, now, *calendar)) {
        if (repos.scheduler.escalate(candidate.timer_id, level, now)) ++report.escalated;
      }
    }

    const domain::Actor system = system_actor();
    for (const std::string& case_no : repos.scheduler.due_resumptions(now, limit)) {
      try {
        cases_.apply_and_save(repos, case_no, domain::CaseAction::kResume, domain::ActionInput{},
                              system, std::nullopt, now, *calendar);
        ++report.resumed;
      } catch (const domain::Error& error) {
        // The rules refused before anything was written, so the transaction is still usable and
        // one case the rules will not resume does not hold up the others.
        report.refused.push_back(case_no + ": " + error.what());
      }
    }

    report.purged = repos.idempotency.purge(now - kIdempotencyKeyLifetime, limit);
  };
  co_await transactions_.run(work);
  co_return report;
}

}  // namespace gridcase::service
