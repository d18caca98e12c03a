#include "pg_staff_repository.hpp"

#include <pqxx/pqxx>

#include "gridcase/domain/time_text.hpp"
#include "pg_values.hpp"

namespace gridcase::storage {
namespace {

/// A duty as the officer and cell reads show it; `oc` is officer_cells, `o` officers.
constexpr const char* kDutyColumns = R"sql(
  oc.id, o.code, oc.duty, oc.cell_code, to_char(oc.valid_from, 'YYYY-MM-DD'),
  to_char(oc.valid_to, 'YYYY-MM-DD'))sql";

constexpr const char* kOfficerJson = R"sql(
  SELECT json_build_object(
    'code', o.code, 'name', o.name, 'phone', o.phone, 'active', o.active,
    'duties', coalesce((
      SELECT json_agg(json_build_object(
               'id', oc.id, 'duty', oc.duty, 'cell', oc.cell_code, 'cell_name', g.name,
               'from', to_char(oc.valid_from, 'YYYY-MM-DD'), 'to', to_char(oc.valid_to, 'YYYY-MM-DD'),
               'in_force', o.active AND gridcase_in_force(oc.valid_from, oc.valid_to))
             ORDER BY oc.valid_from DESC, oc.duty, oc.cell_code)
      FROM officer_cells oc JOIN grid_nodes g ON g.code = oc.cell_code
      WHERE oc.officer_id = o.id), '[]'::json))::text
  FROM officers o WHERE o.code = $1)sql";

// Every officer, active or not, with duties in force today or later summed by duty.
constexpr const char* kOfficersPage = R"sql(
  WITH page AS (
    SELECT o.id, o.code, o.name, o.phone, o.active FROM officers o
    WHERE $1::text IS NULL OR o.code > $1::text
    ORDER BY o.code LIMIT $2::int + 1
  ),
  shown AS (SELECT * FROM page ORDER BY code LIMIT $2::int)
  SELECT json_build_object(
    'items', coalesce((SELECT json_agg(json_build_object(
        'code', s.code, 'name', s.name, 'phone', s.phone, 'active', s.active,
        'duties', coalesce((
          SELECT json_agg(json_build_object('duty', d.duty, 'cells', d.cells, 'from', d.first_day)
                          ORDER BY d.duty)
          FROM (SELECT oc.duty, count(*) AS cells,
                       to_char(min(oc.valid_from), 'YYYY-MM-DD') AS first_day
                FROM officer_cells oc
                WHERE oc.officer_id = s.id
                  AND gridcase_not_ended(oc.valid_to)
                GROUP BY oc.duty) d), '[]'::json))
      ORDER BY s.code) FROM shown s), '[]'::json),
    'next_cursor', CASE WHEN (SELECT count(*) FROM page) > $2::int
                        THEN (SELECT max(code) FROM shown) END)::text)sql";

constexpr const char* kCellDuties = R"sql(
  SELECT json_build_object(
    'cell', json_build_object('code', g.code, 'name', g.name,
                              'valid_to', to_char(g.valid_to, 'YYYY-MM-DD')),
    'items', coalesce((
      SELECT json_agg(json_build_object(
               'id', oc.id, 'duty', oc.duty,
               'officer', json_build_object('code', o.code, 'name', o.name, 'active', o.active),
               'from', to_char(oc.valid_from, 'YYYY-MM-DD'), 'to', to_char(oc.valid_to, 'YYYY-MM-DD'),
               'in_force', o.active AND gridcase_in_force(oc.valid_from, oc.valid_to))
             ORDER BY oc.duty, oc.valid_from)
      FROM officer_cells oc JOIN officers o ON o.id = oc.officer_id
      WHERE oc.cell_code = g.code), '[]'::json))::text
  FROM grid_nodes g WHERE g.code = $1 AND g.level = 'cell')sql";

constexpr const char* kUnitJson = R"sql(
  SELECT json_build_object('code', u.code, 'name', u.name, 'type', u.type, 'scope', u.scope_code,
                           'scope_name', g.name, 'active', u.active)::text
  FROM units u JOIN grid_nodes g ON g.code = u.scope_code WHERE u.code = $1)sql";

std::chrono::year_month_day date_of(const pqxx::field& field) {
  return *domain::parse_iso_date(field.as<std::string>());
}

domain::DutyRecord duty_of(const pqxx::row& row) {
  domain::DutyRecord duty;
  duty.id = row[0].as<long long>();
  duty.officer = row[1].as<std::string>();
  duty.duty = *domain::parse_duty(row[2].as<std::string>());
  duty.cell = row[3].as<std::string>();
  duty.from = date_of(row[4]);
  if (!row[5].is_null()) duty.to = date_of(row[5]);
  return duty;
}

