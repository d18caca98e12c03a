#pragma once

#include "gridcase/http/server.hpp"
#include "router.hpp"

namespace gridcase::http {

// District administration of officers, duties and units (docs/administration.md, "Officers,
// duties and units").
Handler create_officer(const service::StaffService& staff, std::size_t max_depth);
Handler get_officer(const service::StaffService& staff);
Handler update_officer(const service::StaffService& staff, std::size_t max_depth);
Handler assign_duty(const service::StaffService& staff, std::size_t max_depth);
Handler hand_over_duty(const service::StaffService& staff, std::size_t max_depth);
Handler end_duty(const service::StaffService& staff, std::size_t max_depth);
Handler list_cell_duties(const service::StaffService& staff);
Handler create_unit(const service::StaffService& staff, std::size_t max_depth);
Handler update_unit(const service::StaffService& staff, std::size_t max_depth);
Handler list_unit_staff(const service::StaffService& staff);

}  // namespace gridcase::http
