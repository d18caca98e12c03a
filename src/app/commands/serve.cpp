#include <spdlog/spdlog.h>
#include <sys/resource.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/use_future.hpp>
#include <cstdlib>
#include <future>
#include <random>
#include <thread>

#include "arguments.hpp"
#include "commands.hpp"
#include "gridcase/domain/clock.hpp"
#include "gridcase/http/server.hpp"
#include "gridcase/outbound/https_poster.hpp"
#include "gridcase/service/webhook_sender.hpp"
#include "gridcase/storage/event_listener.hpp"
#include "periodic_loop.hpp"
#include "wiring.hpp"

namespace gridcase::app {
namespace {

namespace asio = boost::asio;

/// When this process's scheduler last completed a tick, and last completed one holding the lock
/// (it did the work): seconds since the epoch, 0 before the first. /metrics shows both, so an
/// alert can tell a stalled scheduler (no node ran it lately) from a node that merely lost the
/// lock to another (docs/operations.md, config/alerts.yml).
struct SchedulerMarks {
  std::atomic<long long> ticked{0};
  std::atomic<long long> ran{0};
};

long long epoch_seconds() {
  return std::chrono::duration_cast<std::chrono::seconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

PeriodicLoop scheduler_loop(asio::io_context& io, const service::Scheduler& scheduler,
                            const service::AttachmentService& attachments, SchedulerMarks& marks) {
  return PeriodicLoop{
      io, "scheduler", scheduler.options().interval,
      [&scheduler, &attachments, &marks]() -> asio::awaitable<void> {
        const service::TickReport report = co_await scheduler.tick();
        marks.ticked = epoch_seconds();
        if (report.ran) marks.ran = epoch_seconds();
        // Uploads no intake or action named in time (docs/attachments.md).
        if (const long long purged = co_await attachments.purge_unattached(); purged > 0) {
          spdlog::info("scheduler: {} unattached upload(s) purged", purged);
        }
        if (report.did_anything()) {
          spdlog::info("scheduler: {} overdue, {} escalated, {} resumed", report.overdue,
                       report.escalated, report.resumed);
        }
        if (report.purged > 0) {
          spdlog::debug("scheduler: {} expired Idempotency-Key outcomes purged", report.purged);
        }
        for (const std::string& refused : report.refused) {
          spdlog::warn("scheduler: not resumed: {}", refused);
        }
      }};
}

/// The nightly job: the reports of the nights due (when this process computes reports), then
/// the reporters whose retention has run out (docs/security.md), each erasure logged.
PeriodicLoop nightly_loop(asio::io_context& io, const service::ReportService& reports,
                          bool compute_reports, const service::ReporterRetention& retention) {
  return PeriodicLoop{
      io, "nightly job", reports.options().check_interval,
      [&reports, compute_reports, &retention]() -> asio::awaitable<void> {
        if (compute_reports) {
          const service::NightlyRun run = co_await reports.run_nightly();
          for (const std::chrono::year_month_day night : run.computed) {
            spdlog::info("nightly report: computed {}", domain::format_iso_date(night));
          }
        }
        const service::ErasureRun erasure = co_await retention.erase_due();
        for (const std::string& case_no : erasure.erased) {
          spdlog::info(
              "reporter retention: erased the reporter's name and phone of {} (closed "
              "more than {} days ago)",
              case_no, retention.options().reporter_days);
        }
      }};
}

/// The webhook sender: every process runs it, the one holding the lease posts. Becoming and
/// ceasing to be the sender is logged, as is every delivery given up.
PeriodicLoop webhook_loop(asio::io_context& io, service::WebhookSender& sender) {
  return PeriodicLoop{
      io, "webhook sender", sender.options().interval,
      [&sender, leading = false]() mutable -> asio::awaitable<void> {
        const service::SendRun run = co_await sender.step();
        if (run.leading != leading) {
          leading = run.leading;
          spdlog::info(leading ? "webhooks: this process is the sender"
                               : "webhooks: another process is the sender");
        }
        if (run.delivered + run.failed > 0) {
          spdlog::debug("webhooks: {} delivered, {} to be retried", run.delivered, run.failed);
        }
        if (run.dead > 0) {
          spdlog::warn(
              "webhooks: {} delivery(ies) given up after webhooks.retry_for_seconds "
              "(GET /api/v1/webhooks/{{id}}/deliveries?state=dead)",
              run.dead);
        }
      }};
}

/// Names this process as the webhook sender's lease holder: host, pid and a random part (a
/// restarted process with the same pid is another holder).
std::string sender_holder() {
  char host[256] = {};
  ::gethostname(host, sizeof host - 1);
  return std::string(host) + ":" + std::to_string(::getpid()) + ":" +
         std::to_string(std::random_device{}());
}

/// How often the open event streams' tokens are looked up again: the token cache's time, so a
/// stream ends within it of a sign-out, a deactivation or a change of scope made through any
/// process, like a request would be refused. A disabled cache (0) still checks this often.
constexpr std::chrono::milliseconds kFastestStreamCheck{100};

PeriodicLoop stream_check_loop(asio::io_context& io, http::Server& server,
                               std::chrono::milliseconds token_cache) {
  const std::chrono::milliseconds interval = std::max(token_cache, kFastestStreamCheck);
  return PeriodicLoop{io, "event stream check", interval,
                      [&server, interval] { return server.check_streams(2 * interval); }};
}

std::vector<service::Gauge> process_gauges(const storage::Database& database,
                                           const storage::EventListener& listener,
                                           const SchedulerMarks& marks) {
  const storage::PoolStats stats = database.stats();
  return {{"gridcase_db_pool_size", "", "", static_cast<long long>(stats.size),
           "Connections the database pool may hold (database.pool_size)."},
          {"gridcase_db_pool_in_use", "", "", static_cast<long long>(stats.in_use),
           "Pool connections lent to a request or job now."},
          {"gridcase_db_pool_open", "", "", static_cast<long long>(stats.open),
           "Pool connections open now (in use or idle)."},
          {"gridcase_database_up", "", "", stats.reachable ? 1 : 0,
           "1 while the pool reaches PostgreSQL, 0 after a connection attempt failed."},
          {"gridcase_event_listener_up", "", "", listener.is_listening() ? 1 : 0,
           "1 while this process LISTENs for case events (the live feed), else 0."},
          {"gridcase_scheduler_last_tick_timestamp_seconds", "", "", marks.ticked.load(),
           "When this process's scheduler last completed a tick (0: never)"},
          {"gridcase_scheduler_last_run_timestamp_seconds", "", "", marks.ran.load(),
           "When this process last ran the scheduler's work, holding its lock (0: never)"}};
}

/// Waits for open connections, the loops' last steps and a report's background read of today
/// to finish (or the grace period to end), then stops the io_context.
asio::awaitable<void> drain(asio::io_context& io, http::Server& server,
                            const service::ReportService& reports,
                            std::vector<const PeriodicLoop*> loops, std::chrono::seconds grace) {
  asio::steady_timer timer{io};
  const auto deadline = std::chrono::steady_clock::now() + grace;
  const auto looping = [&loops] {
    return std::any_of(loops.begin(), loops.end(),
                       [](const PeriodicLoop* loop) { return loop->is_running(); });
  };
  while ((server.open_connections() > 0 || looping() || reports.refreshing()) &&
         std::chrono::steady_clock::now() < deadline) {
    timer.expires_after(std::chrono::milliseconds{20});
    co_await timer.async_wait(asio::use_awaitable);
  }
  if (server.open_connections() > 0) {
    spdlog::warn("{} connection(s) still open after {}s; stopping anyway",
                 server.open_connections(), grace.count());
  }
  io.stop();
}

/// Descriptors kept free beyond the database pool: the event listener, the log, the database's
/// reconnects and the acceptor itself.
constexpr std::size_t kReservedDescriptors = 64;

/// Raises the soft descriptor limit to the hard one, and keeps http.max_connections below what
/// it allows: a cap above the limit would let accept() fail with EMFILE (and a database
/// reconnect fail) where the cap should refuse connections cleanly.
std::size_t connection_cap(std::size_t configured, std::size_t pool_size) {
  rlimit limit{};
  if (::getrlimit(RLIMIT_NOFILE, &limit) != 0) return configured;
  if (limit.rlim_cur < limit.rlim_max && limit.rlim_max != RLIM_INFINITY) {
    rlimit raised = limit;
    raised.rlim_cur = limit.rlim_max;
    if (::setrlimit(RLIMIT_NOFILE, &raised) == 0) limit = raised;
  }
  if (limit.rlim_cur == RLIM_INFINITY) return configured;
  const std::size_t reserve = pool_size + kReservedDescriptors;
  const std::size_t available = limit.rlim_cur > reserve + 1 ? limit.rlim_cur - reserve : 1;
  if (configured <= available) return configured;
  spdlog::warn(
      "http.max_connections {} needs more than the {} file descriptors this process may open: "
      "serving at most {} connections",
      configured, limit.rlim_cur, available);
  return available;
}

}  // namespace

int serve(const Config& config, const std::vector<std::string>& args) {
  require_no_arguments(args);
  try {
    const std::vector<std::string> pending = storage::pending_migrations(config.database);
    if (!pending.empty()) {
      spdlog::critical("the database has {} pending migration(s), first {}: run `gridcase migrate`",
                       pending.size(), pending.front());
      return 2;
    }
    const std::chrono::milliseconds offset =
        storage::database_clock_offset(config.database, SystemClock{});
    if (const std::optional<std::string> problem = domain::clock_offset_problem(offset)) {
      spdlog::critical("{}; not serving", *problem);
      return 2;
    }
  } catch (const domain::Error& error) {
    // Not fatal: /readyz says why (pending migrations and this clock's offset from PostgreSQL's
    // included, once it is reachable), database routes answer 503, and it recovers by itself.
    spdlog::warn("database not reachable at start ({}); serving anyway", error.what());
  }
  Wiring wiring{config, config.http.threads};
  std::unique_ptr<outbound::HttpsPoster> poster;
  try {
    poster = std::make_unique<outbound::HttpsPoster>(outbound::HttpsPosterOptions{
        config.webhooks.allow_private_targets, config.webhooks.ca_file, config.webhooks.timeout});
  } catch (const std::exception& error) {
    spdlog::critical("webhooks: {}", error.what());
    return 78;  // a configuration error (sysexits.h EX_CONFIG), like the others
  }
  service::WebhookSender sender{*wiring.database, *poster, wiring.clock, config.webhooks,
                                sender_holder()};
  storage::EventListener listener{config.database, storage::kEventsChannel};
  SchedulerMarks marks;
  http::ServerOptions http_options = config.http;
  http_options.max_connections =
      connection_cap(http_options.max_connections, config.database.pool_size);
  http::Server server{
      wiring.io, std::move(http_options),
      http::Services{wiring.grid, wiring.catalog, wiring.health, wiring.cases, wiring.auth,
                     wiring.reports, wiring.audit, wiring.staff, wiring.addresses, wiring.open311,
                     wiring.attachments, wiring.webhooks, [&wiring, &listener, &marks] {
                       return process_gauges(*wiring.database, listener, marks);
                     }}};
  try {
    server.start();
  } catch (const std::exception& error) {
    spdlog::critical("cannot listen on {}:{}: {}", config.http.address, config.http.port,
                     error.what());
    return 1;
  }
  spdlog::info("gridcase listening on http://{}:{}", config.http.address, server.port());

  // The live feed, from every server process: the listener's thread posts each committed event
  // to one strand, in the order received (commit order), where the server fans it out to the
  // open event streams; each time LISTEN is in force again the server catches up on the same
  // strand with what was committed while the listener was away.
  const asio::strand<asio::io_context::executor_type> feed = asio::make_strand(wiring.io);
  listener.start(
      [feed, &server](std::string payload) {
        asio::post(feed,
                   [&server, payload = std::move(payload)] { server.publish_event(payload); });
      },
      [feed, &server] {
        asio::co_spawn(feed, server.catch_up_events(), [](const std::exception_ptr& failure) {
          if (!failure) return;
          try {
            std::rethrow_exception(failure);
          } catch (const std::exception& error) {
            spdlog::warn(
                "live feed: the catch-up after the listener reconnected failed ({}); "
                "events committed meanwhile reach no open stream",
                error.what());
          }
        });
      });
  PeriodicLoop scheduler = scheduler_loop(wiring.io, wiring.scheduler, wiring.attachments, marks);
  if (config.scheduler.enabled) scheduler.start();
  PeriodicLoop nightly =
      nightly_loop(wiring.io, wiring.reports, config.reports.enabled, wiring.retention);
  if (config.reports.enabled || config.retention.reporter_days > 0) nightly.start();
  PeriodicLoop stream_checks = stream_check_loop(wiring.io, server, config.auth.token_cache);
  stream_checks.start();
  PeriodicLoop webhooks = webhook_loop(wiring.io, sender);
  if (config.webhooks.enabled) webhooks.start();

  asio::signal_set signals{wiring.io, SIGINT, SIGTERM};
  signals.async_wait([&](const boost::system::error_code& ec, int signal) {
    if (ec) return;
    spdlog::info("signal {}: stopping (grace {}s)", signal, config.http.shutdown_grace.count());
    listener.request_stop();  // first: no more events come in; joined below
    scheduler.stop();
    nightly.stop();
    stream_checks.stop();
    sender.request_stop();  // a step under way ends after its round
    webhooks.stop();
    server.stop();  // ends the event streams too
    wiring.reports.stop_refreshing();
    auto draining =
        drain(wiring.io, server, wiring.reports, {&scheduler, &nightly, &stream_checks, &webhooks},
              config.http.shutdown_grace);
    asio::co_spawn(wiring.io, std::move(draining), asio::detached);
  });

  std::vector<std::thread> threads;
  for (int i = 1; i < config.http.threads; ++i) threads.emplace_back([&] { wiring.io.run(); });
  wiring.io.run();
  for (std::thread& thread : threads) thread.join();
  if (config.webhooks.enabled) {
    // Another process takes the sending over at once rather than when the lease runs out.
    // On an io_context of its own: what is left on the server's (connections past the grace, a
    // sender step cut short) is not run again.
    try {
      asio::io_context releasing;
      std::future<void> released = asio::co_spawn(releasing, sender.release(), asio::use_future);
      releasing.run();
      released.get();
    } catch (const std::exception& error) {
      spdlog::warn("webhooks: the sender's lease was not given up ({}); it runs out by itself",
                   error.what());
    }
  }
  listener.stop();
  wiring.database->stop();
  spdlog::info("stopped");
  return 0;
}

}  // namespace gridcase::app
