#pragma once

#include <pqxx/transaction_base>

#include "gridcase/service/repositories.hpp"

namespace gridcase::storage {

class PgGridRepository final : public service::GridRepository {
 public:
  explicit PgGridRepository(pqxx::transaction_base& tx) : tx_(tx) {}

  std::optional<service::JsonText> locate(const domain::Point& point,
                                          const domain::Scope& reader) override;
  std::optional<service::JsonText> find_node(std::string_view code, bool with_geometry) override;
  std::optional<service::JsonText> list_cells(std::string_view code,
                                              const service::PageRequest& page) override;
  std::optional<service::JsonText> list_officers(std::string_view code,
                                                 const service::PageRequest& page,
                                                 const domain::Scope& reader) override;
  std::vector<domain::FieldError> import_nodes(
      const std::vector<domain::GridNodeInput>& nodes) override;
  void add_officers(const std::vector<domain::Officer>& officers) override;
  std::map<std::string, std::vector<std::string>> officer_cells(
      const std::vector<std::string>& officer_codes) override;

 private:
  pqxx::transaction_base& tx_;
};

/// The first column of the only row, or nullopt when there is no row.
std::optional<service::JsonText> single_json(const pqxx::result& rows);

}  // namespace gridcase::storage
