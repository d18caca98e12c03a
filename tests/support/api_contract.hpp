#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "http_client.hpp"

namespace gridcase::testing {

/// How `response` to `method target` breaks docs/openapi.yaml; empty when it conforms. The
/// operation is found by its path template, the answer by its status (or one of the answers the
/// document's `x-any-route-responses` allows on every route), its media type must be listed, and
/// a JSON body must validate against that media type's schema (JSON Schema, valijson).
std::vector<std::string> contract_violations(std::string_view method, std::string_view target,
                                             const HttpResponse& response);

/// "GET /api/v1/cases/{case_no} 200": the operation and status `response` answered, as the
/// contract names them; "GET (no route) 404" when no path template matches.
std::string contract_route(std::string_view method, std::string_view target,
                           const HttpResponse& response);

/// What every HttpConnection::request calls: fails the running test (ADD_FAILURE) for each
/// violation and appends the route × status to the list of answers seen
/// (GRIDCASE_CONTRACT_SEEN, else <build>/e2e-contract-seen.txt; scripts/contract-coverage.sh
/// prints it), once per process and line.
void check_against_contract(std::string_view method, std::string_view target,
                            const HttpResponse& response);

}  // namespace gridcase::testing
