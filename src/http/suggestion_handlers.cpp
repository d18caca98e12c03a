#include "suggestion_handlers.hpp"

#include <nlohmann/json.hpp>

#include "authentication.hpp"
#include "error_response.hpp"
#include "query_parameters.hpp"

namespace gridcase::http {

using boost::asio::awaitable;
using nlohmann::json;

Handler get_suggestions(const service::CaseService& cases) {
  return [&cases](Request& request) -> awaitable<Response> {
    require_known_parameters(request, {});
    const domain::Actor actor = caller_of(request);
    const service::DispatchSuggestions answer =
        co_await cases.suggestions(request.path_params.at("case_no"), actor);
    json items = json::array();
    for (const domain::DispatchSuggestion& each : answer.suggestions) {
      const domain::UnitCandidate& unit = each.unit;
      items.push_back(
          json{{"rank", each.rank},
               {"unit", unit.code},
               {"name", unit.name},
               {"type", unit.type},
               {"type_matches", each.type_matches},
               {"scope", unit.scope_code},
               {"scope_name", unit.scope_name},
               {"open_handling", unit.open_handling},
               {"recent_on_time_rate",
                each.recent_on_time_rate ? json(*each.recent_on_time_rate) : json(nullptr)},
               {"recent_window_days", domain::kSuggestionWindow.count()},
               {"reason", each.reason}});
    }
    json body{{"case_no", answer.case_no},
              {"action", std::string(to_string(answer.action))},
              {"unit_type", answer.unit_type.empty() ? json(nullptr) : json(answer.unit_type)},
              {"suggestions", std::move(items)}};
    co_return json_response(request, body.dump());
  };
}

}  // namespace gridcase::http
