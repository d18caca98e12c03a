#include "pg_catalog_repository.hpp"

#include <pqxx/pqxx>

#include "pg_grid_repository.hpp"

namespace gridcase::storage {
namespace {

constexpr const char* kUpsertUnit = R"sql(
  INSERT INTO units (code, name, type, scope_code)
  SELECT $1, $2, $3, $4 WHERE EXISTS (SELECT 1 FROM grid_nodes WHERE code = $4)
  ON CONFLICT (code) DO UPDATE SET name = excluded.name, type = excluded.type,
                                   scope_code = excluded.scope_code)sql";

constexpr const char* kDeleteCategories = "DELETE FROM categories";
constexpr const char* kInsertCategory = "INSERT INTO categories (key, name) VALUES ($1, $2)";
constexpr const char* kInsertCondition = R"sql(
  INSERT INTO filing_conditions (category_key, id, text, limit_value, limit_unit, unit_type,
                                 close_when, position)
  VALUES ($1, $2, $3, $4, $5, $6, $7, $8))sql";

}  // namespace

service::JsonText PgCatalogRepository::list_units() {
  return single_json(tx_.exec_prepared("list_units")).value_or(service::JsonText{"{\"items\":[]}"});
}

service::JsonText PgCatalogRepository::list_categories() {
  return single_json(tx_.exec_prepared("list_categories"))
      .value_or(service::JsonText{"{\"items\":[]}"});
}

std::vector<domain::FieldError> PgCatalogRepository::upsert_units(
    const std::vector<domain::Unit>& units) {
  std::vector<domain::FieldError> problems;
  for (std::size_t i = 0; i < units.size(); ++i) {
    const domain::Unit& unit = units[i];
    if (tx_.exec_params(kUpsertUnit, unit.code, unit.name, unit.type, unit.scope_code)
            .affected_rows() == 0) {
      problems.push_back(
          {"units[" + std::to_string(i) + "].scope", "no grid node " + unit.scope_code});
    }
  }
  return problems;
}

void PgCatalogRepository::replace_categories(const std::vector<domain::Category>& categories) {
  tx_.exec0(kDeleteCategories);
  for (const domain::Category& category : categories) {
    tx_.exec_params0(kInsertCategory, category.key, category.name);
    int position = 0;
    for (const domain::FilingCondition& condition : category.conditions) {
      tx_.exec_params0(kInsertCondition, category.key, condition.id, condition.text,
                       condition.limit_value, condition.limit_unit, condition.unit_type,
                       condition.close_when, position++);
    }
  }
}

}  // namespace gridcase::storage
