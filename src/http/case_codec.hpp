#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>

#include "gridcase/domain/calendar.hpp"
#include "gridcase/domain/case.hpp"
#include "gridcase/domain/catalog.hpp"
#include "gridcase/service/case_service.hpp"
#include "router.hpp"

namespace gridcase::http {

/// The intake body of contract/api.md Writes. Throws kMalformed naming wrong types and unknown
/// fields.
domain::NewCase decode_new_case(const nlohmann::json& body);
/// An action's parameters. Throws kMalformed naming wrong types and unknown fields.
domain::ActionInput decode_action_input(const nlohmann::json& body);

/// `If-Match: "7"` (or 7, W/"7"). Throws kMalformed for anything else.
std::optional<int> decode_if_match(const Request& request);

/// The case JSON with its timers (and, when an actor is given, what they may do now).
nlohmann::json case_document(const service::CaseView& view, const domain::Actor* actor);

nlohmann::json calendar_to_json(const domain::WorkCalendarSpec& spec);
domain::WorkCalendarSpec calendar_from_json(const nlohmann::json& body);

/// A catalogue file (data/categories.json format) for PUT /api/v1/categories.
std::vector<domain::Category> decode_catalog(const nlohmann::json& body);
/// PUT /api/v1/categories/{key}/time-limits: {"check": {"value": 4, "unit": "work_hour"}, ...}.
/// Throws kMalformed for a body or member of the wrong shape; names are checked by the domain.
std::vector<domain::TimeLimitOverride> decode_time_limits(const nlohmann::json& body);

}  // namespace gridcase::http
