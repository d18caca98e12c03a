#include "audit_handlers.hpp"

#include "authentication.hpp"
#include "error_response.hpp"
#include "gridcase/domain/error.hpp"
#include "query_parameters.hpp"

namespace gridcase::http {
namespace {

/// A text filter of at most 200 bytes: longer names nothing the log holds.
std::optional<std::string> text_filter(const Request& request, std::string_view name) {
  std::optional<std::string> value = query_text(request, name);
  if (value && (value->empty() || value->size() > 200)) {
    domain::throw_invalid(std::string(name), "1 to 200 bytes");
  }
  return value;
}

}  // namespace

Handler list_audit_records(const service::AuditService& audit) {
  return [&audit](Request& request) -> boost::asio::awaitable<Response> {
    require_known_parameters(request,
                             {"actor", "action", "target", "from", "to", "limit", "cursor"});
    service::AuditFilter filter;
    filter.actor = text_filter(request, "actor");
    if (const std::optional<std::string> name = query_text(request, "action")) {
      filter.action = domain::parse_audit_action(*name);
      if (!filter.action) domain::throw_invalid("action", "not an audit action");
    }
    filter.target = text_filter(request, "target");
    filter.from = query_time(request, "from");
    filter.to = query_time(request, "to");
    service::AuditPage page;
    page.limit = query_integer(request, "limit").value_or(50);
    if (const std::optional<std::string> cursor = query_text(request, "cursor")) {
      const std::optional<long long> id = parse_id(*cursor);
      if (!id || *id < 1) domain::throw_invalid("cursor", "not a cursor this list returned");
      page.after_id = *id;
    }
    service::JsonText found = co_await audit.records(std::move(filter), page, caller_of(request));
    co_return json_response(request, std::move(found.text));
  };
}

}  // namespace gridcase::http
