#pragma once

#include <pqxx/transaction_base>

#include "gridcase/service/staff_repository.hpp"

namespace gridcase::storage {

class PgStaffRepository final : public service::StaffRepository {
 public:
  explicit PgStaffRepository(pqxx::transaction_base& tx) : tx_(tx) {}

  std::chrono::year_month_day today() override;
  std::optional<bool> lock_officer(std::string_view code) override;
  void insert_officer(const domain::OfficerInput& input) override;
  void update_officer(std::string_view code, const domain::OfficerPatch& patch) override;
  std::optional<service::JsonText> officer_json(std::string_view code) override;
  service::JsonText officers_page(const service::PageRequest& page) override;
  std::vector<domain::DutyRecord> duties_from(std::string_view officer,
                                              std::chrono::year_month_day day) override;
  std::vector<std::string> lock_cells(const std::vector<std::string>& cells) override;
  std::vector<domain::DutyRecord> duties_over(domain::Duty duty,
                                              const std::vector<std::string>& cells,
                                              std::chrono::year_month_day day) override;
  std::vector<domain::DutyRecord> insert_duties(std::string_view officer, domain::Duty duty,
                                                const std::vector<std::string>& cells,
                                                std::chrono::year_month_day from) override;
  std::optional<domain::DutyRecord> lock_duty(long long id) override;
  void end_duty(long long id, std::chrono::year_month_day on) override;
  std::optional<service::JsonText> cell_duties(std::string_view code) override;
  std::optional<bool> lock_unit(std::string_view code) override;
  std::optional<domain::GridLevel> current_node_level(std::string_view code) override;
  void insert_unit(const domain::Unit& unit) override;
  void update_unit(std::string_view code, const domain::UnitPatch& patch) override;
  std::vector<std::string> open_cases_of_unit(std::string_view code, int limit) override;
  std::optional<service::JsonText> unit_json(std::string_view code) override;
  bool is_unit_staff(std::string_view unit, std::string_view username) override;
  service::JsonText unit_staff(std::string_view unit) override;

 private:
  pqxx::transaction_base& tx_;
};

}  // namespace gridcase::storage
