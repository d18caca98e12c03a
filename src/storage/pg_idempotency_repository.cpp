#include "pg_idempotency_repository.hpp"

#include <pqxx/pqxx>

#include "pg_values.hpp"

namespace gridcase::storage {
namespace {

constexpr const char* kTryLock = R"sql(
  SELECT pg_try_advisory_xact_lock(hashtextextended($1 || E'\x1f' || $2 || E'\x1f' || $3, 7301))
)sql";

constexpr const char* kFindKey = R"sql(
  SELECT request_hash = md5($4), case_id, case_no, case_version, created,
         error_code, error_message, error_fields, error_field_messages, allowed_actions
  FROM idempotency_keys
  WHERE caller = $1 AND route = $2 AND key = $3 AND claimed_at > now() - interval '24 hours')sql";

constexpr const char* kSaveWritten = R"sql(
  INSERT INTO idempotency_keys (caller, route, key, request_hash, case_id, case_no, case_version,
                                created)
  VALUES ($1, $2, $3, md5($4), $5, $6, $7, $8)
  ON CONFLICT (caller, route, key) DO UPDATE
    SET request_hash = excluded.request_hash, case_id = excluded.case_id,
        case_no = excluded.case_no, case_version = excluded.case_version,
        created = excluded.created, error_code = NULL, error_message = NULL, error_fields = NULL,
        error_field_messages = NULL, allowed_actions = NULL, claimed_at = now())sql";

constexpr const char* kSaveRefusal = R"sql(
  INSERT INTO idempotency_keys (caller, route, key, request_hash, error_code, error_message,
                                error_fields, error_field_messages, allowed_actions)
  VALUES ($1, $2, $3, md5($4), $5, $6, $7::text[], $8::text[], $9::text[])
  ON CONFLICT (caller, route, key) DO UPDATE
    SET request_hash = excluded.request_hash, case_id = NULL, case_no = NULL,
        case_version = NULL, created = NULL, error_code = excluded.error_code,
        error_message = excluded.error_message, error_fields = excluded.error_fields,
        error_field_messages = excluded.error_field_messages,
        allowed_actions = excluded.allowed_actions, claimed_at = now())sql";

// SKIP LOCKED: a key some request holds right now is purged on a later tick.
constexpr const char* kPurge = R"sql(
  WITH expired AS (
    SELECT caller, route, key FROM idempotency_keys
    WHERE claimed_at < to_timestamp($1::bigint / 1000.0)
    ORDER BY claimed_at LIMIT $2
    FOR UPDATE SKIP LOCKED
  ), purged AS (
    DELETE FROM idempotency_keys k USING expired e
    WHERE k.caller = e.caller AND k.route = e.route AND k.key = e.key
    RETURNING 1
  )
  SELECT count(*)::int FROM purged)sql";

std::vector<std::string> strings_of(const pqxx::field& field) {
  std::vector<std::string> values;
  if (field.is_null()) return values;
  pqxx::array_parser parser = field.as_array();
  for (auto [juncture, text] = parser.get_next(); juncture != pqxx::array_parser::juncture::done;
       std::tie(juncture, text) = parser.get_next()) {
    if (juncture == pqxx::array_parser::juncture::string_value) values.push_back(std::move(text));
  }
  return values;
}

service::Refusal refusal_of(const pqxx::row& row) {
  service::Refusal refusal;
  refusal.code =
      domain::parse_error_code(row[5].as<std::string>()).value_or(domain::ErrorCode::kInternal);
  refusal.message = row[6].as<std::string>();
  const std::vector<std::string> fields = strings_of(row[7]);
  const std::vector<std::string> messages = strings_of(row[8]);
  for (std::size_t i = 0; i < fields.size() && i < messages.size(); ++i) {
    refusal.fields.push_back(domain::FieldError{fields[i], messages[i]});
  }
  refusal.allowed_actions = strings_of(row[9]);
  return refusal;
}

}  // namespace

bool PgIdempotencyRepository::try_lock(std::string_view caller, std::string_view route,
                                       std::string_view key) {
  return tx_.exec_params1(kTryLock, std::string(caller), std::string(route), std::string(key))[0]
      .as<bool>();
}

std::optional<std::pair<service::WriteOutcome, bool>> PgIdempotencyRepository::find(
    std::string_view caller, std::string_view route, std::string_view key, std::string_view body) {
  const pqxx::result rows = tx_.exec_params(kFindKey, std::string(caller), std::string(route),
                                            std::string(key), std::string(body));
  if (rows.empty()) return std::nullopt;
  const pqxx::row row = rows[0];
  const bool same_body = row[0].as<bool>();
  if (!row[2].is_null()) {
    return std::make_pair(
        service::WriteOutcome{service::CaseWritten{row[1].as<long long>(), row[2].as<std::string>(),
                                                   row[3].as<int>(), row[4].as<bool>()}},
        same_body);
  }
  return std::make_pair(service::WriteOutcome{refusal_of(row)}, same_body);
}

void PgIdempotencyRepository::save(std::string_view caller, std::string_view route,
                                   std::string_view key, std::string_view body,
                                   const service::WriteOutcome& outcome) {
  if (const auto* written = std::get_if<service::CaseWritten>(&outcome)) {
    tx_.exec_params0(kSaveWritten, std::string(caller), std::string(route), std::string(key),
                     std::string(body), written->case_id, written->case_no, written->version,
                     written->created);
    return;
  }
  const auto& refusal = std::get<service::Refusal>(outcome);
  std::vector<std::string> fields;
  std::vector<std::string> messages;
  for (const domain::FieldError& field : refusal.fields) {
    fields.push_back(field.field);
    messages.push_back(field.message);
  }
  tx_.exec_params0(kSaveRefusal, std::string(caller), std::string(route), std::string(key),
                   std::string(body), std::string(domain::to_string(refusal.code)), refusal.message,
                   text_array(fields), text_array(messages), text_array(refusal.allowed_actions));
}

int PgIdempotencyRepository::purge(domain::Timestamp before, int limit) {
  return tx_.exec_params1(kPurge, epoch_ms(before), limit)[0].as<int>();
}

}  // namespace gridcase::storage
