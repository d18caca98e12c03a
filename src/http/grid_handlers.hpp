#pragma once

#include "gridcase/http/server.hpp"
#include "router.hpp"

namespace gridcase::http {

Handler locate_point(const service::GridService& grid);
Handler get_grid_node(const service::GridService& grid);
Handler list_grid_cells(const service::GridService& grid);
/// GET /api/v1/grid/{code}/map: GeoJSON of the subtree at one level with open/overdue counts.
Handler grid_map(const service::GridService& grid);
/// GET /api/v1/grid/{code}/counts: the open cases of the subtree by status.
Handler grid_stage_counts(const service::CaseService& cases);
/// GET /api/v1/officers: the officers of a subtree (`grid`), or without it every officer for the
/// district's admin.
Handler list_officers(const service::GridService& grid, const service::StaffService& staff);
Handler import_grid(const service::GridService& grid, std::size_t max_depth);
Handler retire_grid_node(const service::GridService& grid, std::size_t max_depth);
Handler replace_grid_nodes(const service::GridService& grid, std::size_t max_depth);
Handler list_units(const service::CatalogService& catalog);
Handler list_categories(const service::CatalogService& catalog);

}  // namespace gridcase::http
