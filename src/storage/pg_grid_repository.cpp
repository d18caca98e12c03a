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
    geom geometry, kept boolean NOT NULL DEFAULT false
  ) ON COMMIT DROP;
  -- The current nodes a change retires (empty for an import that adds): its roots as named,
  -- then every current node of their subtrees.
  CREATE TEMP TABLE grid_retire (idx int, code text NOT NULL) ON COMMIT DROP;
  CREATE TEMP TABLE grid_retired (
    code text PRIMARY KEY, path ltree NOT NULL, level text NOT NULL, valid_from date NOT NULL
  ) ON COMMIT DROP)sql";

constexpr const char* kParseGeometry = R"sql(
  UPDATE grid_import SET geom = gridcase_try_geojson(geojson))sql";

constexpr const char* kIndexStaging = R"sql(
  CREATE INDEX ON grid_import USING gist (geom);
  CREATE INDEX ON grid_import (code);
  ANALYZE grid_import)sql";

// Each check yields (feature index, field, message); all run, so every problem is reported.
// A kept node is one a replacing import names as it stands (its code current in the database):
// it must be unchanged. $1 the change's date (NULL for an import that adds).
constexpr const char* kFindProblems = R"sql(
  WITH parent AS (
    SELECT i.idx, coalesce(s.geom, n.geom) AS geom, (s.code IS NOT NULL OR n.code IS NOT NULL) AS found,
           n.valid_to IS NOT NULL AS retired, r.code IS NOT NULL AS retiring
    FROM grid_import i
    LEFT JOIN grid_import s ON s.code = i.parent_code
    LEFT JOIN grid_nodes n ON n.code = i.parent_code
    LEFT JOIN grid_retired r ON r.code = i.parent_code
    WHERE i.parent_code <> ''
  ),
  kept AS (
    SELECT i.idx, i.name, i.geom, n.name AS old_name, n.geom AS old_geom
    FROM grid_import i JOIN grid_nodes n ON n.code = i.code
    WHERE i.kept
  )
  SELECT idx, field, message FROM (
    SELECT i.idx, 'code' AS field, 'already exists; codes are never reused' AS message
    FROM grid_import i JOIN grid_nodes n ON n.code = i.code
    WHERE NOT i.kept
    UNION ALL
    SELECT p.idx, 'parent_code', 'the parent is retired by this change'
    FROM parent p WHERE p.retiring
    UNION ALL
    SELECT k.idx, 'name', 'differs from the current node''s (' || k.old_name
                          || '): a node the file keeps must be unchanged; a changed node takes a new code'
    FROM kept k WHERE k.name <> k.old_name
    UNION ALL
    SELECT k.idx, 'geometry', 'differs from the current node''s: a node the file keeps must be '
                              || 'unchanged; a changed node takes a new code'
    FROM kept k
    WHERE k.geom IS NOT NULL AND GeometryType(k.geom) IN ('POLYGON', 'MULTIPOLYGON') AND ST_IsValid(k.geom)
      AND ST_HausdorffDistance(k.geom, k.old_geom) > 1e-6
    UNION ALL
    SELECT i.idx, 'valid_from', 'must be the change''s date (' || $1::date || ') or left out'
    FROM grid_import i
    WHERE $1::date IS NOT NULL AND NOT i.kept AND i.valid_from <> ''
      AND NULLIF(i.valid_from, '')::date IS DISTINCT FROM $1::date
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
    WHERE NOT i.kept AND ST_IsValid(i.geom) AND ST_Relate(i.geom, n.geom, '2********')
      AND NOT EXISTS (SELECT 1 FROM grid_retired r WHERE r.code = n.code)
      AND NOT EXISTS (SELECT 1 FROM grid_import k WHERE k.code = n.code)
      AND ST_Area(ST_Intersection(i.geom, n.geom)) > least(ST_Area(i.geom), ST_Area(n.geom)) * 1e-6
  ) problems
  ORDER BY idx, field, message)sql";

// $1 the change's date, or NULL for an import that adds (each node's own, default today).
constexpr const char* kInsertNodes = R"sql(
  INSERT INTO grid_nodes (code, level, name, parent_code, path, geom, valid_from)
  SELECT code, level, name, NULLIF(parent_code, ''), path::ltree, ST_Multi(geom),
         coalesce($1::date, NULLIF(valid_from, '')::date, gridcase_today())
  FROM grid_import
  WHERE NOT kept)sql";

// --- Changes: retiring nodes, replacing them, a replacing import (docs/grid.md) ---

