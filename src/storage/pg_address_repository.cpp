#include "pg_address_repository.hpp"

#include <pqxx/pqxx>
#include <tuple>

#include "pg_grid_repository.hpp"
#include "pg_values.hpp"

namespace gridcase::storage {
namespace {

// Imports take turns (a second one waits for the first to commit); searches go on meanwhile.
constexpr const char* kLock = "LOCK TABLE addresses IN SHARE ROW EXCLUSIVE MODE";

constexpr const char* kCreateStaging = R"sql(
  CREATE TEMP TABLE address_import (
    idx int NOT NULL, road text NOT NULL, door_number text NOT NULL, building text NOT NULL,
    entry_key text NOT NULL, search_text text NOT NULL, road_door_text text NOT NULL,
    building_text text NOT NULL, lon text NOT NULL, lat text NOT NULL, location geometry
  ) ON COMMIT DROP)sql";

constexpr const char* kLocateStaging = R"sql(
  UPDATE address_import SET location = ST_SetSRID(ST_MakePoint(lon::float8, lat::float8), 4326))sql";

// The one check that needs the database: a point no current grid cell covers could not place
// a case. (idx, problem) per entry.
constexpr const char* kFindProblems = R"sql(
  SELECT i.idx FROM address_import i
  WHERE NOT EXISTS (SELECT 1 FROM grid_nodes g
                    WHERE g.level = 'cell' AND g.valid_to IS NULL
                      AND ST_Intersects(g.geom, i.location))
  ORDER BY i.idx)sql";

constexpr const char* kRecordImport = R"sql(
  INSERT INTO address_imports (actor, mode, entries) VALUES ($1, $2, $3) RETURNING id)sql";

constexpr const char* kRetireAll = R"sql(
  UPDATE addresses SET retired_by = $1 WHERE retired_by IS NULL)sql";

constexpr const char* kRetireSameKeys = R"sql(
  UPDATE addresses a SET retired_by = $1
  FROM address_import i WHERE a.retired_by IS NULL AND a.entry_key = i.entry_key)sql";

constexpr const char* kInsert = R"sql(
  INSERT INTO addresses (road, door_number, building, location, entry_key, search_text,
                         road_door_text, building_text, bigrams, imported_by)
  SELECT road, NULLIF(door_number, ''), NULLIF(building, ''), location, entry_key, search_text,
         road_door_text, NULLIF(building_text, ''), gridcase_bigrams(search_text), $1
  FROM address_import ORDER BY idx)sql";

constexpr const char* kCount = "SELECT count(*) FROM addresses WHERE retired_by IS NULL";

// The most specific way an address names entries wins: all of road, door number and building,
// else road and door number, else the building alone. Resolved when exactly one point is named.
constexpr const char* kResolve = R"sql(
  WITH named AS (
    SELECT 1 AS tier, location FROM addresses WHERE retired_by IS NULL AND search_text = $1
    UNION ALL
    SELECT 2, location FROM addresses
    WHERE retired_by IS NULL AND door_number IS NOT NULL AND road_door_text = $1
    UNION ALL
    SELECT 3, location FROM addresses WHERE retired_by IS NULL AND building_text = $1
  ),
  placed AS (
    SELECT n.tier, n.location FROM named n
    WHERE EXISTS (SELECT 1 FROM grid_nodes g
                  WHERE g.level = 'cell' AND g.valid_to IS NULL AND ST_Intersects(g.geom, n.location))
  )
  SELECT DISTINCT ST_X(location), ST_Y(location) FROM placed
  WHERE tier = (SELECT min(tier) FROM placed)
  LIMIT 2)sql";

constexpr const char* kSnapshot = R"sql(
  SELECT json_build_object(
    'entries', (SELECT count(*) FROM addresses WHERE retired_by IS NULL),
    'roads', (SELECT count(DISTINCT road) FROM addresses WHERE retired_by IS NULL),
    'last_import', (SELECT json_build_object('id', i.id, 'at', gridcase_iso(i.at), 'actor', i.actor,
                                             'mode', i.mode, 'entries', i.entries,
                                             'retired', (SELECT count(*) FROM addresses r
                                                         WHERE r.retired_by = i.id))
                    FROM address_imports i ORDER BY i.id DESC LIMIT 1))::text)sql";

}  // namespace

std::vector<domain::FieldError> PgAddressRepository::import_entries(
    const std::vector<domain::AddressInput>& entries, service::AddressImportMode mode,
    const std::string& actor, service::AddressImportSummary& summary) {
  tx_.exec0(kLock);
  tx_.exec0(kCreateStaging);
  {
    pqxx::stream_to staging{
        tx_, "address_import",
        std::vector<std::string>{"idx", "road", "door_number", "building", "entry_key",
                                 "search_text", "road_door_text", "building_text", "lon", "lat"}};
    for (std::size_t i = 0; i < entries.size(); ++i) {
      const domain::AddressInput& entry = entries[i];
      domain::AddressInput road_door = entry;
      road_door.building.reset();
      staging << std::make_tuple(static_cast<int>(i), entry.road, entry.door_number.value_or(""),
                                 entry.building.value_or(""), domain::address_key(entry),
                                 domain::address_search_text(entry),
                                 domain::address_search_text(road_door),
                                 domain::normalize_address(entry.building.value_or("")),
                                 decimal(entry.point.lon), decimal(entry.point.lat));
    }
    staging.complete();
  }
  tx_.exec0(kLocateStaging);
  std::vector<domain::FieldError> problems;
  for (const pqxx::row& row : tx_.exec(kFindProblems)) {
    const domain::AddressInput& entry = entries.at(row[0].as<std::size_t>());
    for (const std::string& field : entry.point_fields) {
      problems.push_back({field, "outside every grid cell"});
    }
  }
  if (!problems.empty()) return problems;
  const bool replace = mode == service::AddressImportMode::kReplace;
  summary.import_id = tx_.exec_params1(kRecordImport, actor, replace ? "replace" : "add",
                                       static_cast<long long>(entries.size()))[0]
                          .as<long long>();
  summary.retired = static_cast<long long>(
      tx_.exec_params0(replace ? kRetireAll : kRetireSameKeys, summary.import_id).affected_rows());
  summary.imported =
      static_cast<long long>(tx_.exec_params0(kInsert, summary.import_id).affected_rows());
  summary.entries = count();
  return problems;
}

service::JsonText PgAddressRepository::search(const service::AddressSearch& search,
                                              const service::PageRequest& page) {
  const char* statement = search.match == domain::AddressMatch::kFuzzy ? "search_addresses_fuzzy"
                                                                       : "search_addresses_prefix";
  return single_json(tx_.exec_prepared(statement, search.text, nullable(page.after), page.limit))
      .value_or(service::JsonText{R"({"items":[],"next_cursor":null})"});
}

std::optional<domain::Point> PgAddressRepository::resolve(const std::string& normalized) {
  const pqxx::result rows = tx_.exec_params(kResolve, normalized);
  if (rows.size() != 1) return std::nullopt;
  return domain::Point{rows[0][0].as<double>(), rows[0][1].as<double>()};
}

long long PgAddressRepository::count() { return tx_.exec1(kCount)[0].as<long long>(); }

service::JsonText PgAddressRepository::snapshot() {
  return service::JsonText{tx_.exec1(kSnapshot)[0].as<std::string>()};
}

}  // namespace gridcase::storage
