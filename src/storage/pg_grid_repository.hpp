#pragma once

#include <pqxx/transaction_base>

#include "gridcase/service/repositories.hpp"

namespace gridcase::storage {

class PgGridRepository final : public service::GridRepository {
 public:
  explicit PgGridRepository(pqxx::transaction_base& tx) : tx_(tx) {}

  std::optional<service::JsonText> locate(const domain::Point& point,
                                          const domain::Scope& reader) override;
  std::optional<service::JsonText> find_node(std::string_view code, bool with_geometry,
                                             bool history) override;
  std::optional<service::JsonText> list_cells(std::string_view code,
                                              const service::PageRequest& page,
                                              bool history) override;
  std::optional<service::JsonText> map(std::string_view code, domain::GridLevel level,
                                       const domain::Scope& reader) override;
  std::optional<service::JsonText> list_officers(std::string_view code,
                                                 const service::PageRequest& page,
                                                 const domain::Scope& reader) override;
  std::vector<domain::FieldError> import_nodes(
      const std::vector<domain::GridNodeInput>& nodes) override;
  service::StagedGridChange stage_change(const domain::GridChange& change, bool replacing_import,
                                         domain::Timestamp now) override;
  service::AppliedGridChange apply_change(std::string_view actor, domain::Timestamp now) override;
  void add_officers(const std::vector<domain::Officer>& officers) override;
  std::map<std::string, std::vector<std::string>> officer_cells(
      const std::vector<std::string>& officer_codes) override;

 private:
  /// Creates the staging tables of sql below and loads `nodes` into grid_import.
  void stage_nodes(const std::vector<domain::GridNodeInput>& nodes);
  /// Every problem of the staged nodes; `date` is a change's (nullopt for an import that adds).
  std::vector<domain::FieldError> node_problems(const std::optional<std::string>& date);

  pqxx::transaction_base& tx_;
  std::string date_;  // of the change staged last
};

/// The first column of the only row, or nullopt when there is no row.
std::optional<service::JsonText> single_json(const pqxx::result& rows);

}  // namespace gridcase::storage
