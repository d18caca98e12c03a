#include "pg_grid_repository.hpp"

#include <pqxx/pqxx>
#include <tuple>

#include "pg_values.hpp"

namespace gridcase::storage {
namespace {

constexpr const char* kCreateStaging = R"sql(
  CREATE TEMP TABLE grid_import (
    idx int NOT NULL, code text NOT NULL, name text NOT NULL, level text NOT NULL,
    parent_code text NOT NULL, valid_from text NOT NULL, path text NOT NULL, geojson text NOT NULL,
    geom geometry
  ) ON COMMIT DROP)sql";

constexpr const char* kParseGeometry = R"sql(
  UPDATE grid_import SET geom = gridcase_try_geojson(geojson))sql";

constexpr const char* kIndexStaging = R"sql(
  CREATE INDEX ON grid_import USING gist (geom);
  CREATE INDEX ON grid_import (code);
  ANALYZE grid_import)sql";

// Each check yields (feature index, field, message); all run, so every problem is reported.
constexpr const char* kFindProblems = R"sql(
  WITH parent AS (
    SELECT i.idx, coalesce(s.geom, n.geom) AS geom, (s.code IS NOT NULL OR n.code IS NOT NULL) AS found,
           n.valid_to IS NOT NULL AS retired
    FROM grid_import i
    LEFT JOIN grid_import s ON s.code = i.parent_code
    LEFT JOIN grid_nodes n ON n.code = i.parent_code
    WHERE i.parent_code <> ''
  )
  SELECT idx, field, message FROM (
    SELECT i.idx, 'code' AS field, 'already exists; codes are never reused' AS message
    FROM grid_import i JOIN grid_nodes n ON n.code = i.code
    UNION ALL
    SELECT p.idx, 'parent_code', 'no such node in the file or the database'
    FROM parent p WHERE NOT p.found
    UNION ALL
    SELECT p.idx, 'parent_code', 'the parent is retired'
    FROM parent p WHERE p.retired
    UNION ALL
    SELECT i.idx, 'geometry', 'not a readable GeoJSON geometry'
    FROM grid_import i WHERE i.geom IS NULL
    UNION ALL
    SELECT i.idx, 'geometry', 'must be a Polygon or MultiPolygon'
    FROM grid_import i WHERE i.geom IS NOT NULL AND GeometryType(i.geom) NOT IN ('POLYGON', 'MULTIPOLYGON')
    UNION ALL
    SELECT i.idx, 'geometry', 'coordinates must be WGS84 longitude/latitude'
    FROM grid_import i WHERE i.geom IS NOT NULL
      AND (ST_XMin(i.geom) < -180 OR ST_XMax(i.geom) > 180 OR ST_YMin(i.geom) < -90 OR ST_YMax(i.geom) > 90)
    UNION ALL
    SELECT i.idx, 'geometry', 'invalid polygon: ' || ST_IsValidReason(i.geom)
    FROM grid_import i
    WHERE i.geom IS NOT NULL AND GeometryType(i.geom) IN ('POLYGON', 'MULTIPOLYGON') AND NOT ST_IsValid(i.geom)
    UNION ALL
    SELECT p.idx, 'geometry', 'not inside its parent'
    FROM parent p JOIN grid_import i ON i.idx = p.idx
    WHERE p.geom IS NOT NULL AND i.geom IS NOT NULL AND ST_IsValid(i.geom) AND ST_IsValid(p.geom)
      AND NOT ST_CoveredBy(i.geom, p.geom)
      AND ST_Area(ST_Difference(i.geom, p.geom)) > ST_Area(i.geom) * 1e-6
    UNION ALL
    SELECT b.idx, 'geometry', 'overlaps sibling ' || a.code
    FROM grid_import a JOIN grid_import b
      ON a.parent_code = b.parent_code AND a.code < b.code AND a.geom && b.geom
    WHERE ST_IsValid(a.geom) AND ST_IsValid(b.geom) AND ST_Relate(a.geom, b.geom, '2********')
      AND ST_Area(ST_Intersection(a.geom, b.geom)) > least(ST_Area(a.geom), ST_Area(b.geom)) * 1e-6
    UNION ALL
    SELECT i.idx, 'geometry', 'overlaps existing sibling ' || n.code
    FROM grid_import i JOIN grid_nodes n  -- districts have no parent: '' in the file, NULL here
      ON coalesce(n.parent_code, '') = i.parent_code AND n.valid_to IS NULL AND n.geom && i.geom
         AND n.code <> i.code
    WHERE ST_IsValid(i.geom) AND ST_Relate(i.geom, n.geom, '2********')
      AND ST_Area(ST_Intersection(i.geom, n.geom)) > least(ST_Area(i.geom), ST_Area(n.geom)) * 1e-6
  ) problems
  ORDER BY idx, field, message)sql";

