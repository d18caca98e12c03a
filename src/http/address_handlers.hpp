#pragma once

#include "gridcase/service/address_service.hpp"
#include "router.hpp"

namespace gridcase::http {

/// POST /api/v1/addresses/import?mode=add|replace: a CSV (text/csv) or GeoJSON file.
Handler import_addresses(const service::AddressService& addresses, std::size_t max_depth);
/// GET /api/v1/addresses?q=&match=prefix|fuzzy&limit=&cursor=
Handler search_addresses(const service::AddressService& addresses);

}  // namespace gridcase::http
