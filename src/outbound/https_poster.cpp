#include "gridcase/outbound/https_poster.hpp"

#include <openssl/ssl.h>
#include <openssl/x509v3.h>

#include <boost/asio/experimental/awaitable_operators.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl/ssl_stream.hpp>
#include <filesystem>
#include <stdexcept>
#include <variant>

#include "gridcase/domain/webhook.hpp"

namespace gridcase::outbound {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using asio::ip::tcp;
using namespace asio::experimental::awaitable_operators;

constexpr const char* kDebianBundle = "/etc/ssl/certs/ca-certificates.crt";
constexpr const char* kUserAgent = "gridcase-webhooks/1";

std::string host_header(const domain::WebhookTarget& target) {
  std::string host =
      target.host.find(':') != std::string::npos ? "[" + target.host + "]" : target.host;
  if (target.port != 443) host += ":" + std::to_string(target.port);
  return host;
}

std::string seconds_text(std::chrono::milliseconds duration) {
  const long long ms = duration.count();
  if (ms % 1000 == 0) return std::to_string(ms / 1000) + " s";
  return std::to_string(ms) + " ms";
}

/// What an error of `step` reads like to the admin; a timeout says so.
std::string failure(std::string_view step, const boost::system::error_code& error,
                    std::chrono::milliseconds timeout) {
  if (error == beast::error::timeout || error == asio::error::operation_aborted)
    return std::string(step) + ": no answer within " + seconds_text(timeout);
  return std::string(step) + ": " + error.message();
}

}  // namespace

HttpsPoster::HttpsPoster(HttpsPosterOptions options)
    : options_(std::move(options)), context_(asio::ssl::context::tls_client) {
  context_.set_options(asio::ssl::context::default_workarounds | asio::ssl::context::no_sslv2 |
                       asio::ssl::context::no_sslv3 | asio::ssl::context::no_tlsv1 |
                       asio::ssl::context::no_tlsv1_1);
  if (std::filesystem::exists(kDebianBundle)) {
    context_.load_verify_file(kDebianBundle);
  } else {
    context_.set_default_verify_paths();
  }
  if (!options_.ca_file.empty()) {
    boost::system::error_code error;
    context_.load_verify_file(options_.ca_file, error);
    if (error) {
      throw std::runtime_error("webhooks.ca_file " + options_.ca_file + ": " + error.message());
    }
  }
  context_.set_verify_mode(asio::ssl::verify_peer);
}

asio::awaitable<service::WebhookPostResult> HttpsPoster::post(service::WebhookPost post) {
  service::WebhookPostResult result;
  const domain::WebhookTarget& target = post.target;
  const auto executor = co_await asio::this_coro::executor;
  boost::system::error_code error;

  // The name: resolved within the timeout, then only the addresses the sender may reach.
  tcp::resolver resolver{executor};
  asio::steady_timer deadline{executor, options_.timeout};
  // Each operation its own error code: the loser of the race completes too (cancelled), and
  // must not overwrite the winner's.
  boost::system::error_code deadline_error;
  std::variant<tcp::resolver::results_type, std::monostate> resolved =
      co_await (resolver.async_resolve(target.host, std::to_string(target.port),
                                       asio::redirect_error(asio::use_awaitable, error)) ||
                deadline.async_wait(asio::redirect_error(asio::use_awaitable, deadline_error)));
  if (resolved.index() == 1) {
    result.error =
        "DNS lookup of " + target.host + ": no answer within " + seconds_text(options_.timeout);
    co_return result;
  }
  if (error) {
    result.error = "DNS lookup of " + target.host + ": " + error.message();
    co_return result;
  }
  std::vector<tcp::endpoint> endpoints;
  for (const auto& entry : std::get<0>(resolved)) {
    const std::optional<domain::AddressKind> kind =
        domain::classify_address(entry.endpoint().address().to_string());
    if (kind && domain::may_connect(*kind, options_.allow_private_targets))
      endpoints.push_back(entry.endpoint());
  }
  if (endpoints.empty()) {
    result.error = target.host +
                   " has no address the sender may reach (loopback, private, link-local and "
                   "reserved addresses are refused unless webhooks.allow_private_targets)";
    co_return result;
  }

  beast::ssl_stream<beast::tcp_stream> stream{executor, context_};
  SSL* ssl = stream.native_handle();
  if (target.host_is_ip_literal) {
    X509_VERIFY_PARAM_set1_ip_asc(SSL_get0_param(ssl), target.host.c_str());
  } else {
    // SNI: SSL_set_tlsext_host_name, spelled out (the macro casts C-style); OpenSSL copies the
    // name, so a mutable copy for the call's non-const parameter is enough.
    std::string server_name = target.host;
    SSL_ctrl(ssl, SSL_CTRL_SET_TLSEXT_HOSTNAME, TLSEXT_NAMETYPE_host_name, server_name.data());
    SSL_set1_host(ssl, target.host.c_str());
  }
  beast::tcp_stream& tcp_layer = beast::get_lowest_layer(stream);
  tcp_layer.expires_after(options_.timeout);
  co_await tcp_layer.async_connect(endpoints, asio::redirect_error(asio::use_awaitable, error));
  if (error) {
    result.error = failure("connect to " + host_header(target), error, options_.timeout);
    co_return result;
  }
  co_await stream.async_handshake(asio::ssl::stream_base::client,
                                  asio::redirect_error(asio::use_awaitable, error));
  if (error) {
    const long verify = SSL_get_verify_result(ssl);
    result.error = verify != X509_V_OK
                       ? std::string("TLS: the receiver's certificate is refused: ") +
                             X509_verify_cert_error_string(verify)
                       : failure("TLS handshake", error, options_.timeout);
    co_return result;
  }

  http::request<http::string_body> request{http::verb::post, target.target, 11};
  request.set(http::field::host, host_header(target));
  request.set(http::field::user_agent, kUserAgent);
  request.set(http::field::content_type, "application/json");
  request.set(http::field::connection, "close");
  for (const auto& [name, value] : post.headers) request.set(name, value);
  request.body() = std::move(post.body);
  request.prepare_payload();
  co_await http::async_write(stream, request, asio::redirect_error(asio::use_awaitable, error));
  if (error) {
    result.error = failure("sending", error, options_.timeout);
    co_return result;
  }
  beast::flat_buffer buffer;
  http::response_parser<http::empty_body> parser;
  co_await http::async_read_header(stream, buffer, parser,
                                   asio::redirect_error(asio::use_awaitable, error));
  if (error) {
    result.error = failure("reading the answer", error, options_.timeout);
    co_return result;
  }
  const unsigned status = parser.get().result_int();
  result.status = static_cast<int>(status);
  result.delivered = status >= 200 && status <= 299;
  if (!result.delivered) {
    result.error = "the receiver answered " + std::to_string(status);
    if (status >= 300 && status <= 399) result.error += " (redirects are not followed)";
  }
  // No TLS close_notify: the answer is all the sender needs, and a receiver that stalls its
  // shutdown must not hold an attempt.
  co_return result;
}

}  // namespace gridcase::outbound
