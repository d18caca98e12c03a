#include "query_parameters.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>

#include "gridcase/domain/error.hpp"
#include "gridcase/domain/time_text.hpp"

namespace gridcase::http {

using domain::throw_malformed;

void require_known_parameters(const Request& request,
                              std::initializer_list<std::string_view> known) {
  for (const auto& [name, value] : request.query) {
    if (std::find(known.begin(), known.end(), name) == known.end()) {
      throw_malformed(name, "unknown query parameter");
    }
  }
}

std::optional<std::string> query_text(const Request& request, std::string_view name) {
  auto found = request.query.find(name);
  if (found == request.query.end()) return std::nullopt;
  return found->second;
}

std::optional<double> query_number(const Request& request, std::string_view name) {
  std::optional<std::string> text = query_text(request, name);
  if (!text) return std::nullopt;
  double value = 0;
  const char* end = text->data() + text->size();
  auto [ptr, error] = std::from_chars(text->data(), end, value);
  if (text->empty() || error != std::errc{} || ptr != end || !std::isfinite(value)) {
    throw_malformed(std::string(name), "must be a decimal number");
  }
  return value;
}

std::optional<int> query_integer(const Request& request, std::string_view name) {
  std::optional<std::string> text = query_text(request, name);
  if (!text) return std::nullopt;
  int value = 0;
  const char* end = text->data() + text->size();
  auto [ptr, error] = std::from_chars(text->data(), end, value);
  if (text->empty() || error != std::errc{} || ptr != end) {
    throw_malformed(std::string(name), "must be an integer");
  }
  return value;
}

std::optional<long long> parse_id(std::string_view text) {
  if (text.empty() ||
      !std::all_of(text.begin(), text.end(), [](char ch) { return ch >= '0' && ch <= '9'; })) {
    return std::nullopt;
  }
  long long value = 0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (error != std::errc{} || end != text.data() + text.size()) return std::nullopt;
  return value;
}

std::optional<bool> query_boolean(const Request& request, std::string_view name) {
  std::optional<std::string> text = query_text(request, name);
  if (!text) return std::nullopt;
  if (*text == "true") return true;
  if (*text == "false") return false;
  throw_malformed(std::string(name), "must be true or false");
}

std::optional<domain::Timestamp> query_time(const Request& request, std::string_view name) {
  std::optional<std::string> text = query_text(request, name);
  if (!text) return std::nullopt;
  std::optional<domain::Timestamp> parsed = domain::parse_rfc3339(*text);
  if (!parsed) {
    throw_malformed(std::string(name), "must be an RFC 3339 time, e.g. 2026-11-25T10:00:00+08:00");
  }
  return parsed;
}

std::string redacted_target(std::string_view target) {
  const std::size_t question = target.find('?');
  if (question == std::string_view::npos) return std::string(target);
  std::string out(target.substr(0, question + 1));
  std::string_view query = target.substr(question + 1);
  bool first = true;
  for (;;) {
    const std::size_t amp = query.find('&');
    const std::string_view pair = query.substr(0, amp);
    const std::string_view name = pair.substr(0, pair.find('='));
    if (!first) out += '&';
    first = false;
    // Compared decoded, so that api%5Fkey is caught too.
    const std::optional<std::string> decoded = percent_decode(name, true);
    if (!decoded || *decoded == "api_key") {
      out += name;
      out += "=REDACTED";
    } else {
      out += pair;
    }
    if (amp == std::string_view::npos) break;
    query.remove_prefix(amp + 1);
  }
  return out;
}

}  // namespace gridcase::http
