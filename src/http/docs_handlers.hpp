#pragma once

#include "router.hpp"

namespace gridcase::http {

// The API's own description, public: the OpenAPI document (docs/openapi.yaml, embedded) and the
// reference page that renders it in a browser (src/web, built and embedded; docs/api.md).

/// GET /api/v1/openapi.yaml
Handler openapi_document();
/// GET /api/v1/docs: the reference page.
Handler api_reference_page();
/// GET /api/v1/docs/{file}: the page's script and style sheet.
Handler api_reference_file();

}  // namespace gridcase::http
