#pragma once

#include <pqxx/transaction_base>

#include "gridcase/service/case_repository.hpp"

namespace gridcase::storage {

class PgCaseRepository final : public service::CaseRepository {
 public:
  explicit PgCaseRepository(pqxx::transaction_base& tx) : tx_(tx) {}

  service::IntakeResult insert(const domain::NewCase& intake,
                               const service::IntakeRecord& record) override;
  std::optional<domain::CaseRecord> find_record(std::string_view case_no,
                                                const domain::CaseConfinement& confinement,
                                                service::RowLock lock) override;
  std::optional<service::CaseJson> find_json(std::string_view case_no,
                                             const service::CaseReading& reading) override;
  std::vector<service::TimerRow> timers(std::string_view case_no) override;
  std::optional<std::vector<service::OpenCaseTimer>> open_case_timers(
      std::string_view code, const domain::Scope& reader) override;
  std::vector<std::pair<std::string, service::TimerRow>> running_timers_of(
      const service::JsonText& page) override;
  service::JsonText list(const service::CaseFilter& filter, const service::CasePage& page,
                         const domain::CaseConfinement& reader) override;
  bool point_in_scope(const domain::Point& point, const domain::Scope& scope) override;
  void save_action(const domain::CaseRecord& before, const domain::ActionOutcome& outcome,
                   domain::CaseAction action, const domain::ActionInput& input,
                   const domain::Actor& actor, domain::Timestamp now,
                   std::optional<long long> merge_into_id) override;
  std::optional<std::string> unit_scope(std::string_view unit_code) override;
  service::FilingChoice filing_choice(std::string_view category_key,
                                      std::string_view condition_id) override;
  service::DispatchCandidates dispatch_candidates(std::string_view cell_code,
                                                  std::string_view category_key,
                                                  std::string_view condition_id,
                                                  domain::Timestamp now) override;
  std::optional<std::pair<long long, domain::CaseStatus>> lock_merge_target(
      std::string_view case_no, std::string_view into,
      const domain::CaseConfinement& confinement) override;
  std::optional<std::string> cell_at(const domain::Point& point) override;
  std::optional<std::optional<domain::CaseClaim>> lock_claim(
      std::string_view case_no, const domain::CaseConfinement& confinement) override;
  void save_claim(std::string_view case_no, const domain::CaseClaim& claim) override;
  void delete_claim(std::string_view case_no) override;
  std::vector<service::JsonText> events_after(long long after_id, int limit) override;
  long long newest_event_id() override;

 private:
  pqxx::transaction_base& tx_;
};

}  // namespace gridcase::storage
