#include "pg_audit_repository.hpp"

#include <pqxx/pqxx>

#include "pg_address_repository.hpp"
#include "pg_catalog_repository.hpp"
#include "pg_grid_repository.hpp"
#include "pg_values.hpp"

namespace gridcase::storage {
namespace {

constexpr const char* kSnapshot =
    "SELECT coalesce(gridcase_audit_snapshot($1, $2::text[]), 'null'::jsonb)::text";

constexpr const char* kAppend = R"sql(
  INSERT INTO admin_audit (actor, action, target, before, after)
  VALUES ($1, $2, $3, coalesce($4::jsonb, 'null'::jsonb), coalesce($5::jsonb, 'null'::jsonb)))sql";

/// How gridcase_audit_snapshot names a subject.
const char* subject_name(service::AuditSubject subject) {
  using S = service::AuditSubject;
  switch (subject) {
    case S::kUser:
      return "user";
    case S::kToken:
      return "token";
    case S::kGrid:
      return "grid";
    case S::kOfficers:
      return "officers";
    case S::kUnits:
      return "units";
    case S::kCategories:
      return "categories";
    case S::kCategory:
      return "category";
    case S::kCalendar:
      return "calendar";
    case S::kReporter:
      return "reporter";
    case S::kAddresses:
      return "addresses";
    case S::kWebhook:
      return "webhook";
  }
  return "";
}

std::optional<std::string> json_text(const std::optional<service::JsonText>& json) {
  return json ? std::optional<std::string>(json->text) : std::nullopt;
}

}  // namespace

service::JsonText PgAuditRepository::snapshot(service::AuditSubject subject,
                                              const std::vector<std::string>& keys) {
  // The catalogue as GET /api/v1/categories?include_retired=true shows it: one rendering of
  // it, not two.
  if (subject == service::AuditSubject::kCategories) {
    return PgCatalogRepository{tx_}.list_categories(true, std::nullopt);
  }
  if (subject == service::AuditSubject::kCategory) {
    return PgCatalogRepository{tx_}.list_categories(
        true, keys.empty() ? std::nullopt : std::optional<std::string>(keys.front()));
  }
  // The gazetteer is counted, not listed: an import may hold tens of thousands of entries.
  if (subject == service::AuditSubject::kAddresses) return PgAddressRepository{tx_}.snapshot();
  return service::JsonText{
      tx_.exec_params1(kSnapshot, std::string(subject_name(subject)), text_array(keys))[0]
          .as<std::string>()};
}

void PgAuditRepository::append(const service::AuditRecord& record) {
  tx_.exec_params0(kAppend, record.actor, std::string(domain::to_string(record.action)),
                   record.target, nullable(json_text(record.before)),
                   nullable(json_text(record.after)));
}

service::JsonText PgAuditRepository::page(const service::AuditFilter& filter,
                                          const service::AuditPage& page) {
  const std::optional<std::string> action =
      filter.action ? std::optional<std::string>(domain::to_string(*filter.action)) : std::nullopt;
  const std::optional<std::string> after =
      page.after_id ? std::optional<std::string>(std::to_string(*page.after_id)) : std::nullopt;
  return single_json(tx_.exec_prepared("list_admin_audit", nullable(filter.actor), nullable(action),
                                       nullable(filter.target), nullable(epoch_ms(filter.from)),
                                       nullable(epoch_ms(filter.to)), nullable(after), page.limit))
      .value_or(service::JsonText{R"({"items":[],"next_cursor":null})"});
}

}  // namespace gridcase::storage
