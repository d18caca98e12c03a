#include "pg_open311_repository.hpp"

#include <pqxx/pqxx>

#include "pg_values.hpp"

namespace gridcase::storage {
namespace {

// The public fields of a case (docs/integrations.md): nothing of the reporter, the description,
// internal notes or officers. `status_notes` is the note of the latest reply.
constexpr const char* kPublicColumns = R"sql(
  SELECT c.case_no, c.status, c.category_key, k.name,
         (SELECT e.note FROM case_events e
          WHERE e.case_id = c.id AND e.action = 'reply' ORDER BY e.id DESC LIMIT 1),
         u.name,
         (extract(epoch FROM c.received_at) * 1000)::bigint,
         (extract(epoch FROM c.updated_at) * 1000)::bigint,
         (extract(epoch FROM c.cycle_deadline) * 1000)::bigint,
         c.address, ST_Y(c.location), ST_X(c.location), c.channel,
         (SELECT a.id::text FROM attachments a
          WHERE a.case_id = c.id AND a.stage = 'report' AND a.attached_at IS NOT NULL
          ORDER BY a.attached_at, a.id LIMIT 1)
  FROM cases c
  LEFT JOIN categories k ON k.key = c.category_key
  LEFT JOIN units u ON u.code = c.unit_code)sql";

const std::string kByNumbers = std::string(kPublicColumns) + R"sql(
  WHERE c.case_no = ANY($1::text[])
  ORDER BY c.received_at DESC, c.id DESC LIMIT $2)sql";

const std::string kByWindow = std::string(kPublicColumns) + R"sql(
  WHERE c.received_at >= to_timestamp($1::bigint / 1000.0)
    AND c.received_at <= to_timestamp($2::bigint / 1000.0)
    AND ($3::text IS NULL OR c.category_key = $3::text)
    AND c.status = ANY($4::text[])
  ORDER BY c.received_at DESC, c.id DESC LIMIT $5)sql";

constexpr const char* kStoreToken = R"sql(
  INSERT INTO open311_tokens (token, case_id, created_at)
  SELECT $1, c.id, to_timestamp($3::bigint / 1000.0) FROM cases c WHERE c.case_no = $2)sql";

constexpr const char* kCaseOfToken = R"sql(
  SELECT c.case_no FROM open311_tokens t JOIN cases c ON c.id = t.case_id WHERE t.token = $1)sql";

std::optional<double> optional_number_of(const pqxx::field& field) {
  if (field.is_null()) return std::nullopt;
  return field.as<double>();
}

service::PublicRequest public_request_of(const pqxx::row& row) {
  service::PublicRequest request;
  request.case_no = row[0].as<std::string>();
  request.status =
      domain::parse_case_status(row[1].as<std::string>()).value_or(domain::CaseStatus::kReceived);
  request.category_key = optional_text_of(row[2]);
  request.category_name = optional_text_of(row[3]);
  request.status_notes = optional_text_of(row[4]);
  request.agency = optional_text_of(row[5]);
  request.requested_at = timestamp_of(row[6]);
  request.updated_at = timestamp_of(row[7]);
  request.expected_at = optional_timestamp_of(row[8]);
  request.address = optional_text_of(row[9]);
  request.lat = optional_number_of(row[10]);
  request.lon = optional_number_of(row[11]);
  request.channel =
      domain::parse_channel(row[12].as<std::string>()).value_or(domain::Channel::kPatrol);
  request.media = optional_text_of(row[13]);
  return request;
}

}  // namespace

std::vector<service::PublicRequest> PgOpen311Repository::find_public(
    const service::PublicRequestQuery& query) {
  pqxx::result rows;
  if (!query.case_numbers.empty()) {
    rows = tx_.exec_params(kByNumbers, text_array(query.case_numbers), query.limit);
  } else {
    std::vector<std::string> statuses;
    for (const domain::CaseStatus status : domain::kAllCaseStatuses) {
      const bool open = domain::open311_status(status) == "open";
      if (open ? query.status.open : query.status.closed) {
        statuses.emplace_back(domain::to_string(status));
      }
    }
    rows = tx_.exec_params(kByWindow, epoch_ms(query.window.start), epoch_ms(query.window.end),
                           nullable(query.category_key), text_array(statuses), query.limit);
  }
  std::vector<service::PublicRequest> found;
  found.reserve(rows.size());
  for (const pqxx::row& row : rows) found.push_back(public_request_of(row));
  return found;
}

void PgOpen311Repository::store_token(std::string_view token, std::string_view case_no,
                                      domain::Timestamp now) {
  tx_.exec_params(kStoreToken, std::string(token), std::string(case_no), epoch_ms(now));
}

std::optional<std::string> PgOpen311Repository::case_of_token(std::string_view token) {
  const pqxx::result rows = tx_.exec_params(kCaseOfToken, std::string(token));
  if (rows.empty()) return std::nullopt;
  return rows[0][0].as<std::string>();
}

}  // namespace gridcase::storage