// One change of the grid at a time: two changes that retire or add overlapping parts would
// each pass their checks against a grid the other is changing.
constexpr const char* kLockGridChanges = R"sql(
  SELECT pg_advisory_xact_lock(hashtext('gridcase.grid_change')))sql";

// $1 the date asked for (or NULL), $2 now (epoch ms): the change's date and today, local. The
// date is the one asked for, else the valid_from every new node of the file names (a file
// whose new nodes all begin on one day), else today.
constexpr const char* kChangeDates = R"sql(
  SELECT to_char(coalesce($1::date,
                          (SELECT CASE WHEN count(DISTINCT valid_from) = 1
                                       THEN NULLIF(min(valid_from), '')::date END
                           FROM grid_import WHERE NOT kept),
                          gridcase_local_date(to_timestamp($2::bigint / 1000.0))), 'YYYY-MM-DD'),
         to_char(gridcase_local_date(to_timestamp($2::bigint / 1000.0)), 'YYYY-MM-DD'))sql";

// A replacing import keeps the current nodes it names and retires their current children that
// it leaves out (each with its subtree, below).
constexpr const char* kReplacingImportRoots = R"sql(
  UPDATE grid_import i SET kept = true
  FROM grid_nodes n WHERE n.code = i.code AND n.valid_to IS NULL;
  INSERT INTO grid_retire (code)
  SELECT n.code FROM grid_nodes n
  WHERE n.valid_to IS NULL
    AND n.parent_code IN (SELECT code FROM grid_import WHERE kept)
    AND NOT EXISTS (SELECT 1 FROM grid_import i WHERE i.code = n.code))sql";

constexpr const char* kRetiredSubtrees = R"sql(
  INSERT INTO grid_retired (code, path, level, valid_from)
  SELECT n.code, n.path, n.level, n.valid_from
  FROM grid_retire r
  JOIN grid_nodes root ON root.code = r.code AND root.valid_to IS NULL
  JOIN grid_nodes n ON n.path <@ root.path AND n.valid_to IS NULL
  ON CONFLICT (code) DO NOTHING;
  ANALYZE grid_retired)sql";

// The codes a change names to retire that are not current nodes: (index, message).
constexpr const char* kRetireProblems = R"sql(
  SELECT r.idx, CASE WHEN n.code IS NULL THEN 'no such grid node'
                     ELSE 'already retired on ' || to_char(n.valid_to, 'YYYY-MM-DD') END
  FROM grid_retire r LEFT JOIN grid_nodes n ON n.code = r.code
  WHERE r.idx IS NOT NULL AND (n.code IS NULL OR n.valid_to IS NOT NULL)
  ORDER BY r.idx)sql";

// $1 the change's date, $2 today. A change takes effect today or from a past day (never later:
// point lookup knows only the grid in force now), and after every node it retires began.
constexpr const char* kDateProblems = R"sql(
  SELECT 'no later than today (' || $2::date || '): a change takes effect when it is made, '
         || 'or from an earlier day'
  WHERE $1::date > $2::date
  UNION ALL
  SELECT 'must be after ' || to_char(max(valid_from), 'YYYY-MM-DD') || ', the day '
         || (array_agg(code ORDER BY valid_from DESC, code))[1] || ' began'
  FROM grid_retired
  HAVING max(valid_from) >= $1::date)sql";

// What stands in the way of retiring (409): an active unit whose scope is retired, and a duty
// over a retired cell that begins on or after the change's date ($1) and so cannot end then.
constexpr const char* kChangeConflicts = R"sql(
  SELECT field, message FROM (
    SELECT 'units' AS field, 'unit ' || u.code || ' works in ' || u.scope_code
           || ', which this change retires: give it another scope or deactivate it first' AS message
    FROM units u JOIN grid_retired r ON r.code = u.scope_code
    WHERE u.active
    UNION ALL
    SELECT 'duties', 'the ' || oc.duty || ' duty of officer ' || o.code || ' over cell ' || oc.cell_code
           || ' begins on ' || to_char(oc.valid_from, 'YYYY-MM-DD')
           || ', not before the change''s date: it cannot end then'
    FROM officer_cells oc
    JOIN grid_retired r ON r.code = oc.cell_code
    JOIN officers o ON o.id = oc.officer_id
    WHERE oc.valid_from >= $1::date
  ) conflicts
  ORDER BY field, message)sql";

constexpr const char* kStagedCodes = R"sql(
  SELECT code, true FROM grid_retired
  UNION ALL
  SELECT code, false FROM grid_import WHERE NOT kept
  ORDER BY 1)sql";

