#pragma once

#include <boost/asio/ssl/context.hpp>
#include <chrono>
#include <string>

#include "gridcase/service/webhook_transport.hpp"

namespace gridcase::outbound {

struct HttpsPosterOptions {
  bool allow_private_targets = false;
  std::string ca_file;  // more CA certificates (PEM) besides Debian's bundle; empty: none
  std::chrono::milliseconds timeout{10'000};
};

/// Posts webhook deliveries over HTTPS with Beast and OpenSSL: the receiver's certificate is
/// verified against Debian's CA bundle (/etc/ssl/certs/ca-certificates.crt, plus `ca_file`)
/// and its name or IP address; the host is resolved, and only addresses the sender may reach
/// (domain::may_connect) are connected to, so a name cannot smuggle a private address past
/// the check made when the webhook was registered. One connection per attempt, no redirects
/// followed; the answer's status line and headers decide, its body is not read.
class HttpsPoster final : public service::WebhookTransport {
 public:
  /// Throws std::runtime_error when `ca_file` cannot be loaded.
  explicit HttpsPoster(HttpsPosterOptions options);

  boost::asio::awaitable<service::WebhookPostResult> post(service::WebhookPost post) override;

 private:
  HttpsPosterOptions options_;
  boost::asio::ssl::context context_;
};

}  // namespace gridcase::outbound
