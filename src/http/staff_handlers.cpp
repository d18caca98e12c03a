#include "staff_handlers.hpp"

#include <nlohmann/json.hpp>

#include "authentication.hpp"
#include "error_response.hpp"
#include "gridcase/domain/time_text.hpp"
#include "gridcase/service/staff_service.hpp"
#include "json_fields.hpp"
#include "query_parameters.hpp"
#include "request_body.hpp"

namespace gridcase::http {
namespace {

using boost::asio::awaitable;
using nlohmann::json;

std::optional<std::chrono::year_month_day> optional_date(JsonFields& fields, std::string_view key) {
  const std::optional<std::string> text = fields.text(key);
  if (!text) return std::nullopt;
  const std::optional<std::chrono::year_month_day> day = domain::parse_iso_date(*text);
  if (!day) domain::throw_malformed(std::string(key), "a date, YYYY-MM-DD");
  return day;
}

std::vector<std::string> required_cells(JsonFields& fields) {
  std::optional<std::vector<std::string>> cells = fields.texts("cells");
  if (!cells) domain::throw_malformed("cells", "required: an array of cell codes");
  return std::move(*cells);
}

}  // namespace

Handler create_officer(const service::StaffService& staff, std::size_t max_depth) {
  return [&staff, max_depth](Request& request) -> awaitable<Response> {
    require_known_parameters(request, {});
    const json body = parse_json_body(request, max_depth);
    JsonFields fields{body};
    domain::OfficerInput input;
    input.code = fields.required_text("code");
    input.name = fields.required_text("name");
    input.phone = fields.text("phone");
    fields.finish();
    const std::string location = "/api/v1/officers/" + input.code;
    service::JsonText officer = co_await staff.create_officer(std::move(input), caller_of(request));
    co_return created(request, std::move(officer.text), location);
  };
}

Handler get_officer(const service::StaffService& staff) {
  return [&staff](Request& request) -> awaitable<Response> {
    require_known_parameters(request, {});
    service::JsonText officer =
        co_await staff.officer(request.path_params.at("code"), caller_of(request));
    co_return json_response(request, std::move(officer.text));
  };
}

Handler update_officer(const service::StaffService& staff, std::size_t max_depth) {
  return [&staff, max_depth](Request& request) -> awaitable<Response> {
    require_known_parameters(request, {});
    const json body = parse_json_body(request, max_depth);
    JsonFields fields{body};
    domain::OfficerPatch patch;
    patch.name = fields.text("name");
    patch.phone = fields.text("phone");
    patch.active = fields.boolean("active");
    fields.finish();
    service::JsonText officer = co_await staff.update_officer(request.path_params.at("code"),
                                                              std::move(patch), caller_of(request));
    co_return json_response(request, std::move(officer.text));
  };
}

Handler assign_duty(const service::StaffService& staff, std::size_t max_depth) {
  return [&staff, max_depth](Request& request) -> awaitable<Response> {
    require_known_parameters(request, {});
    const json body = parse_json_body(request, max_depth);
    JsonFields fields{body};
    service::DutyAssignment assignment;
    assignment.officer = fields.required_text("officer");
    assignment.duty = fields.required_text("duty");
    assignment.cells = required_cells(fields);
    assignment.from = optional_date(fields, "from");
    fields.finish();
    const std::string location = "/api/v1/officers/" + assignment.officer;
    service::JsonText officer = co_await staff.assign(std::move(assignment), caller_of(request));
    co_return created(request, std::move(officer.text), location);
  };
}

Handler hand_over_duty(const service::StaffService& staff, std::size_t max_depth) {
  return [&staff, max_depth](Request& request) -> awaitable<Response> {
    require_known_parameters(request, {});
    const json body = parse_json_body(request, max_depth);
    JsonFields fields{body};
    service::DutyHandover handover;
    handover.to = fields.required_text("to");
    handover.duty = fields.required_text("duty");
    handover.cells = required_cells(fields);
    handover.on = optional_date(fields, "on");
    fields.finish();
    service::JsonText officer = co_await staff.hand_over(std::move(handover), caller_of(request));
    co_return json_response(request, std::move(officer.text));
  };
}

Handler end_duty(const service::StaffService& staff, std::size_t max_depth) {
  return [&staff, max_depth](Request& request) -> awaitable<Response> {
    require_known_parameters(request, {});
    json body = json::object();
    if (!request.message.body().empty()) body = parse_json_body(request, max_depth);
    JsonFields fields{body};
    const std::optional<std::chrono::year_month_day> on = optional_date(fields, "on");
    fields.finish();
    const std::string& text = request.path_params.at("id");
    const std::optional<long long> id = parse_id(text);
    if (!id || *id < 1) throw domain::Error(domain::ErrorCode::kNotFound, "no duty " + text);
    service::JsonText officer = co_await staff.end_duty(*id, on, caller_of(request));
    co_return json_response(request, std::move(officer.text));
  };
}

Handler list_cell_duties(const service::StaffService& staff) {
  return [&staff](Request& request) -> awaitable<Response> {
    require_known_parameters(request, {});
    service::JsonText duties =
        co_await staff.cell_duties(request.path_params.at("code"), caller_of(request));
    co_return json_response(request, std::move(duties.text));
  };
}

Handler create_unit(const service::StaffService& staff, std::size_t max_depth) {
  return [&staff, max_depth](Request& request) -> awaitable<Response> {
    require_known_parameters(request, {});
    const json body = parse_json_body(request, max_depth);
    JsonFields fields{body};
    domain::Unit unit;
    unit.code = fields.required_text("code");
    unit.name = fields.required_text("name");
    unit.type = fields.required_text("type");
    unit.scope_code = fields.required_text("scope");
    fields.finish();
    const std::string location = "/api/v1/units/" + unit.code;
    service::JsonText found = co_await staff.create_unit(std::move(unit), caller_of(request));
    co_return created(request, std::move(found.text), location);
  };
}

Handler update_unit(const service::StaffService& staff, std::size_t max_depth) {
  return [&staff, max_depth](Request& request) -> awaitable<Response> {
    require_known_parameters(request, {});
    const json body = parse_json_body(request, max_depth);
    JsonFields fields{body};
    domain::UnitPatch patch;
    patch.name = fields.text("name");
    patch.type = fields.text("type");
    patch.scope_code = fields.text("scope");
    patch.active = fields.boolean("active");
    fields.finish();
    service::JsonText found = co_await staff.update_unit(request.path_params.at("code"),
                                                         std::move(patch), caller_of(request));
    co_return json_response(request, std::move(found.text));
  };
}

Handler list_unit_staff(const service::StaffService& staff) {
  return [&staff](Request& request) -> awaitable<Response> {
    require_known_parameters(request, {});
    service::JsonText found =
        co_await staff.unit_staff(request.path_params.at("code"), caller_of(request));
    co_return json_response(request, std::move(found.text));
  };
}

}  // namespace gridcase::http
