// A query string → parse_query (percent-decoding, repeated keys) → the list filters and
// cursors of the routes that take them (cases, cells, officers, locate, reports). Whatever the
// route hands to the database must already satisfy the rules; a decoded query must decode the
// same after re-encoding.

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "gridcase/domain/case.hpp"
#include "gridcase/domain/case_status.hpp"
#include "gridcase/domain/error.hpp"
#include "gridcase/domain/grid.hpp"
#include "gridcase/service/grid_service.hpp"
#include "harness.hpp"

namespace {

using gridcase::fuzz::require;
namespace domain = gridcase::domain;
namespace http = gridcase::http;

constexpr std::string_view kPaths[] = {
    "/api/v1/cases",   "/api/v1/grid/150203003001/cells", "/api/v1/officers", "/api/v1/grid/locate",
    "/api/v1/reports", "/api/v1/grid/150203003",
};

std::string percent_encode(std::string_view text) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (const char ch : text) {
    const auto byte = static_cast<unsigned char>(ch);
    if (std::isalnum(byte) || ch == '-' || ch == '_' || ch == '.' || ch == '~') {
      out.push_back(ch);
    } else {
      out += {'%', kHex[byte >> 4], kHex[byte & 15]};
    }
  }
  return out;
}

void check_query_round_trip(std::string_view query) {
  std::map<std::string, std::string, std::less<>> decoded;
  try {
    decoded = http::parse_query(query);
  } catch (const domain::Error& error) {
    require(error.code() == domain::ErrorCode::kMalformed, "a bad query is kMalformed");
    return;
  }
  std::string encoded;
  for (const auto& [key, value] : decoded) {
    encoded += (encoded.empty() ? "" : "&") + percent_encode(key) + "=" + percent_encode(value);
  }
  require(http::parse_query(encoded) == decoded,
          "a decoded query decodes the same after re-encoding");
}

bool valid_grid_code(const std::string& code) {
  const std::optional<domain::GridLevel> level = domain::level_of_code(code);
  return level && !domain::code_problem(code, *level);
}

void check_crossing(std::string_view path, const gridcase::fuzz::Crossing& crossing) {
  if (crossing.case_filter) {
    require(path == "/api/v1/cases", "only the case list lists cases");
    const gridcase::service::CaseFilter& filter = *crossing.case_filter;
    const gridcase::service::CasePage& page = *crossing.case_page;
    require(page.limit >= 1 && page.limit <= 200, "a case page of 1 to 200");
    require(!page.after_id || *page.after_id >= 1, "a case cursor is a positive id");
    require(!filter.grid || valid_grid_code(*filter.grid), "a case filter's grid is a valid code");
    require(!filter.status || domain::parse_case_status(*filter.status),
            "a case filter's status exists");
    require(!filter.channel || domain::parse_channel(*filter.channel),
            "a case filter's channel exists");
    require(!filter.category || domain::is_category_key(*filter.category),
            "a case filter's category is a key");
    require(!filter.from || !filter.to || *filter.from <= *filter.to, "from is not after to");
    require(!filter.text || (!filter.text->empty() && filter.text->size() <= 200),
            "q is 1 to 200 bytes");
  }
  if (crossing.grid_page) {
    const gridcase::service::PageRequest& page = *crossing.grid_page;
    require(page.limit >= 1 && page.limit <= gridcase::service::kMaxPageLimit,
            "a grid page of 1 to 200");
    require(crossing.grid_code && valid_grid_code(*crossing.grid_code),
            "a listed subtree is a valid code");
    if (crossing.operation == "list_cells") {
      require(!page.after || domain::level_of_code(*page.after), "a cell cursor is a grid code");
    } else {
      require(!page.after || (!page.after->empty() && page.after->size() <= 32),
              "an officer cursor is 1-32 bytes");
    }
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using gridcase::fuzz::Api;
  const std::string_view query{reinterpret_cast<const char*>(data), size};
  check_query_round_trip(query);
  Api& api = Api::instance();
  for (const std::string_view path : kPaths) {
    http::beast_http::request<http::beast_http::string_body> message{
        http::beast_http::verb::get, std::string(path) + "?" + std::string(query), 11};
    message.set(http::beast_http::field::authorization, api.authorization());
    api.answer(std::move(message));
    check_crossing(path, api.crossing());
  }
  return 0;
}
