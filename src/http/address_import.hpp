#pragma once

#include <cstddef>
#include <string_view>
#include <vector>

#include "gridcase/domain/address.hpp"

namespace gridcase::http {

/// Reads a gazetteer CSV file (docs/administration.md, "Addresses (the gazetteer)"): a header
/// naming the columns (road, lon and lat required; door_number and building optional; any
/// order), then one entry per record, RFC 4180 quoting, LF or CRLF, an optional UTF-8 byte order
/// mark. Problems name the file's line: `lines[N]` or `lines[N].<column>` (line 1 is the header).
/// Throws kMalformed listing every shape problem (a missing or unknown column, a record with
/// another number of fields, an unclosed quote, a missing road, lon or lat, a coordinate that is
/// not a number). Value checks are the domain's.
std::vector<domain::AddressInput> parse_address_csv(std::string_view text);

/// Reads a GeoJSON FeatureCollection of Point features whose properties are `road`,
/// `door_number` and `building`. Problems name `features[i].properties.<name>` and
/// `features[i].geometry`. Throws kMalformed listing every shape problem.
std::vector<domain::AddressInput> parse_address_geojson(std::string_view text,
                                                        std::size_t max_depth);

}  // namespace gridcase::http
