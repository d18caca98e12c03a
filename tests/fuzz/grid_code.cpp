// Grid codes (domain.md §2): the level a code implies, the problems of a code at each level,
// parents and ltree paths; and GET /api/v1/grid/{code} reaches the database exactly for the
// codes the domain accepts.

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "gridcase/domain/error.hpp"
#include "gridcase/domain/grid.hpp"
#include "gridcase/domain/text.hpp"
#include "harness.hpp"

namespace {

using gridcase::fuzz::require;
namespace domain = gridcase::domain;
namespace http = gridcase::http;

constexpr domain::GridLevel kLevels[] = {domain::GridLevel::kDistrict, domain::GridLevel::kStreet,
                                         domain::GridLevel::kCommunity, domain::GridLevel::kCell};

std::string percent_encode(std::string_view text) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (const char ch : text) {
    const auto byte = static_cast<unsigned char>(ch);
    out += {'%', kHex[byte >> 4], kHex[byte & 15]};
  }
  return out;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string code{reinterpret_cast<const char*>(data), size};
  const std::optional<domain::GridLevel> level = domain::level_of_code(code);
  for (const domain::GridLevel each : kLevels) {
    require(domain::parse_grid_level(domain::to_string(each)) == each,
            "a level's name parses back");
    if (!domain::code_problem(code, each))
      require(level == each, "a code valid at a level has that level's width");
  }
  bool accepted = true;
  try {
    domain::require_grid_code(code, "code");
  } catch (const domain::Error& error) {
    require(error.code() == domain::ErrorCode::kInvalidValue, "a bad grid code is kInvalidValue");
    accepted = false;
  }
  require(accepted == (level && !domain::code_problem(code, *level)),
          "require_grid_code agrees with code_problem");
  if (accepted) {
    const std::string path = domain::ltree_path_of(code);
    require(static_cast<std::size_t>(std::count(path.begin(), path.end(), '.')) ==
                static_cast<std::size_t>(*level),
            "an ltree path has one label per level");
    require(path.ends_with(code), "an ltree path ends with the code");
    if (*level != domain::GridLevel::kDistrict) {
      const std::string parent = domain::parent_code_of(code);
      const auto parent_level = static_cast<domain::GridLevel>(static_cast<int>(*level) - 1);
      require(!domain::code_problem(parent, parent_level),
              "the parent of a valid code is a valid code");
      require(domain::ltree_path_of(parent) + "." + code == path,
              "a path is its parent's path and the code");
    }
  }

  gridcase::fuzz::Api& api = gridcase::fuzz::Api::instance();
  http::beast_http::request<http::beast_http::string_body> message{
      http::beast_http::verb::get, "/api/v1/grid/" + percent_encode(code), 11};
  message.set(http::beast_http::field::authorization, api.authorization());
  const http::Response response = api.answer(std::move(message));
  if (code.empty()) return 0;  // "/api/v1/grid/" names no node: 404
  if (accepted) {
    require(api.crossing().grid_code == code, "an accepted code is looked up as it is");
  } else {
    // A path segment that is not UTF-8 text (or holds U+0000) names no resource: 404 (router).
    require(response.result_int() == (domain::is_storable_text(code) ? 422U : 404U) &&
                api.crossing().operation.empty(),
            "a refused code is 422 (404 when not UTF-8 text) before the database");
  }
  return 0;
}