std::vector<domain::DutyRecord> duties_of(const pqxx::result& rows) {
  std::vector<domain::DutyRecord> duties;
  duties.reserve(rows.size());
  for (const pqxx::row& row : rows) duties.push_back(duty_of(row));
  return duties;
}

std::optional<service::JsonText> json_of(const pqxx::result& rows) {
  if (rows.empty() || rows[0][0].is_null()) return std::nullopt;
  return service::JsonText{rows[0][0].as<std::string>()};
}

std::optional<bool> active_of(const pqxx::result& rows) {
  if (rows.empty()) return std::nullopt;
  return rows[0][0].as<bool>();
}

std::string iso(std::chrono::year_month_day day) { return domain::format_iso_date(day); }

std::optional<std::string> optional_bool(const std::optional<bool>& value) {
  if (!value) return std::nullopt;
  return *value ? "true" : "false";
}

}  // namespace

std::chrono::year_month_day PgStaffRepository::today() {
  return date_of(tx_.exec1("SELECT to_char(gridcase_today(), 'YYYY-MM-DD')")[0]);
}

std::optional<bool> PgStaffRepository::lock_officer(std::string_view code) {
  return active_of(
      tx_.exec_params("SELECT active FROM officers WHERE code = $1 FOR UPDATE", std::string(code)));
}

void PgStaffRepository::insert_officer(const domain::OfficerInput& input) {
  tx_.exec_params0("INSERT INTO officers (code, name, phone) VALUES ($1, $2, $3)", input.code,
                   input.name, nullable(input.phone));
}

void PgStaffRepository::update_officer(std::string_view code, const domain::OfficerPatch& patch) {
  tx_.exec_params0(R"sql(
    UPDATE officers SET name = coalesce($2, name),
                        phone = CASE WHEN $3::text IS NULL THEN phone ELSE NULLIF($3::text, '') END,
                        active = coalesce($4::boolean, active)
    WHERE code = $1)sql",
                   std::string(code), nullable(patch.name), nullable(patch.phone),
                   nullable(optional_bool(patch.active)));
}

std::optional<service::JsonText> PgStaffRepository::officer_json(std::string_view code) {
  return json_of(tx_.exec_params(kOfficerJson, std::string(code)));
}

service::JsonText PgStaffRepository::officers_page(const service::PageRequest& page) {
  return *json_of(tx_.exec_params(kOfficersPage, nullable(page.after), page.limit));
}

std::vector<domain::DutyRecord> PgStaffRepository::duties_from(std::string_view officer,
                                                               std::chrono::year_month_day day) {
  return duties_of(tx_.exec_params(std::string("SELECT ") + kDutyColumns + R"sql(
    FROM officer_cells oc JOIN officers o ON o.id = oc.officer_id
    WHERE o.code = $1 AND (oc.valid_to IS NULL OR oc.valid_to > $2::date)
    ORDER BY oc.valid_from, oc.duty, oc.cell_code)sql",
                                   std::string(officer), iso(day)));
}

std::vector<std::string> PgStaffRepository::lock_cells(const std::vector<std::string>& cells) {
  const pqxx::result locked = tx_.exec_params(R"sql(
    SELECT code FROM grid_nodes
    WHERE code = ANY ($1::text[]) AND level = 'cell' AND valid_to IS NULL
    ORDER BY code FOR NO KEY UPDATE)sql",
                                              text_array(cells));
  std::vector<std::string> missing = cells;
  for (const pqxx::row& row : locked) std::erase(missing, row[0].as<std::string>());
  return missing;
}

std::vector<domain::DutyRecord> PgStaffRepository::duties_over(
    domain::Duty duty, const std::vector<std::string>& cells, std::chrono::year_month_day day) {
  return duties_of(tx_.exec_params(std::string("SELECT ") + kDutyColumns + R"sql(
    FROM officer_cells oc JOIN officers o ON o.id = oc.officer_id
    WHERE oc.duty = $1 AND oc.cell_code = ANY ($2::text[])
      AND (oc.valid_to IS NULL OR oc.valid_to > $3::date)
    ORDER BY oc.cell_code, oc.valid_from)sql",
                                   std::string(to_string(duty)), text_array(cells), iso(day)));
}

