#include "router.hpp"

#include "gridcase/domain/error.hpp"
#include "gridcase/domain/text.hpp"

namespace gridcase::http {
namespace {

std::vector<std::string_view> segments(std::string_view path) {
  std::vector<std::string_view> parts;
  std::size_t start = 1;
  while (start <= path.size()) {
    const std::size_t end = std::min(path.find('/', start), path.size());
    parts.push_back(path.substr(start, end - start));
    start = end + 1;
  }
  return parts;
}

int hex_value(char ch) {
  if (ch >= '0' && ch <= '9') return ch - '0';
  if (ch >= 'a' && ch <= 'f') return ch - 'a' + 10;
  if (ch >= 'A' && ch <= 'F') return ch - 'A' + 10;
  return -1;
}

}  // namespace

void Router::add(beast_http::verb verb, std::string pattern, BodyKind body, Handler handler,
                 Guard guard) {
  routes_.push_back(
      Route{verb, std::move(pattern), body, std::move(handler), {}, std::move(guard)});
}

void Router::add_stream(beast_http::verb verb, std::string pattern, StreamHandler handler,
                        Guard guard) {
  routes_.push_back(
      Route{verb, std::move(pattern), BodyKind::kNone, {}, std::move(handler), std::move(guard)});
}

RouteMatch Router::match(beast_http::verb verb, std::string_view path) const {
  RouteMatch best;
  if (path.empty() || path.front() != '/') return best;
  const std::vector<std::string_view> wanted = segments(path);
  int best_literals = -1;
  std::vector<int> literals_by_route;
  for (const Route& route : routes_) {
    const std::vector<std::string_view> pattern = segments(route.pattern);
    if (pattern.size() != wanted.size()) continue;
    std::map<std::string, std::string, std::less<>> params;
    int literals = 0;
    bool matched = true;
    for (std::size_t i = 0; i < pattern.size() && matched; ++i) {
      if (const std::size_t dot = pattern[i].rfind(".{");
          dot != std::string_view::npos && pattern[i].back() == '}') {
        // "services.{format}" or "{service_code}.{format}": split at the last dot.
        std::optional<std::string> value = percent_decode(wanted[i], false);
        const std::size_t at = value ? value->rfind('.') : std::string::npos;
        matched =
            at != std::string::npos && at + 1 < value->size() && domain::is_storable_text(*value);
        if (!matched) break;
        const std::string_view head = pattern[i].substr(0, dot);
        const std::string_view tail = pattern[i].substr(dot + 2, pattern[i].size() - dot - 3);
        if (head.size() > 2 && head.front() == '{' && head.back() == '}') {
          matched = at > 0;
          params.emplace(head.substr(1, head.size() - 2), value->substr(0, at));
        } else {
          matched = head == std::string_view(*value).substr(0, at);
          ++literals;
        }
        params.emplace(tail, value->substr(at + 1));
      } else if (pattern[i].size() > 2 && pattern[i].front() == '{' && pattern[i].back() == '}') {
        std::optional<std::string> value = percent_decode(wanted[i], false);
        matched = value && !value->empty() && domain::is_storable_text(*value);
        if (matched) params.emplace(pattern[i].substr(1, pattern[i].size() - 2), std::move(*value));
      } else {
        matched = pattern[i] == wanted[i];
        ++literals;
      }
    }
    if (!matched) continue;
    if (literals > best_literals) {
      best_literals = literals;
      best.allowed.clear();
      best.route = nullptr;
    }
    if (literals < best_literals) continue;
    best.allowed.push_back(route.verb);
    if (route.verb == verb) {
      best.route = &route;
      best.params = std::move(params);
    }
  }
  return best;
}

std::optional<std::string> percent_decode(std::string_view text, bool plus_is_space) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char ch = text[i];
    if (ch == '%') {
      if (i + 2 >= text.size()) return std::nullopt;
      const int high = hex_value(text[i + 1]);
      const int low = hex_value(text[i + 2]);
      if (high < 0 || low < 0) return std::nullopt;
      out.push_back(static_cast<char>(high * 16 + low));
      i += 2;
    } else if (ch == '+' && plus_is_space) {
      out.push_back(' ');
    } else {
      out.push_back(ch);
    }
  }
  return out;
}

std::map<std::string, std::string, std::less<>> parse_query(std::string_view query) {
  std::map<std::string, std::string, std::less<>> params;
  std::size_t start = 0;
  while (start < query.size()) {
    const std::size_t end = std::min(query.find('&', start), query.size());
    const std::string_view pair = query.substr(start, end - start);
    start = end + 1;
    if (pair.empty()) continue;
    const std::size_t equals = pair.find('=');
    std::optional<std::string> key = percent_decode(pair.substr(0, equals), true);
    std::optional<std::string> value =
        percent_decode(equals == std::string_view::npos ? "" : pair.substr(equals + 1), true);
    if (!key || !value) domain::throw_malformed("query", "malformed percent-encoding");
    if (!domain::is_storable_text(*key))
      domain::throw_malformed("query", "a parameter name that is not UTF-8 text");
    if (!domain::is_storable_text(*value))
      domain::throw_malformed(*key, "not UTF-8 text without U+0000");
    if (!params.emplace(std::move(*key), std::move(*value)).second) {
      domain::throw_malformed("query", "parameter given twice");
    }
  }
  return params;
}

}  // namespace gridcase::http