constexpr const char* kInsertNodes = R"sql(
  INSERT INTO grid_nodes (code, level, name, parent_code, path, geom, valid_from)
  SELECT code, level, name, NULLIF(parent_code, ''), path::ltree, ST_Multi(geom),
         coalesce(NULLIF(valid_from, '')::date, gridcase_today())
  FROM grid_import)sql";

constexpr const char* kInsertOfficer = R"sql(
  INSERT INTO officers (code, name, phone) VALUES ($1, $2, NULLIF($3, '')) RETURNING id)sql";

constexpr const char* kInsertOfficerCells = R"sql(
  INSERT INTO officer_cells (officer_id, duty, cell_code, valid_from)
  SELECT $1, $2, unnest(string_to_array($3, ',')), coalesce($4::date, gridcase_today())
  )sql";

}  // namespace

std::optional<service::JsonText> single_json(const pqxx::result& rows) {
  if (rows.empty() || rows[0][0].is_null()) return std::nullopt;
  return service::JsonText{rows[0][0].as<std::string>()};
}

std::optional<service::JsonText> PgGridRepository::locate(const domain::Point& point,
                                                          const domain::Scope& reader) {
  return single_json(tx_.exec_prepared("locate", point.lon, point.lat,
                                       std::string(domain::to_string(reader.kind)),
                                       nullable(scope_code_of(reader))));
}

std::optional<service::JsonText> PgGridRepository::find_node(std::string_view code,
                                                             bool with_geometry) {
  return single_json(tx_.exec_prepared("find_node", std::string(code), with_geometry));
}

std::optional<service::JsonText> PgGridRepository::list_cells(std::string_view code,
                                                              const service::PageRequest& page) {
  return single_json(
      tx_.exec_prepared("list_cells", std::string(code), nullable(page.after), page.limit));
}

std::optional<service::JsonText> PgGridRepository::list_officers(std::string_view code,
                                                                 const service::PageRequest& page,
                                                                 const domain::Scope& reader) {
  return single_json(tx_.exec_prepared("list_officers", std::string(code), nullable(page.after),
                                       page.limit, std::string(domain::to_string(reader.kind)),
                                       nullable(scope_code_of(reader))));
}

std::vector<domain::FieldError> PgGridRepository::import_nodes(
    const std::vector<domain::GridNodeInput>& nodes) {
  tx_.exec0(kCreateStaging);
  {
    pqxx::stream_to staging{tx_, "grid_import",
                            std::vector<std::string>{"idx", "code", "name", "level", "parent_code",
                                                     "valid_from", "path", "geojson"}};
    for (std::size_t i = 0; i < nodes.size(); ++i) {
      const domain::GridNodeInput& node = nodes[i];
      staging << std::make_tuple(static_cast<int>(i), node.code, node.name,
                                 std::string(to_string(node.level)), node.parent_code.value_or(""),
                                 node.valid_from.value_or(""), domain::ltree_path_of(node.code),
                                 node.geometry_geojson);
    }
    staging.complete();
  }
  tx_.exec0(kParseGeometry);
  tx_.exec(kIndexStaging);
  std::vector<domain::FieldError> problems;
  for (const pqxx::row& row : tx_.exec(kFindProblems)) {
    const auto field = row[1].as<std::string>();
    problems.push_back({"features[" + row[0].as<std::string>() + "]." +
                            (field == "geometry" ? field : "properties." + field),
                        row[2].as<std::string>()});
  }
  if (problems.empty()) tx_.exec0(kInsertNodes);
  return problems;
}

std::map<std::string, std::vector<std::string>> PgGridRepository::officer_cells(
    const std::vector<std::string>& officer_codes) {
  std::map<std::string, std::vector<std::string>> cells;
  for (const std::string& code : officer_codes) cells[code];
  const pqxx::result rows = tx_.exec_params(R"sql(
    SELECT DISTINCT o.code, oc.cell_code FROM officer_cells oc JOIN officers o ON o.id = oc.officer_id
    WHERE o.code = ANY ($1::text[]) AND o.active AND gridcase_in_force(oc.valid_from, oc.valid_to)
    ORDER BY o.code, oc.cell_code)sql",
                                            text_array(officer_codes));
  for (const pqxx::row& row : rows) {
    cells[row[0].as<std::string>()].push_back(row[1].as<std::string>());
  }
  return cells;
}

void PgGridRepository::add_officers(const std::vector<domain::Officer>& officers) {
  for (const domain::Officer& officer : officers) {
    const auto id = tx_.exec_params1(kInsertOfficer, officer.code, officer.name, officer.phone)[0]
                        .as<long long>();
    for (const domain::Officer::Responsibility& duty : officer.responsibilities) {
      std::string cells;
      for (const std::string& cell : duty.cell_codes) {
        if (!cells.empty()) cells += ',';
        cells += cell;
      }
      tx_.exec_params0(kInsertOfficerCells, id, std::string(to_string(duty.duty)), cells,
                       nullable(duty.valid_from));
    }
  }
}

}  // namespace gridcase::storage
