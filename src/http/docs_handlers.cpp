#include "docs_handlers.hpp"

#include <sodium.h>

#include <map>
#include <mutex>
#include <stdexcept>
#include <string>
#include <string_view>

#include "embedded_docs.hpp"
#include "embedded_web.hpp"
#include "gridcase/domain/error.hpp"

namespace gridcase::http {
namespace {

using boost::asio::awaitable;

/// The reference page and the files it loads: style-src allows the inline style attributes
/// Swagger UI sets; nothing is loaded from or sent to another origin.
constexpr std::string_view kReferencePolicy =
    "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data:; connect-src 'self'; font-src 'self' data:; base-uri 'none'; "
    "form-action 'self'; frame-ancestors 'none'";

/// A strong validator of `text`: the hex of its 16-byte BLAKE2b digest, quoted.
std::string entity_tag(std::string_view text) {
  if (sodium_init() < 0) throw std::runtime_error("libsodium failed to initialise");
  unsigned char digest[16];
  crypto_generichash(digest, sizeof digest, reinterpret_cast<const unsigned char*>(text.data()),
                     text.size(), nullptr, 0);
  char hex[sizeof digest * 2 + 1];
  sodium_bin2hex(hex, sizeof hex, digest, sizeof digest);
  return "\"" + std::string(hex) + "\"";
}

std::string_view content_type_of(std::string_view name) {
  if (name.ends_with(".html")) return "text/html; charset=utf-8";
  if (name.ends_with(".js")) return "text/javascript; charset=utf-8";
  if (name.ends_with(".css")) return "text/css; charset=utf-8";
  return "application/yaml; charset=utf-8";
}

/// An embedded file, revalidated by its ETag on every use (no-cache): a new binary's files are
/// seen at once, an unchanged one costs a 304.
Response embedded_file(const Request& request, std::string_view name, std::string_view text) {
  // Each file's tag is computed once: the texts are the binary's, they never change.
  static std::mutex mutex;
  static std::map<const char*, std::string> tags;
  std::string tag;
  {
    const std::lock_guard lock{mutex};
    auto [known, added] = tags.try_emplace(text.data());
    if (added) known->second = entity_tag(text);
    tag = known->second;
  }
  const auto wanted = request.message[beast_http::field::if_none_match];
  Response response{wanted == tag ? beast_http::status::not_modified : beast_http::status::ok,
                    request.message.version()};
  response.set(beast_http::field::etag, tag);
  response.set(beast_http::field::cache_control, "no-cache");
  response.set("X-Content-Type-Options", "nosniff");
  if (name.ends_with(".html"))
    response.set("Content-Security-Policy", std::string(kReferencePolicy));
  if (response.result() == beast_http::status::ok) {
    response.set(beast_http::field::content_type, content_type_of(name));
    response.body() = std::string(text);
  }
  response.prepare_payload();
  return response;
}

}  // namespace

Handler openapi_document() {
  return [](Request& request) -> awaitable<Response> {
    co_return embedded_file(request, "openapi.yaml", docs::k_openapi);
  };
}

Handler api_reference_page() {
  return [](Request& request) -> awaitable<Response> {
    co_return embedded_file(request, "docs.html", web::k_docs);
  };
}

Handler api_reference_file() {
  return [](Request& request) -> awaitable<Response> {
    const std::string& name = request.path_params.at("file");
    for (const web::EmbeddedFile& file : web::kAll) {
      if (file.name == name && !name.ends_with(".html")) {
        co_return embedded_file(request, file.name, file.text);
      }
    }
    throw domain::Error(domain::ErrorCode::kNotFound, "no file " + name + " in the API reference");
  };
}

}  // namespace gridcase::http
