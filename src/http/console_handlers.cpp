#include "console_handlers.hpp"

#include <algorithm>
#include <fstream>
#include <sstream>
#include <string_view>

#include "embedded_web.hpp"
#include "gridcase/domain/error.hpp"
#include "static_files.hpp"

namespace gridcase::http {
namespace {

using boost::asio::awaitable;

/// No inline script, no eval, nothing from or to another origin. Inline style attributes are
/// allowed: the map library positions its layers with them. blob: lets a photo being uploaded
/// be previewed before it is sent.
constexpr std::string_view kConsolePolicy =
    "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data: blob:; connect-src 'self'; media-src 'self' data: blob:; "
    "font-src 'self'; manifest-src 'self'; base-uri 'none'; form-action 'self'; "
    "frame-ancestors 'none'";

bool plain_file_name(std::string_view name) {
  return !name.empty() && name.front() != '.' && name.size() <= 64 &&
         std::all_of(name.begin(), name.end(), [](char c) {
           return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                  c == '.' || c == '-' || c == '_';
         });
}

[[noreturn]] void no_such_file(std::string_view name) {
  throw domain::Error(domain::ErrorCode::kNotFound, "the console has no file " + std::string(name));
}

/// The console's file `name` (console.html, console.js, console.css, …).
Response console_answer(const Request& request, const std::string& directory,
                        std::string_view name) {
  if (!name.starts_with("console.") || !plain_file_name(name)) no_such_file(name);
  if (!directory.empty()) {
    // A development setting: a small local file, read per request so a rebuild shows at once.
    std::ifstream file{directory + "/" + std::string(name), std::ios::binary};
    if (!file) no_such_file(name);
    std::ostringstream text;
    text << file.rdbuf();
    return static_file(request, name, text.str(), kConsolePolicy);
  }
  for (const web::EmbeddedFile& file : web::kAll) {
    if (file.name == name) return embedded_file(request, file.name, file.text, kConsolePolicy);
  }
  no_such_file(name);
}

}  // namespace

Handler console_page(std::string directory) {
  return [directory = std::move(directory)](Request& request) -> awaitable<Response> {
    co_return console_answer(request, directory, "console.html");
  };
}

Handler console_file(std::string directory) {
  return [directory = std::move(directory)](Request& request) -> awaitable<Response> {
    const std::string& name = request.path_params.at("file");
    if (name.ends_with(".html")) no_such_file(name);
    co_return console_answer(request, directory, name);
  };
}

}  // namespace gridcase::http
