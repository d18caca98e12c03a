#include "gridcase/service/reporter_retention.hpp"

#include <optional>

#include "gridcase/domain/access.hpp"
#include "gridcase/domain/audit.hpp"
#include "gridcase/service/audit_service.hpp"

namespace gridcase::service {

boost::asio::awaitable<ErasureRun> ReporterRetention::erase_due() const {
  ErasureRun run;
  const std::optional<domain::Timestamp> closed_before =
      domain::reporters_closed_before(clock_.now(), options_.reporter_days);
  if (!closed_before) co_return run;
  auto work = [&](Repositories& repos) {
    run = ErasureRun{};
    if (!repos.retention.try_lock()) return;
    run.ran = true;
    for (const std::string& case_no :
         repos.retention.reporters_due(*closed_before, options_.batch_limit)) {
      const std::vector<std::string> keys{case_no};
      JsonText before = repos.audit.snapshot(AuditSubject::kReporter, keys);
      repos.retention.erase_reporter(case_no);
      record_change(repos.audit, domain::kSystemActorName, domain::AuditAction::kReporterErase,
                    case_no, std::move(before), AuditSubject::kReporter, keys);
      run.erased.push_back(case_no);
    }
  };
  co_await transactions_.run(work);
  co_return run;
}

}  // namespace gridcase::service