std::vector<domain::DutyRecord> PgStaffRepository::insert_duties(
    std::string_view officer, domain::Duty duty, const std::vector<std::string>& cells,
    std::chrono::year_month_day from) {
  return duties_of(tx_.exec_params(R"sql(
    WITH inserted AS (
      INSERT INTO officer_cells (officer_id, duty, cell_code, valid_from)
      SELECT o.id, $2, cell, $4::date FROM officers o, unnest($3::text[]) AS cell
      WHERE o.code = $1
      RETURNING *)
    SELECT )sql" + std::string(kDutyColumns) +
                                       R"sql(
    FROM inserted oc JOIN officers o ON o.id = oc.officer_id ORDER BY oc.id)sql",
                                   std::string(officer), std::string(to_string(duty)),
                                   text_array(cells), iso(from)));
}

std::optional<domain::DutyRecord> PgStaffRepository::lock_duty(long long id) {
  const pqxx::result rows = tx_.exec_params(std::string("SELECT ") + kDutyColumns + R"sql(
    FROM officer_cells oc JOIN officers o ON o.id = oc.officer_id
    WHERE oc.id = $1 FOR NO KEY UPDATE OF oc)sql",
                                            id);
  if (rows.empty()) return std::nullopt;
  return duty_of(rows[0]);
}

void PgStaffRepository::end_duty(long long id, std::chrono::year_month_day on) {
  tx_.exec_params0("UPDATE officer_cells SET valid_to = $2::date WHERE id = $1", id, iso(on));
}

std::optional<service::JsonText> PgStaffRepository::cell_duties(std::string_view code) {
  return json_of(tx_.exec_params(kCellDuties, std::string(code)));
}

std::optional<bool> PgStaffRepository::lock_unit(std::string_view code) {
  return active_of(
      tx_.exec_params("SELECT active FROM units WHERE code = $1 FOR UPDATE", std::string(code)));
}

std::optional<domain::GridLevel> PgStaffRepository::current_node_level(std::string_view code) {
  const pqxx::result rows = tx_.exec_params(
      "SELECT level FROM grid_nodes WHERE code = $1 AND valid_to IS NULL", std::string(code));
  if (rows.empty()) return std::nullopt;
  return domain::parse_grid_level(rows[0][0].as<std::string>());
}

void PgStaffRepository::insert_unit(const domain::Unit& unit) {
  tx_.exec_params0("INSERT INTO units (code, name, type, scope_code) VALUES ($1, $2, $3, $4)",
                   unit.code, unit.name, unit.type, unit.scope_code);
}

void PgStaffRepository::update_unit(std::string_view code, const domain::UnitPatch& patch) {
  tx_.exec_params0(R"sql(
    UPDATE units SET name = coalesce($2, name), type = coalesce($3, type),
                     scope_code = coalesce($4, scope_code), active = coalesce($5::boolean, active)
    WHERE code = $1)sql",
                   std::string(code), nullable(patch.name), nullable(patch.type),
                   nullable(patch.scope_code), nullable(optional_bool(patch.active)));
}

std::vector<std::string> PgStaffRepository::open_cases_of_unit(std::string_view code, int limit) {
  const pqxx::result rows = tx_.exec_params(R"sql(
    SELECT case_no FROM cases
    WHERE unit_code = $1 AND status NOT IN ('closed', 'rejected')
    ORDER BY id LIMIT $2)sql",
                                            std::string(code), limit);
  std::vector<std::string> numbers;
  numbers.reserve(rows.size());
  for (const pqxx::row& row : rows) numbers.push_back(row[0].as<std::string>());
  return numbers;
}

std::optional<service::JsonText> PgStaffRepository::unit_json(std::string_view code) {
  return json_of(tx_.exec_params(kUnitJson, std::string(code)));
}

bool PgStaffRepository::is_unit_staff(std::string_view unit, std::string_view username) {
  return tx_
      .exec_params1(R"sql(
    SELECT EXISTS (SELECT 1 FROM users
                   WHERE scope_kind = 'unit' AND scope_code = $1 AND username = $2 AND active
                     AND 'unit' = ANY (roles)))sql",
                    std::string(unit), std::string(username))[0]
      .as<bool>();
}

service::JsonText PgStaffRepository::unit_staff(std::string_view unit) {
  return *json_of(tx_.exec_params(R"sql(
    SELECT json_build_object('items', coalesce(json_agg(json_build_object(
             'username', username, 'display_name', display_name) ORDER BY username), '[]'::json))::text
    FROM users
    WHERE scope_kind = 'unit' AND scope_code = $1 AND active AND 'unit' = ANY (roles))sql",
                                  std::string(unit)));
}

}  // namespace gridcase::storage
