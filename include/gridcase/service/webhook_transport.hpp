#pragma once

#include <boost/asio/awaitable.hpp>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "gridcase/domain/webhook.hpp"

namespace gridcase::service {

/// One POST to a webhook's receiver.
struct WebhookPost {
  domain::WebhookTarget target;
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;  // application/json
};

/// What came of it: delivered on a 2xx answer; else the receiver's status when it answered,
/// and why it failed in words for the admin (no address refused, TLS, timeout, status).
struct WebhookPostResult {
  bool delivered = false;
  std::optional<int> status;
  std::string error;
};

/// Port: posts a delivery over HTTPS (src/outbound). Never throws for what the network or the
/// receiver does; every failure is a result.
class WebhookTransport {
 public:
  virtual ~WebhookTransport() = default;
  virtual boost::asio::awaitable<WebhookPostResult> post(WebhookPost post) = 0;
};

}  // namespace gridcase::service
