#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "gridcase/domain/error.hpp"
#include "gridcase/domain/grid.hpp"

namespace gridcase::domain {

/// One entry of the address gazetteer (docs/administration.md, "Addresses"): a door number on a
/// road, or a building, at a point. `road` is required; an entry is known by its road, door
/// number and building together (address_key).
struct AddressInput {
  std::string road;
  std::optional<std::string> door_number;
  std::optional<std::string> building;
  Point point;
  /// Where the entry is in its file, for problems: its fields are named `<at>.<name>`
  /// (`lines[3]`, `features[2].properties`), its point `point_fields` (`lines[3].lon` and
  /// `lines[3].lat`, or `features[2].geometry`).
  std::string at;
  std::vector<std::string> point_fields;
};

inline constexpr std::size_t kMaxRoadChars = 50;
inline constexpr std::size_t kMaxDoorNumberChars = 20;
inline constexpr std::size_t kMaxBuildingChars = 100;
/// The longest search text (`q`) a gazetteer search takes.
inline constexpr std::size_t kMaxAddressQueryChars = 100;

/// How an address is compared: full-width ASCII forms (Ａ, ４５, －) become ASCII, ASCII
/// letters lower case, and every space (ASCII, the ideographic U+3000, no-break) is dropped, so
/// "友谊大街 ４５号" and "友谊大街45号" are one address. Chinese characters are kept as they
/// are. `text` must be valid UTF-8.
std::string normalize_address(std::string_view text);

/// The identity of an entry: its normalized road, door number and building, kept apart.
std::string address_key(const AddressInput& entry);

/// What prefix and fuzzy search and intake compare a query with: the normalized road, door
/// number and building written together ("友谊大街45号五四市场").
std::string address_search_text(const AddressInput& entry);

/// The value rules of an import, every problem with its field: text lengths and characters,
/// possible coordinates, entries repeated in the file (the same road, door number and building),
/// an empty file (`empty_field`). The database's checks come after (the point in a grid cell).
std::vector<FieldError> validate_address_import(const std::vector<AddressInput>& entries,
                                                const std::string& empty_field);

/// Search modes of GET /api/v1/addresses.
enum class AddressMatch { kPrefix, kFuzzy };
std::optional<AddressMatch> parse_address_match(std::string_view text);

/// A gazetteer search: the normalized query, checked (kInvalidValue naming `q`): 1 to 100
/// characters, and for a fuzzy search at least 2 once normalized (a fuzzy match compares pairs
/// of neighbouring characters).
std::string address_query(std::string_view q, AddressMatch match);

}  // namespace gridcase::domain
