#include "gridcase/service/catalog_service.hpp"

#include "gridcase/domain/access.hpp"
#include "gridcase/service/audit_service.hpp"

namespace gridcase::service {

boost::asio::awaitable<JsonText> CatalogService::units(const domain::Actor& reader) const {
  domain::require_grid_reader(reader);
  JsonText result;
  co_await transactions_.read([&](Repositories& repos) { result = repos.catalog.list_units(); });
  co_return result;
}

boost::asio::awaitable<JsonText> CatalogService::categories(bool include_retired) const {
  JsonText result;
  co_await transactions_.read([&](Repositories& repos) {
    result = repos.catalog.list_categories(include_retired, std::nullopt);
  });
  co_return result;
}

boost::asio::awaitable<void> CatalogService::upsert_units(std::vector<domain::Unit> units) const {
  const std::vector<std::string> codes = codes_of(units);
  co_await transactions_.run([&](Repositories& repos) {
    JsonText before = repos.audit.snapshot(AuditSubject::kUnits, codes);
    std::vector<domain::FieldError> problems = repos.catalog.upsert_units(units);
    if (!problems.empty()) {
      throw domain::Error(domain::ErrorCode::kInvalidValue, "units refer to unknown grid nodes",
                          {.fields = std::move(problems)});
    }
    record_change(repos.audit, domain::command_line_actor().id, domain::AuditAction::kUnitsUpsert,
                  std::to_string(codes.size()) + " units", std::move(before), AuditSubject::kUnits,
                  codes);
  });
}

boost::asio::awaitable<void> CatalogService::replace_categories(
    std::vector<domain::Category> categories, const domain::Actor& actor) const {
  domain::require_district_admin(actor, "replace the category catalogue");
  std::vector<domain::FieldError> problems = domain::validate_catalog(categories);
  if (!problems.empty()) {
    throw domain::Error(domain::ErrorCode::kInvalidValue,
                        "the catalogue has problems; nothing was changed",
                        {.fields = std::move(problems)});
  }
  co_await transactions_.run([&](Repositories& repos) {
    JsonText before = repos.audit.snapshot(AuditSubject::kCategories, {});
    repos.catalog.replace_categories(categories);
    record_change(repos.audit, actor.id, domain::AuditAction::kCategoriesReplace, "categories",
                  std::move(before), AuditSubject::kCategories, {});
  });
}

boost::asio::awaitable<JsonText> CatalogService::replace_time_limits(
    std::string key, std::vector<domain::TimeLimitOverride> overrides,
    const domain::Actor& actor) const {
  JsonText result;
  co_await transactions_.run([&](Repositories& repos) {
    const std::optional<bool> current =
        domain::is_category_key(key) ? repos.catalog.lock_category(key) : std::nullopt;
    if (!current) throw domain::Error(domain::ErrorCode::kNotFound, "no category " + key);
    domain::require_district_admin(actor, "change a category's time limits");
    if (!*current) {
      throw domain::Error(domain::ErrorCode::kConflict,
                          "category " + key + " is retired: list it in the catalogue again first");
    }
    const std::map<domain::StageTimer, domain::TimeLimit> limits =
        domain::require_valid_overrides(overrides);
    JsonText before = repos.audit.snapshot(AuditSubject::kCategory, {key});
    repos.catalog.replace_time_limits(key, limits);
    record_change(repos.audit, actor.id, domain::AuditAction::kCategoryTimeLimits, key,
                  std::move(before), AuditSubject::kCategory, {key});
    result = repos.catalog.list_categories(true, key);
  });
  co_return result;
}

}  // namespace gridcase::service
