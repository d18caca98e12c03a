#include "gridcase/domain/webhook.hpp"

#include <arpa/inet.h>

#include <algorithm>
#include <array>
#include <charconv>
#include <cmath>
#include <set>

#include "gridcase/domain/case_status.hpp"
#include "gridcase/domain/error.hpp"

namespace gridcase::domain {
namespace {

constexpr std::size_t kMaxEvents = 64;
constexpr std::string_view kSecretPrefix = "whsec_";
constexpr std::size_t kMinSecretBytes = 24;
constexpr std::size_t kMaxSecretBytes = 64;

bool is_printable_ascii(std::string_view text) {
  return std::all_of(text.begin(), text.end(), [](char ch) { return ch > 0x20 && ch < 0x7f; });
}

bool starts_with_ci(std::string_view text, std::string_view prefix) {
  if (text.size() < prefix.size()) return false;
  for (std::size_t i = 0; i < prefix.size(); ++i) {
    const char ch =
        text[i] >= 'A' && text[i] <= 'Z' ? static_cast<char>(text[i] - 'A' + 'a') : text[i];
    if (ch != prefix[i]) return false;
  }
  return true;
}

bool is_host_name(std::string_view host) {
  if (host.empty() || host.size() > 253) return false;
  std::size_t label = 0;
  for (std::size_t i = 0; i < host.size(); ++i) {
    const char ch = host[i];
    if (ch == '.') {
      if (label == 0 || host[i - 1] == '-') return false;
      label = 0;
      continue;
    }
    const bool alnum =
        (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9');
    if (!alnum && !(ch == '-' && label > 0)) return false;
    if (++label > 63) return false;
  }
  return label > 0 && host.back() != '-';
}

AddressKind classify_v4(std::uint32_t a) {
  const auto in = [a](std::uint32_t network, int bits) {
    const std::uint32_t mask = bits == 0 ? 0 : ~std::uint32_t{0} << (32 - bits);
    return (a & mask) == network;
  };
  if (in(0x00000000, 8)) return AddressKind::kUnspecified;
  if (in(0x7f000000, 8)) return AddressKind::kLoopback;
  if (in(0x0a000000, 8) || in(0xac100000, 12) || in(0xc0a80000, 16) || in(0x64400000, 10))
    return AddressKind::kPrivate;
  if (in(0xa9fe0000, 16)) return AddressKind::kLinkLocal;
  // 192.0.0/24 protocol assignments, 192.0.2/24, 198.51.100/24, 203.0.113/24 documentation,
  // 198.18/15 benchmarking, 224/4 multicast, 240/4 reserved and the broadcast address.
  if (in(0xc0000000, 24) || in(0xc0000200, 24) || in(0xc6336400, 24) || in(0xcb007100, 24) ||
      in(0xc6120000, 15) || in(0xe0000000, 4) || in(0xf0000000, 4))
    return AddressKind::kOther;
  return AddressKind::kPublic;
}

}  // namespace

WebhookTarget parse_webhook_target(std::string_view url, const std::string& field) {
  if (url.size() > kMaxWebhookUrlBytes)
    throw_invalid(field, "at most " + std::to_string(kMaxWebhookUrlBytes) + " bytes");
  if (!is_printable_ascii(url)) throw_invalid(field, "printable ASCII without spaces");
  if (!starts_with_ci(url, "https://")) throw_invalid(field, "an https:// URL");
  if (url.find('#') != std::string_view::npos) throw_invalid(field, "a URL without a fragment");
  std::string_view rest = url.substr(8);
  const std::size_t path_at = rest.find_first_of("/?");
  std::string_view authority = rest.substr(0, path_at);
  std::string target = path_at == std::string_view::npos ? "/" : std::string(rest.substr(path_at));
  if (target.front() == '?') target.insert(target.begin(), '/');
  if (authority.find('@') != std::string_view::npos)
    throw_invalid(field, "a URL without user information: the secret signs the deliveries");
  WebhookTarget parsed;
  parsed.url = std::string(url);
  parsed.target = std::move(target);
  std::optional<std::string_view> port_text;
  if (authority.starts_with('[')) {
    const std::size_t close = authority.find(']');
    if (close == std::string_view::npos) throw_invalid(field, "an IPv6 host closes with ]");
    parsed.host = std::string(authority.substr(1, close - 1));
    std::string_view after = authority.substr(close + 1);
    if (!after.empty()) {
      if (after.front() != ':') throw_invalid(field, "a host, then an optional :port");
      port_text = after.substr(1);
    }
    std::array<unsigned char, 16> bytes{};
    if (::inet_pton(AF_INET6, parsed.host.c_str(), bytes.data()) != 1)
      throw_invalid(field, "[" + parsed.host + "] is not an IPv6 address");
    parsed.host_is_ip_literal = true;
  } else {
    const std::size_t colon = authority.rfind(':');
    parsed.host = std::string(authority.substr(0, colon));
    if (colon != std::string_view::npos) port_text = authority.substr(colon + 1);
    std::transform(parsed.host.begin(), parsed.host.end(), parsed.host.begin(), [](char ch) {
      return ch >= 'A' && ch <= 'Z' ? static_cast<char>(ch - 'A' + 'a') : ch;
    });
    std::array<unsigned char, 4> bytes{};
    parsed.host_is_ip_literal = ::inet_pton(AF_INET, parsed.host.c_str(), bytes.data()) == 1;
    if (!parsed.host_is_ip_literal && !is_host_name(parsed.host))
      throw_invalid(field, "a host name or an IP address");
  }
  if (port_text) {
    unsigned value = 0;
    const char* end = port_text->data() + port_text->size();
    auto [stop, error] = std::from_chars(port_text->data(), end, value);
    if (port_text->empty() || error != std::errc{} || stop != end || value == 0 || value > 65535)
      throw_invalid(field, "a port from 1 to 65535");
    parsed.port = static_cast<std::uint16_t>(value);
  }
  return parsed;
}

std::optional<AddressKind> classify_address(std::string_view text) {
  const std::string address{text};
  std::array<unsigned char, 4> v4{};
  if (::inet_pton(AF_INET, address.c_str(), v4.data()) == 1) {
    return classify_v4((std::uint32_t{v4[0]} << 24) | (std::uint32_t{v4[1]} << 16) |
                       (std::uint32_t{v4[2]} << 8) | std::uint32_t{v4[3]});
  }
  std::array<unsigned char, 16> v6{};
  if (::inet_pton(AF_INET6, address.c_str(), v6.data()) != 1) return std::nullopt;
  const bool zero_prefix =
      std::all_of(v6.begin(), v6.begin() + 10, [](unsigned char b) { return b == 0; });
  if (zero_prefix && v6[10] == 0xff && v6[11] == 0xff) {  // ::ffff:a.b.c.d
    return classify_v4((std::uint32_t{v6[12]} << 24) | (std::uint32_t{v6[13]} << 16) |
                       (std::uint32_t{v6[14]} << 8) | std::uint32_t{v6[15]});
  }
  // NAT64 (64:ff9b::/96) and 6to4 (2002::/16) carry an IPv4 address: classified as that one,
  // so a private IPv4 address cannot pass wrapped in either.
  const auto embedded_v4 = [&v6](std::size_t at) {
    return classify_v4((std::uint32_t{v6[at]} << 24) | (std::uint32_t{v6[at + 1]} << 16) |
                       (std::uint32_t{v6[at + 2]} << 8) | std::uint32_t{v6[at + 3]});
  };
  if (v6[0] == 0x00 && v6[1] == 0x64 && v6[2] == 0xff && v6[3] == 0x9b &&
      std::all_of(v6.begin() + 4, v6.begin() + 12, [](unsigned char b) { return b == 0; }))
    return embedded_v4(12);
  if (v6[0] == 0x20 && v6[1] == 0x02) return embedded_v4(2);
  const bool all_zero_but_last =
      std::all_of(v6.begin(), v6.end() - 1, [](unsigned char b) { return b == 0; });
  if (all_zero_but_last && v6[15] == 0) return AddressKind::kUnspecified;
  if (all_zero_but_last && v6[15] == 1) return AddressKind::kLoopback;
  if ((v6[0] & 0xfe) == 0xfc) return AddressKind::kPrivate;                     // fc00::/7
  if (v6[0] == 0xfe && (v6[1] & 0xc0) == 0x80) return AddressKind::kLinkLocal;  // fe80::/10
  if (v6[0] == 0xff) return AddressKind::kOther;                                // multicast
  if (v6[0] == 0x20 && v6[1] == 0x01 && v6[2] == 0x0d && v6[3] == 0xb8) return AddressKind::kOther;
  if (zero_prefix) return AddressKind::kOther;  // IPv4-compatible and other reserved forms
  return AddressKind::kPublic;
}

bool may_connect(AddressKind kind, bool allow_private) {
  switch (kind) {
    case AddressKind::kPublic:
      return true;
    case AddressKind::kLoopback:
    case AddressKind::kPrivate:
    case AddressKind::kLinkLocal:
      return allow_private;
    case AddressKind::kUnspecified:
    case AddressKind::kOther:
      return false;
  }
  return false;
}

std::vector<std::string> validate_webhook_events(const std::vector<std::string>& events) {
  if (events.empty()) throw_invalid("events", "at least one event type");
  if (events.size() > kMaxEvents)
    throw_invalid("events", "at most " + std::to_string(kMaxEvents) + " event types");
  static const std::set<std::string, std::less<>> kNotices{"notice.task", "notice.urge",
                                                           "notice.escalation"};
  std::set<std::string, std::less<>> seen;
  for (std::size_t i = 0; i < events.size(); ++i) {
    const std::string& type = events[i];
    const std::string field = "events[" + std::to_string(i) + "]";
    bool known = kNotices.contains(type) || type == "case.*";
    if (!known && type.starts_with("case.")) {
      const std::string_view action = std::string_view(type).substr(5);
      known = parse_case_action(action).has_value() || action == "overdue" || action == "escalated";
    }
    if (!known) {
      throw_invalid(field, "case.*, case.<action>, notice.task, notice.urge or notice.escalation");
    }
    if (!seen.insert(type).second) throw_invalid(field, type + " is listed twice");
  }
  return {seen.begin(), seen.end()};
}

void validate_webhook_secret(std::string_view secret) {
  const std::string_view message = "whsec_ and the base64 of 24 to 64 random bytes";
  if (!secret.starts_with(kSecretPrefix)) throw_invalid("secret", std::string(message));
  const std::string_view encoded = secret.substr(kSecretPrefix.size());
  std::size_t padding = 0;
  for (const char ch : encoded) {
    const bool symbol = (ch >= 'A' && ch <= 'Z') || (ch >= 'a' && ch <= 'z') ||
                        (ch >= '0' && ch <= '9') || ch == '+' || ch == '/';
    if (ch == '=') {
      ++padding;
    } else if (!symbol || padding > 0) {
      throw_invalid("secret", std::string(message));
    }
  }
  if (encoded.empty() || encoded.size() % 4 != 0 || padding > 2)
    throw_invalid("secret", std::string(message));
  const std::size_t bytes = encoded.size() / 4 * 3 - padding;
  if (bytes < kMinSecretBytes || bytes > kMaxSecretBytes)
    throw_invalid("secret", std::string(message));
}

std::chrono::milliseconds webhook_retry_delay(int attempts, std::chrono::milliseconds first,
                                              std::chrono::milliseconds longest,
                                              std::int64_t spread_key) {
  const int doublings = std::clamp(attempts - 1, 0, 40);
  const double base = std::min(static_cast<double>(first.count()) * std::ldexp(1.0, doublings),
                               static_cast<double>(longest.count()));
  // A fixed fraction per key in [0, 1): Knuth's multiplicative hash of the key.
  const std::uint64_t mixed = static_cast<std::uint64_t>(spread_key) * 0x9E3779B97F4A7C15ULL;
  const double fraction = static_cast<double>(mixed >> 11) / static_cast<double>(1ULL << 53);
  const double spread = base * (0.75 + 0.5 * fraction);
  return std::chrono::milliseconds{
      static_cast<long long>(std::min(spread, static_cast<double>(longest.count())))};
}

bool webhook_gives_up(std::chrono::milliseconds age, std::chrono::milliseconds retry_for) {
  return age >= retry_for;
}

}  // namespace gridcase::domain
