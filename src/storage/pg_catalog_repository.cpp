#include "pg_catalog_repository.hpp"

#include <pqxx/pqxx>

#include "pg_grid_repository.hpp"
#include "pg_values.hpp"

namespace gridcase::storage {
namespace {

constexpr const char* kUpsertUnit = R"sql(
  INSERT INTO units (code, name, type, scope_code)
  SELECT $1, $2, $3, $4 WHERE EXISTS (SELECT 1 FROM grid_nodes WHERE code = $4)
  ON CONFLICT (code) DO UPDATE SET name = excluded.name, type = excluded.type,
                                   scope_code = excluded.scope_code)sql";

// The catalogue is versioned (sql/022_catalogue_versions.sql): what a new catalogue leaves out
// is retired, what it lists is current (a retired entry listed again is reinstated).
constexpr const char* kRetireCategories = R"sql(
  UPDATE categories SET retired_at = now()
  WHERE retired_at IS NULL AND NOT (key = ANY ($1::text[])))sql";
constexpr const char* kUpsertCategory = R"sql(
  INSERT INTO categories (key, name) VALUES ($1, $2)
  ON CONFLICT (key) DO UPDATE SET name = excluded.name, retired_at = NULL)sql";
constexpr const char* kRetireConditions = R"sql(
  UPDATE filing_conditions SET retired_at = now()
  WHERE category_key = $1 AND retired_at IS NULL AND NOT (id = ANY ($2::text[])))sql";
constexpr const char* kUpsertCondition = R"sql(
  INSERT INTO filing_conditions (category_key, id, text, limit_value, limit_unit, unit_type,
                                 close_when, position)
  VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
  ON CONFLICT (category_key, id) DO UPDATE SET
    text = excluded.text, limit_value = excluded.limit_value, limit_unit = excluded.limit_unit,
    unit_type = excluded.unit_type, close_when = excluded.close_when,
    position = excluded.position, retired_at = NULL)sql";

// NULL: no such category; else whether it is current. Locks the row: two edits of one
// category's limits queue.
constexpr const char* kCategoryCurrent =
    "SELECT retired_at IS NULL FROM categories WHERE key = $1 FOR UPDATE";
constexpr const char* kDeleteTimeLimits =
    "DELETE FROM category_time_limits WHERE category_key = $1";
constexpr const char* kInsertTimeLimit = R"sql(
  INSERT INTO category_time_limits (category_key, timer, limit_value, limit_unit)
  VALUES ($1, $2, $3, $4))sql";

}  // namespace

service::JsonText PgCatalogRepository::list_units() {
  return single_json(tx_.exec_prepared("list_units")).value_or(service::JsonText{"{\"items\":[]}"});
}

service::JsonText PgCatalogRepository::list_categories(bool include_retired,
                                                       const std::optional<std::string>& key) {
  return single_json(tx_.exec_prepared("list_categories", include_retired, nullable(key)))
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
  std::vector<std::string> keys;
  keys.reserve(categories.size());
  for (const domain::Category& category : categories) keys.push_back(category.key);
  tx_.exec_params0(kRetireCategories, text_array(keys));
  for (const domain::Category& category : categories) {
    tx_.exec_params0(kUpsertCategory, category.key, category.name);
    std::vector<std::string> ids;
    ids.reserve(category.conditions.size());
    for (const domain::FilingCondition& condition : category.conditions)
      ids.push_back(condition.id);
    tx_.exec_params0(kRetireConditions, category.key, text_array(ids));
    int position = 0;
    for (const domain::FilingCondition& condition : category.conditions) {
      tx_.exec_params0(kUpsertCondition, category.key, condition.id, condition.text,
                       condition.limit_value, condition.limit_unit, condition.unit_type,
                       condition.close_when, position++);
    }
  }
}

std::optional<bool> PgCatalogRepository::lock_category(std::string_view key) {
  const pqxx::result rows = tx_.exec_params(kCategoryCurrent, std::string(key));
  if (rows.empty()) return std::nullopt;
  return rows[0][0].as<bool>();
}

void PgCatalogRepository::replace_time_limits(
    std::string_view key, const std::map<domain::StageTimer, domain::TimeLimit>& limits) {
  tx_.exec_params0(kDeleteTimeLimits, std::string(key));
  for (const auto& [timer, limit] : limits) {
    tx_.exec_params0(kInsertTimeLimit, std::string(key), std::string(domain::to_string(timer)),
                     limit.value, std::string(domain::to_string(limit.unit)));
  }
}

}  // namespace gridcase::storage
