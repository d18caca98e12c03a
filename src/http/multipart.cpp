#include "multipart.hpp"

#include <algorithm>
#include <cctype>

#include "gridcase/domain/error.hpp"

namespace gridcase::http {
namespace {

std::string lowercase(std::string_view text) {
  std::string lower{text};
  std::transform(lower.begin(), lower.end(), lower.begin(),
                 [](unsigned char ch) { return static_cast<char>(std::tolower(ch)); });
  return lower;
}

std::string_view trimmed(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
  return text;
}

[[noreturn]] void refuse(const std::string& why) { domain::throw_malformed("body", why); }

/// True when a part's header block has a Content-Disposition naming a filename.
bool names_a_file(std::string_view headers) {
  std::size_t start = 0;
  while (start < headers.size()) {
    std::size_t end = headers.find("\r\n", start);
    if (end == std::string_view::npos) end = headers.size();
    const std::string line = lowercase(headers.substr(start, end - start));
    if (line.starts_with("content-disposition:") && line.find("form-data") != std::string::npos &&
        line.find("filename") != std::string::npos) {
      return true;
    }
    start = end + 2;
  }
  return false;
}

}  // namespace

std::optional<std::string> form_data_boundary(std::string_view content_type) {
  const std::size_t semicolon = content_type.find(';');
  if (lowercase(trimmed(content_type.substr(0, semicolon))) != "multipart/form-data") {
    return std::nullopt;
  }
  std::string_view parameters =
      semicolon == std::string_view::npos ? std::string_view{} : content_type.substr(semicolon);
  while (!parameters.empty()) {
    parameters.remove_prefix(1);  // the ';'
    const std::size_t next = parameters.find(';');
    const std::string_view parameter = trimmed(parameters.substr(0, next));
    parameters = next == std::string_view::npos ? std::string_view{} : parameters.substr(next);
    const std::size_t equals = parameter.find('=');
    if (equals == std::string_view::npos ||
        lowercase(trimmed(parameter.substr(0, equals))) != "boundary") {
      continue;
    }
    std::string_view value = trimmed(parameter.substr(equals + 1));
    if (value.size() >= 2 && value.front() == '"' && value.back() == '"') {
      value = value.substr(1, value.size() - 2);
    }
    if (value.empty() || value.size() > 70) break;
    return std::string(value);
  }
  throw domain::Error(domain::ErrorCode::kMalformed,
                      "multipart/form-data needs a boundary of 1 to 70 characters");
}

std::string form_data_file(std::string_view body, std::string_view boundary) {
  const std::string delimiter = "--" + std::string(boundary);
  std::size_t at = body.find(delimiter);
  if (at == std::string_view::npos) refuse("a multipart body without its boundary");
  std::optional<std::string_view> file;
  while (true) {
    at += delimiter.size();
    if (body.substr(at, 2) == "--") break;  // the closing delimiter
    if (body.substr(at, 2) != "\r\n") refuse("a multipart delimiter not followed by CRLF");
    at += 2;
    const std::size_t headers_end = body.find("\r\n\r\n", at);
    if (headers_end == std::string_view::npos) refuse("a multipart part without its headers");
    const std::string_view headers = body.substr(at, headers_end - at);
    const std::size_t content_start = headers_end + 4;
    const std::size_t next = body.find("\r\n" + delimiter, content_start);
    if (next == std::string_view::npos) refuse("a multipart part without its closing boundary");
    if (names_a_file(headers)) {
      if (file) refuse("a multipart upload carries one file");
      file = body.substr(content_start, next - content_start);
    }
    at = next + 2;
  }
  if (!file) refuse("a multipart upload carries one file (a part with a filename)");
  return std::string(*file);
}

}  // namespace gridcase::http
