#include "docs_handlers.hpp"

#include <string>
#include <string_view>

#include "embedded_docs.hpp"
#include "embedded_web.hpp"
#include "gridcase/domain/error.hpp"
#include "static_files.hpp"

namespace gridcase::http {
namespace {

using boost::asio::awaitable;

/// The reference page and the files it loads: style-src allows the inline style attributes
/// Swagger UI sets; nothing is loaded from or sent to another origin.
constexpr std::string_view kReferencePolicy =
    "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data:; connect-src 'self'; font-src 'self' data:; base-uri 'none'; "
    "form-action 'self'; frame-ancestors 'none'";

}  // namespace

Handler openapi_document() {
  return [](Request& request) -> awaitable<Response> {
    co_return embedded_file(request, "openapi.yaml", docs::k_openapi, kReferencePolicy);
  };
}

Handler api_reference_page() {
  return [](Request& request) -> awaitable<Response> {
    co_return embedded_file(request, "docs.html", web::k_docs, kReferencePolicy);
  };
}

Handler api_reference_file() {
  return [](Request& request) -> awaitable<Response> {
    const std::string& name = request.path_params.at("file");
    for (const web::EmbeddedFile& file : web::kAll) {
      // Only the reference's own files (docs.js, docs.css): the console's live under /console/.
      if (file.name == name && name.starts_with("docs.") && !name.ends_with(".html")) {
        co_return embedded_file(request, file.name, file.text, kReferencePolicy);
      }
    }
    throw domain::Error(domain::ErrorCode::kNotFound, "no file " + name + " in the API reference");
  };
}

}  // namespace gridcase::http
