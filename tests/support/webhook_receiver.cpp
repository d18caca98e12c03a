#include "webhook_receiver.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/asio/ssl/stream.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http.hpp>
#include <cctype>
#include <cstdlib>
#include <filesystem>
#include <mutex>
#include <optional>
#include <stdexcept>
#include <thread>

#include "command.hpp"

namespace gridcase::testing {

namespace asio = boost::asio;
namespace http = boost::beast::http;
using tcp = asio::ip::tcp;

TestCertificate::TestCertificate() {
  std::string pattern = std::filesystem::temp_directory_path() / "gridcase-cert-XXXXXX";
  if (::mkdtemp(pattern.data()) == nullptr) throw std::runtime_error("mkdtemp failed");
  folder_ = pattern;
  cert_file_ = folder_ + "/cert.pem";
  key_file_ = folder_ + "/key.pem";
  const auto [output, status] = run_command(
      "openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 2"
      " -subj /CN=localhost -addext subjectAltName=IP:127.0.0.1,DNS:localhost -keyout " +
      shell_quote(key_file_) + " -out " + shell_quote(cert_file_));
  if (status != 0) throw std::runtime_error("openssl req failed: " + output);
}

TestCertificate::~TestCertificate() {
  std::error_code ignored;
  std::filesystem::remove_all(folder_, ignored);
}

struct WebhookReceiver::State {
  asio::io_context io;
  asio::ssl::context tls{asio::ssl::context::tls_server};
  std::optional<tcp::acceptor> acceptor;
  unsigned short port = 0;
  std::thread thread;
  std::optional<asio::executor_work_guard<asio::io_context::executor_type>> work;

  mutable std::mutex mutex;
  std::vector<ReceivedPost> received;
  unsigned status = 204;
  bool down = false;

  void listen() {
    acceptor.emplace(io);
    const tcp::endpoint endpoint{asio::ip::make_address("127.0.0.1"), port};
    acceptor->open(endpoint.protocol());
    acceptor->set_option(tcp::acceptor::reuse_address(true));
    acceptor->bind(endpoint);
    acceptor->listen();
    port = acceptor->local_endpoint().port();
    asio::co_spawn(io, accept_loop(), asio::detached);
  }

  asio::awaitable<void> accept_loop() {
    for (;;) {
      tcp::socket socket{io};
      boost::system::error_code error;
      co_await acceptor->async_accept(socket, asio::redirect_error(asio::use_awaitable, error));
      if (error) co_return;  // closed by stop()
      asio::co_spawn(io, serve(std::move(socket)), asio::detached);
    }
  }

  asio::awaitable<void> serve(tcp::socket socket) {
    bool is_down = false;
    {
      const std::lock_guard lock{mutex};
      is_down = down;
    }
    if (is_down) {  // the connection is closed before any TLS: the receiver is unreachable
      boost::system::error_code ignored;
      socket.close(ignored);
      co_return;
    }
    try {
      asio::ssl::stream<tcp::socket> stream{std::move(socket), tls};
      co_await stream.async_handshake(asio::ssl::stream_base::server, asio::use_awaitable);
      boost::beast::flat_buffer buffer;
      http::request<http::string_body> request;
      co_await http::async_read(stream, buffer, request, asio::use_awaitable);
      ReceivedPost post;
      post.target = std::string(request.target());
      for (const auto& field : request) {
        std::string name(field.name_string());
        for (char& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        post.headers[name] = std::string(field.value());
      }
      post.body = request.body();
      unsigned answer = 0;
      {
        const std::lock_guard lock{mutex};
        received.push_back(std::move(post));
        answer = status;
      }
      http::response<http::string_body> response{static_cast<http::status>(answer), 11};
      response.set(http::field::connection, "close");
      response.prepare_payload();
      co_await http::async_write(stream, response, asio::use_awaitable);
      boost::system::error_code ignored;
      stream.lowest_layer().shutdown(tcp::socket::shutdown_both, ignored);
    } catch (const std::exception&) {
      // A sender that gave up mid-way: nothing to record.
    }
  }
};

WebhookReceiver::WebhookReceiver(const TestCertificate& certificate)
    : state_(std::make_unique<State>()) {
  state_->tls.use_certificate_chain_file(certificate.cert_file());
  state_->tls.use_private_key_file(certificate.key_file(), asio::ssl::context::pem);
  state_->work.emplace(state_->io.get_executor());
  state_->listen();
  state_->thread = std::thread{[state = state_.get()] { state->io.run(); }};
}

WebhookReceiver::~WebhookReceiver() {
  asio::post(state_->io, [state = state_.get()] {
    boost::system::error_code ignored;
    if (state->acceptor) state->acceptor->close(ignored);
    state->work.reset();
    state->io.stop();
  });
  state_->thread.join();
}

unsigned short WebhookReceiver::port() const { return state_->port; }

std::string WebhookReceiver::url(const std::string& path) const {
  return "https://127.0.0.1:" + std::to_string(port()) + path;
}

void WebhookReceiver::stop() {
  const std::lock_guard lock{state_->mutex};
  state_->down = true;
}

void WebhookReceiver::start() {
  const std::lock_guard lock{state_->mutex};
  state_->down = false;
}

void WebhookReceiver::answer_with(unsigned status) {
  const std::lock_guard lock{state_->mutex};
  state_->status = status;
}

std::vector<ReceivedPost> WebhookReceiver::received() const {
  const std::lock_guard lock{state_->mutex};
  return state_->received;
}

}  // namespace gridcase::testing
