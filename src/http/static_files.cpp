#include "static_files.hpp"

#include <sodium.h>

#include <map>
#include <mutex>
#include <stdexcept>
#include <string>

namespace gridcase::http {
namespace {

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
  if (name.ends_with(".yaml")) return "application/yaml; charset=utf-8";
  return "application/octet-stream";
}

Response tagged_file(const Request& request, std::string_view name, std::string_view text,
                     std::string_view policy, const std::string& tag) {
  const auto wanted = request.message[beast_http::field::if_none_match];
  Response response{wanted == tag ? beast_http::status::not_modified : beast_http::status::ok,
                    request.message.version()};
  response.set(beast_http::field::etag, tag);
  response.set(beast_http::field::cache_control, "no-cache");
  response.set("X-Content-Type-Options", "nosniff");
  if (name.ends_with(".html")) {
    response.set("Content-Security-Policy", std::string(policy));
    response.set("X-Frame-Options", "DENY");
    response.set("Referrer-Policy", "no-referrer");
  }
  if (response.result() == beast_http::status::ok) {
    response.set(beast_http::field::content_type, content_type_of(name));
    response.body() = std::string(text);
  }
  response.prepare_payload();
  return response;
}

}  // namespace

Response static_file(const Request& request, std::string_view name, std::string_view text,
                     std::string_view policy) {
  return tagged_file(request, name, text, policy, entity_tag(text));
}

Response embedded_file(const Request& request, std::string_view name, std::string_view text,
                       std::string_view policy) {
  static std::mutex mutex;
  static std::map<const char*, std::string> tags;
  std::string tag;
  {
    const std::lock_guard lock{mutex};
    auto [known, added] = tags.try_emplace(text.data());
    if (added) known->second = entity_tag(text);
    tag = known->second;
  }
  return tagged_file(request, name, text, policy, tag);
}

}  // namespace gridcase::http