// $1 the change's date.
constexpr const char* kRetireNodes = R"sql(
  UPDATE grid_nodes g SET valid_to = $1::date
  FROM grid_retired r WHERE g.code = r.code)sql";

// The duties over retired cells end on the change's date ($1); their history stays.
constexpr const char* kEndDuties = R"sql(
  UPDATE officer_cells oc SET valid_to = $1::date
  FROM grid_retired r
  WHERE oc.cell_code = r.code AND oc.valid_from < $1::date
    AND (oc.valid_to IS NULL OR oc.valid_to > $1::date))sql";

// The open cases of retired cells, locked (an action on one waits for the change), each with
// the current cell that now contains its point, by the rule of locate.sql.
constexpr const char* kLockOpenCases = R"sql(
  SELECT c.id FROM cases c
  WHERE c.status NOT IN ('rejected', 'closed')
    AND c.cell_code IN (SELECT code FROM grid_retired WHERE level = 'cell')
  ORDER BY c.id
  FOR UPDATE)sql";

constexpr const char* kFindRelocations = R"sql(
  CREATE TEMP TABLE grid_relocated ON COMMIT DROP AS
  SELECT c.id, c.case_no, c.status, c.cell_code AS from_cell, c.location IS NULL AS no_point,
         (SELECT g.code FROM grid_nodes g
          WHERE g.level = 'cell' AND g.valid_to IS NULL AND ST_Intersects(g.geom, c.location)
          ORDER BY g.code LIMIT 1) AS to_cell
  FROM cases c
  WHERE c.status NOT IN ('rejected', 'closed')
    AND c.cell_code IN (SELECT code FROM grid_retired WHERE level = 'cell'))sql";

constexpr const char* kUnplacedCases = R"sql(
  SELECT case_no || ' (open, in cell ' || from_cell || ') '
         || CASE WHEN no_point THEN 'has no point to be located by'
                 ELSE 'lies in no current cell after the change' END
  FROM grid_relocated WHERE to_cell IS NULL
  ORDER BY id)sql";

// $1 now (epoch ms). The update stamps updated_at, so the attribute-history trigger
// (sql/functions/170) keeps the move for the reports.
constexpr const char* kRelocateCases = R"sql(
  UPDATE cases c
  SET cell_code = m.to_cell, grid_path = g.path, version = c.version + 1,
      updated_at = to_timestamp($1::bigint / 1000.0)
  FROM grid_relocated m JOIN grid_nodes g ON g.code = m.to_cell
  WHERE c.id = m.id)sql";

// $1 now (epoch ms), $2 the actor, $3 the change's date: the event tells the case's own story,
// as a `locate` does.
constexpr const char* kRelocationEvents = R"sql(
  INSERT INTO case_events (case_id, at, actor, actor_role, action, from_status, to_status, params)
  SELECT m.id, to_timestamp($1::bigint / 1000.0), $2, 'admin', 'locate', m.status, m.status,
         jsonb_build_object('cell', m.to_cell, 'previous_cell', m.from_cell,
                            'reason', 'grid change from ' || $3)
  FROM grid_relocated m
  ORDER BY m.id)sql";

// $1 the change's date, $2 the duties ended.
constexpr const char* kChangeSummary = R"sql(
  SELECT json_build_object(
    'date', $1::text,
    'retired', coalesce((SELECT json_object_agg(level, n ORDER BY level)
                         FROM (SELECT level, count(*) AS n FROM grid_retired GROUP BY level) l),
                        '{}'::json),
    'imported', coalesce((SELECT json_object_agg(level, n ORDER BY level)
                          FROM (SELECT level, count(*) AS n FROM grid_import WHERE NOT kept
                                GROUP BY level) l), '{}'::json),
    'kept', (SELECT count(*) FROM grid_import WHERE kept),
    'relocated', coalesce((SELECT json_agg(json_build_object('case_no', case_no, 'from', from_cell,
                                                             'to', to_cell) ORDER BY id)
                           FROM grid_relocated), '[]'::json),
    'duties_ended', $2::int
  )::text)sql";

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
                                                             bool with_geometry, bool history) {
  return single_json(tx_.exec_prepared("find_node", std::string(code), with_geometry, history));
}

std::optional<service::JsonText> PgGridRepository::list_cells(std::string_view code,
                                                              const service::PageRequest& page,
                                                              bool history) {
  return single_json(tx_.exec_prepared("list_cells", std::string(code), nullable(page.after),
                                       page.limit, history));
}

