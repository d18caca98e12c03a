#pragma once

#include <boost/asio/awaitable.hpp>
#include <chrono>
#include <cstddef>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "gridcase/service/address_service.hpp"
#include "gridcase/service/attachment_service.hpp"
#include "gridcase/service/audit_service.hpp"
#include "gridcase/service/auth_service.hpp"
#include "gridcase/service/case_service.hpp"
#include "gridcase/service/catalog_service.hpp"
#include "gridcase/service/grid_service.hpp"
#include "gridcase/service/health_service.hpp"
#include "gridcase/service/open311_service.hpp"
#include "gridcase/service/report_service.hpp"
#include "gridcase/service/staff_service.hpp"
#include "gridcase/service/webhook_service.hpp"

namespace boost::asio {
class io_context;
}

namespace gridcase::http {

struct ServerOptions {
  std::string address = "127.0.0.1";
  unsigned short port = 8080;  // 0: any free port (tests)
  int threads = 2;
  std::size_t max_connections = 10000;
  std::size_t header_limit_bytes = 8 * 1024;
  std::size_t json_body_limit_bytes = 64 * 1024;
  std::size_t import_body_limit_bytes = 32 * 1024 * 1024;
  std::size_t upload_body_limit_bytes = 16 * 1024 * 1024;  // a photo (docs/attachments.md)
  std::size_t max_json_depth = 32;
  std::chrono::seconds read_timeout{10};  // one request, from its first byte to its last
  std::chrono::seconds idle_timeout{60};  // a keep-alive connection waiting for a request
  std::chrono::seconds write_timeout{30};
  std::chrono::seconds shutdown_grace{10};
  bool access_log = true;
  std::size_t max_streams = 1000;            // open event streams; one more → 503
  std::size_t max_streams_per_account = 10;  // open event streams of one account; one more → 429
  std::size_t stream_queue_events = 1000;    // events waiting for one slow stream; more → dropped
  std::chrono::seconds stream_keepalive{15};  // a comment line on an idle event stream
  std::size_t stream_replay_events = 10000;  // events since a Last-Event-ID replayed; more → reset
  std::string console_dir;     // serve the console's files from here (development); "": embedded
  bool cookie_secure = false;  // the session cookie carries Secure (set it behind HTTPS)
  std::string metrics_token;   // "": /metrics is public; else it needs this bearer token
};

/// What the handlers call. References must outlive the server.
struct Services {
  service::GridService& grid;
  service::CatalogService& catalog;
  service::HealthService& health;
  service::CaseService& cases;
  service::AuthService& auth;
  service::ReportService& reports;
  service::AuditService& audit;
  service::StaffService& staff;
  service::AddressService& addresses;
  service::Open311Service& open311;
  service::AttachmentService& attachments;
  service::WebhookService& webhooks;
  /// Synchronous, cheap gauges (the connection pool) for /metrics.
  std::function<std::vector<service::Gauge>()> process_gauges;
};

/// Accepts connections and serves the API on the io_context's threads.
class Server {
 public:
  Server(boost::asio::io_context& io, ServerOptions options, Services services);
  ~Server();
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  /// Binds and starts accepting. Throws std::system_error when the address cannot be bound.
  void start();
  /// The bound port (after start()).
  unsigned short port() const;
  /// Stops accepting, closes idle connections, lets in-flight requests finish. Thread-safe.
  void stop();
  /// Connections still open.
  std::size_t open_connections() const;
  /// Hands one `gridcase_events` NOTIFY payload to the open event streams. Thread-safe, but the
  /// streams receive events in the order of the calls: make them on one strand, in the order
  /// the listener received them (commit order).
  void publish_event(std::string_view payload);
  /// Run each time the listener's LISTEN is in force again (and the first time): replays to the
  /// open event streams what was committed while it was away — every event a client that saw
  /// the last notified one may have missed (CaseService::missed_events), passing over those
  /// delivered already — or, the first time, notes where the feed starts. More than
  /// stream_replay_events missed: one `reset` to every stream. Run on the strand of
  /// publish_event.
  boost::asio::awaitable<void> catch_up_events();
  /// Looks the tokens of the open event streams up again and ends each stream whose token is no
  /// longer live or whose caller changed; when the lookup fails, those not confirmed within
  /// `patience` (and throws the failure). Run every auth.token_cache_ms by `serve`.
  boost::asio::awaitable<void> check_streams(std::chrono::milliseconds patience);

 private:
  struct State;
  std::shared_ptr<State> state_;
};

}  // namespace gridcase::http
