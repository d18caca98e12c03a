// A request line, optional header lines and a body, framed by the target with a correct
// Content-Length (mutating raw bytes rarely keeps the length right), then served like
// request_bytes: it aims at the handlers' JSON decoding and validation. Input:
//
//   POST /api/v1/cases
//   Idempotency-Key: k1        (optional headers)
//
//   {"channel": "web", ...}
//
// Authorization (the fuzz admin) and Content-Type: application/json are added unless given.
// A PUT /api/v1/calendar that passes validation must be stored as written.

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "case_codec.hpp"
#include "harness.hpp"

namespace {

bool has_header(std::string_view headers, std::string_view name) {
  std::size_t at = 0;
  while (at < headers.size()) {
    const std::size_t end = std::min(headers.find('\n', at), headers.size());
    const std::string_view line = headers.substr(at, end - at);
    if (line.size() > name.size() && line[name.size()] == ':' &&
        std::equal(name.begin(), name.end(), line.begin(), [](char a, char b) {
          return std::tolower(static_cast<unsigned char>(a)) ==
                 std::tolower(static_cast<unsigned char>(b));
        })) {
      return true;
    }
    at = end + 1;
  }
  return false;
}

/// A calendar that reached the database is stored as the client wrote it: every field given
/// reads back the same, and the stored form decodes to itself.
void check_calendar(const gridcase::domain::WorkCalendarSpec& spec, std::string_view body) {
  using gridcase::http::calendar_from_json;
  using gridcase::http::calendar_to_json;
  const nlohmann::json encoded = calendar_to_json(spec);
  gridcase::fuzz::require(calendar_to_json(calendar_from_json(encoded)) == encoded,
                          "a stored calendar decodes to itself: " + encoded.dump());
  const nlohmann::json given = nlohmann::json::parse(body, nullptr, false);
  gridcase::fuzz::require(given.is_object(), "an accepted calendar is a JSON object");
  for (const auto& [key, value] : given.items()) {
    if (value.is_null()) continue;  // absent
    gridcase::fuzz::require(encoded.contains(key) && encoded.at(key) == value,
                            "an accepted calendar is stored as written: " + key + " " +
                                value.dump() + " became " +
                                encoded.value(key, nlohmann::json()).dump());
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using gridcase::fuzz::Api;
  const std::string_view input{reinterpret_cast<const char*>(data), size};
  const std::size_t line_end = input.find('\n');
  if (line_end == std::string_view::npos) return -1;  // not in the format: not worth keeping
  const std::size_t headers_end = input.find("\n\n", line_end);
  const std::string_view headers = headers_end == std::string_view::npos
                                       ? std::string_view{}
                                       : input.substr(line_end + 1, headers_end - line_end);
  const std::string_view body = headers_end == std::string_view::npos
                                    ? input.substr(line_end + 1)
                                    : input.substr(headers_end + 2);
  Api& api = Api::instance();
  std::string request{input.substr(0, line_end)};
  request += " HTTP/1.1\r\nHost: fuzz\r\n";
  if (!has_header(headers, "Authorization"))
    request += "Authorization: " + api.authorization() + "\r\n";
  if (!has_header(headers, "Content-Type")) request += "Content-Type: application/json\r\n";
  std::size_t at = 0;
  while (at < headers.size()) {
    const std::size_t end = std::min(headers.find('\n', at), headers.size());
    if (end > at) request.append(headers.substr(at, end - at)).append("\r\n");
    at = end + 1;
  }
  request += "Content-Length: " + std::to_string(body.size()) + "\r\nConnection: close\r\n\r\n";
  request += body;
  api.serve_bytes(request);
  if (api.crossing().calendar) check_calendar(*api.crossing().calendar, body);
  return 0;
}