std::optional<service::JsonText> PgGridRepository::map(std::string_view code,
                                                       domain::GridLevel level,
                                                       const domain::Scope& reader) {
  return single_json(tx_.exec_prepared(
      "grid_map", std::string(code), std::string(domain::to_string(level)),
      std::string(domain::to_string(reader.kind)), nullable(scope_code_of(reader))));
}

std::optional<service::JsonText> PgGridRepository::list_officers(std::string_view code,
                                                                 const service::PageRequest& page,
                                                                 const domain::Scope& reader) {
  return single_json(tx_.exec_prepared("list_officers", std::string(code), nullable(page.after),
                                       page.limit, std::string(domain::to_string(reader.kind)),
                                       nullable(scope_code_of(reader))));
}

void PgGridRepository::stage_nodes(const std::vector<domain::GridNodeInput>& nodes) {
  tx_.exec(kCreateStaging);
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
}

std::vector<domain::FieldError> PgGridRepository::node_problems(
    const std::optional<std::string>& date) {
  std::vector<domain::FieldError> problems;
  for (const pqxx::row& row : tx_.exec_params(kFindProblems, nullable(date))) {
    const auto field = row[1].as<std::string>();
    problems.push_back({"features[" + row[0].as<std::string>() + "]." +
                            (field == "geometry" ? field : "properties." + field),
                        row[2].as<std::string>()});
  }
  return problems;
}

std::vector<domain::FieldError> PgGridRepository::import_nodes(
    const std::vector<domain::GridNodeInput>& nodes) {
  stage_nodes(nodes);
  std::vector<domain::FieldError> problems = node_problems(std::nullopt);
  if (problems.empty()) tx_.exec_params0(kInsertNodes, nullable(std::optional<std::string>()));
  return problems;
}

service::StagedGridChange PgGridRepository::stage_change(const domain::GridChange& change,
                                                         bool replacing_import,
                                                         domain::Timestamp now) {
  tx_.exec(kLockGridChanges);
  service::StagedGridChange staged;
  stage_nodes(change.nodes);
  if (replacing_import) {
    tx_.exec(kReplacingImportRoots);
  } else {
    pqxx::stream_to roots{tx_, "grid_retire", std::vector<std::string>{"idx", "code"}};
    for (std::size_t i = 0; i < change.retire.size(); ++i) {
      roots << std::make_tuple(static_cast<int>(i), change.retire[i]);
    }
    roots.complete();
  }
  const pqxx::row dates = tx_.exec_params1(kChangeDates, nullable(change.date), epoch_ms(now));
  staged.date = dates[0].as<std::string>();
  const auto today = dates[1].as<std::string>();
  tx_.exec(kRetiredSubtrees);
  for (const pqxx::row& row : tx_.exec(kRetireProblems)) {
    staged.problems.push_back(
        {"retire[" + row[0].as<std::string>() + "]", row[1].as<std::string>()});
  }
  for (const pqxx::row& row : tx_.exec_params(kDateProblems, staged.date, today)) {
    staged.problems.push_back({"date", row[0].as<std::string>()});
  }
  std::vector<domain::FieldError> nodes = node_problems(staged.date);
  staged.problems.insert(staged.problems.end(), nodes.begin(), nodes.end());
  for (const pqxx::row& row : tx_.exec_params(kChangeConflicts, staged.date)) {
    staged.conflicts.push_back({row[0].as<std::string>(), row[1].as<std::string>()});
  }
  for (const pqxx::row& row : tx_.exec(kStagedCodes)) {
    (row[1].as<bool>() ? staged.retired : staged.added).push_back(row[0].as<std::string>());
  }
  date_ = staged.date;
  return staged;
}

service::AppliedGridChange PgGridRepository::apply_change(std::string_view actor,
                                                          domain::Timestamp now) {
  service::AppliedGridChange applied;
  tx_.exec_params0(kRetireNodes, date_);
  tx_.exec_params0(kInsertNodes, date_);
  const pqxx::result ended = tx_.exec_params(kEndDuties, date_);
  tx_.exec(kLockOpenCases);
  tx_.exec(kFindRelocations);
  for (const pqxx::row& row : tx_.exec(kUnplacedCases)) {
    applied.conflicts.push_back({"cases", row[0].as<std::string>()});
  }
  if (!applied.conflicts.empty()) return applied;
  tx_.exec_params0(kRelocateCases, epoch_ms(now));
  tx_.exec_params0(kRelocationEvents, epoch_ms(now), std::string(actor), date_);
  applied.summary = service::JsonText{
      tx_.exec_params1(kChangeSummary, date_, static_cast<int>(ended.affected_rows()))[0]
          .as<std::string>()};
  return applied;
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
