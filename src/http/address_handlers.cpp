#include "address_handlers.hpp"

#include <algorithm>
#include <cctype>
#include <nlohmann/json.hpp>

#include "address_import.hpp"
#include "authentication.hpp"
#include "error_response.hpp"
#include "query_parameters.hpp"
#include "request_body.hpp"

namespace gridcase::http {
namespace {

using boost::asio::awaitable;

bool is_csv(const Request& request) {
  std::string_view type = request.message[beast_http::field::content_type];
  type = type.substr(0, type.find(';'));
  constexpr std::string_view kCsv = "text/csv";
  return type.size() >= kCsv.size() &&
         std::equal(kCsv.begin(), kCsv.end(), type.begin(),
                    [](char expected, char given) {
                      return expected ==
                             static_cast<char>(std::tolower(static_cast<unsigned char>(given)));
                    }) &&
         type.find_first_not_of(' ', kCsv.size()) == std::string_view::npos;
}

}  // namespace

Handler import_addresses(const service::AddressService& addresses, std::size_t max_depth) {
  return [&addresses, max_depth](Request& request) -> awaitable<Response> {
    require_known_parameters(request, {"mode"});
    const std::string mode_text = query_text(request, "mode").value_or("add");
    if (mode_text != "add" && mode_text != "replace")
      domain::throw_invalid("mode", "add or replace");
    const service::AddressImportMode mode = mode_text == "replace"
                                                ? service::AddressImportMode::kReplace
                                                : service::AddressImportMode::kAdd;
    require_content_type(request, {"text/csv", "application/geo+json", "application/json"});
    const bool csv = is_csv(request);
    std::vector<domain::AddressInput> entries =
        csv ? parse_address_csv(request.message.body())
            : parse_address_geojson(request.message.body(), max_depth);
    const service::AddressImportSummary summary = co_await addresses.import(
        std::move(entries), mode, caller_of(request), csv ? "lines" : "features");
    const nlohmann::json body{{"import", summary.import_id},
                              {"mode", mode_text},
                              {"imported", summary.imported},
                              {"retired", summary.retired},
                              {"entries", summary.entries}};
    co_return json_response(request, body.dump(), beast_http::status::created);
  };
}

Handler search_addresses(const service::AddressService& addresses) {
  return [&addresses](Request& request) -> awaitable<Response> {
    require_known_parameters(request, {"q", "match", "limit", "cursor"});
    const std::optional<std::string> q = query_text(request, "q");
    if (!q) domain::throw_malformed("q", "required: the text to look for");
    const std::optional<domain::AddressMatch> match =
        domain::parse_address_match(query_text(request, "match").value_or("prefix"));
    if (!match) domain::throw_invalid("match", "prefix or fuzzy");
    service::PageRequest page;
    page.limit = query_integer(request, "limit").value_or(20);
    page.after = query_text(request, "cursor");
    service::AddressSearch search{domain::address_query(*q, *match), *match};
    service::JsonText found =
        co_await addresses.search(std::move(search), std::move(page), caller_of(request));
    co_return json_response(request, std::move(found.text));
  };
}

}  // namespace gridcase::http
