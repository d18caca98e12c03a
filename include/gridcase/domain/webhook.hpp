#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace gridcase::domain {

/// Where a webhook posts (docs/integrations.md, "Webhooks"): an https URL without user
/// information or fragment; `host` is a DNS name or an IP literal (IPv6 without brackets),
/// `port` 443 unless the URL names one, `target` the path and query ("/" at least).
struct WebhookTarget {
  std::string url;
  std::string host;
  std::uint16_t port = 443;
  std::string target;
  bool host_is_ip_literal = false;
};

inline constexpr std::size_t kMaxWebhookUrlBytes = 2048;

/// Parses a webhook URL; kInvalidValue on `field` (https only, a host, a port 1..65535, no user
/// information, no fragment, at most kMaxWebhookUrlBytes, printable ASCII).
WebhookTarget parse_webhook_target(std::string_view url, const std::string& field = "url");

/// What an address is, for the rule that a webhook may not reach the server's own machine or
/// network unless the configuration allows it (an attacker with an admin's token could else
/// probe the internal network through the sender).
enum class AddressKind {
  kPublic,
  kLoopback,     // 127/8, ::1
  kPrivate,      // 10/8, 172.16/12, 192.168/16, 100.64/10 (CGNAT), fc00::/7
  kLinkLocal,    // 169.254/16 (cloud metadata), fe80::/10
  kUnspecified,  // 0.0.0.0/8, ::
  kOther,        // multicast, broadcast, documentation, reserved: never a receiver
};

/// Classifies an IPv4 or IPv6 literal (IPv4-mapped IPv6 as its IPv4); nullopt when `text` is
/// not an IP address.
std::optional<AddressKind> classify_address(std::string_view text);

/// Whether the sender may connect to an address of `kind`: public ones always; loopback,
/// private and link-local ones only when `allow_private` (webhooks.allow_private_targets).
bool may_connect(AddressKind kind, bool allow_private);

/// The event types a webhook subscribes to: "case.*", "case.<action>" (every action of the
/// contract and the scheduler's "overdue" and "escalated"), "notice.task", "notice.urge",
/// "notice.escalation". kInvalidValue on `events` (none, more than 64) or `events[i]` (unknown,
/// repeated). Returns them sorted.
std::vector<std::string> validate_webhook_events(const std::vector<std::string>& events);

/// A signing secret as Standard Webhooks writes it: "whsec_" and the base64 of 24 to 64 bytes.
/// kInvalidValue on `secret` otherwise.
void validate_webhook_secret(std::string_view secret);

/// How long after its `attempts`-th failed attempt a delivery is tried again: `first` doubled
/// per attempt, at most `longest`, spread by ±25 % with a fraction derived from `spread_key`
/// (the delivery's id) so that deliveries that failed together are not retried together.
std::chrono::milliseconds webhook_retry_delay(int attempts, std::chrono::milliseconds first,
                                              std::chrono::milliseconds longest,
                                              std::int64_t spread_key);

/// Whether a delivery whose first attempt was `age` ago is given up (parked as dead) after its
/// latest failure, rather than tried again.
bool webhook_gives_up(std::chrono::milliseconds age, std::chrono::milliseconds retry_for);

}  // namespace gridcase::domain
