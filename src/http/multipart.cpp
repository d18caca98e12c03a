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

/// The Content-Disposition of a part's header block: whether it is `form-data`, its `name`, and
/// whether it names a file (`filename` or `filename*`). Quoted values may hold ';' and \".
struct Disposition {
  bool form_data = false;
  std::string name;
  bool file = false;
};

Disposition disposition_of(std::string_view headers) {
  Disposition found;
  std::size_t start = 0;
  while (start < headers.size()) {
    std::size_t end = headers.find("\r\n", start);
    if (end == std::string_view::npos) end = headers.size();
    const std::string_view line = headers.substr(start, end - start);
    start = end + 2;
    const std::size_t colon = line.find(':');
    if (colon == std::string_view::npos ||
        lowercase(trimmed(line.substr(0, colon))) != "content-disposition") {
      continue;
    }
    std::string_view rest = line.substr(colon + 1);
    const std::size_t type_end = rest.find(';');
    found.form_data = lowercase(trimmed(rest.substr(0, type_end))) == "form-data";
    rest = type_end == std::string_view::npos ? std::string_view{} : rest.substr(type_end + 1);
    while (!rest.empty()) {
      const std::size_t equals = rest.find('=');
      if (equals == std::string_view::npos) break;
      const std::string key = lowercase(trimmed(rest.substr(0, equals)));
      rest = rest.substr(equals + 1);
      while (!rest.empty() && (rest.front() == ' ' || rest.front() == '\t')) rest.remove_prefix(1);
      std::string value;
      if (!rest.empty() && rest.front() == '"') {
        std::size_t i = 1;
        for (; i < rest.size() && rest[i] != '"'; ++i) {
          if (rest[i] == '\\' && i + 1 < rest.size()) ++i;
          value += rest[i];
        }
        rest = rest.substr(std::min(i + 1, rest.size()));
        const std::size_t next = rest.find(';');
        rest = next == std::string_view::npos ? std::string_view{} : rest.substr(next + 1);
      } else {
        const std::size_t next = rest.find(';');
        value = std::string(trimmed(rest.substr(0, next)));
        rest = next == std::string_view::npos ? std::string_view{} : rest.substr(next + 1);
      }
      if (key == "name") found.name = std::move(value);
      if (key == "filename" || key == "filename*") found.file = true;
    }
  }
  return found;
}

}  // namespace

bool is_form_with_files(std::string_view content_type) {
  return lowercase(trimmed(content_type.substr(0, content_type.find(';')))) ==
         "multipart/form-data";
}

std::optional<std::string> form_data_boundary(std::string_view content_type) {
  if (!is_form_with_files(content_type)) return std::nullopt;
  const std::size_t semicolon = content_type.find(';');
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

std::vector<FormPart> form_data_parts(std::string_view body, std::string_view boundary) {
  const std::string delimiter = "--" + std::string(boundary);
  std::size_t at = body.find(delimiter);
  if (at == std::string_view::npos) refuse("a multipart body without its boundary");
  std::vector<FormPart> parts;
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
    Disposition disposition = disposition_of(headers);
    parts.push_back(FormPart{disposition.form_data ? std::move(disposition.name) : std::string(),
                             disposition.form_data && disposition.file,
                             body.substr(content_start, next - content_start)});
    at = next + 2;
  }
  return parts;
}

std::string form_data_file(std::string_view body, std::string_view boundary) {
  std::optional<std::string_view> file;
  for (const FormPart& part : form_data_parts(body, boundary)) {
    if (!part.file) continue;
    if (file) refuse("a multipart upload carries one file");
    file = part.content;
  }
  if (!file) refuse("a multipart upload carries one file (a part with a filename)");
  return std::string(*file);
}

}  // namespace gridcase::http
