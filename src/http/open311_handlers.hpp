#pragma once

#include <string_view>

#include "gridcase/domain/error.hpp"
#include "gridcase/http/server.hpp"
#include "router.hpp"

namespace gridcase::http {

// Open311 GeoReport v2 under /open311/v2 (docs/integrations.md). Each resource ends in .json or
// .xml, which picks the representation of the answer and of its errors.
Handler open311_discovery(const service::Open311Service& open311);
Handler open311_services(const service::Open311Service& open311,
                         const service::CatalogService& catalog);
Handler open311_service_definition(const service::Open311Service& open311,
                                   const service::CatalogService& catalog);
Handler open311_post_request(const service::Open311Service& open311,
                             const service::CatalogService& catalog);
/// POST /open311/v2/requests' guard: a filing with its photo (multipart/form-data, up to the
/// upload limit) is authenticated from its query string's api_key before its body is read; a
/// plain form, small, is left to the handler (its api_key may be in the body).
Guard open311_filing_guard(const service::Open311Service& open311);
Handler open311_get_requests(const service::Open311Service& open311);
Handler open311_get_request(const service::Open311Service& open311);
Handler open311_get_token(const service::Open311Service& open311);

/// True for a target under /open311/: its errors are answered in Open311's format.
bool is_open311_target(std::string_view target);

/// An error in Open311's format: a list of {code, description} (<errors><error>… in XML, when
/// the target's last segment ends in .xml), with the status of the one mapping, except that a
/// value that makes no sense is 400 and a missing or unknown api_key is 403, as the
/// specification has them.
Response open311_error_response(const domain::Error& error, const Request& request);

}  // namespace gridcase::http
