#include "gridcase/app/application.hpp"

#include <spdlog/spdlog.h>
#include <sys/resource.h>

#include <algorithm>
#include <atomic>
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/use_future.hpp>
#include <fstream>
#include <functional>
#include <iostream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <thread>

#include "demo_district.hpp"
#include "embedded_demo_data.hpp"
#include "gridcase/http/grid_import.hpp"
#include "gridcase/http/report_format.hpp"
#include "gridcase/http/server.hpp"
#include "gridcase/service/auth_service.hpp"
#include "gridcase/service/catalog_service.hpp"
#include "gridcase/service/grid_service.hpp"
#include "gridcase/service/health_service.hpp"
#include "gridcase/service/report_service.hpp"
#include "gridcase/service/scheduler.hpp"
#include "gridcase/storage/database.hpp"
#include "gridcase/storage/event_listener.hpp"
#include "simulation.hpp"

namespace gridcase::app {
namespace {

namespace asio = boost::asio;

class SystemClock final : public domain::Clock {
 public:
  domain::Timestamp now() const override {
    return std::chrono::time_point_cast<std::chrono::milliseconds>(
        std::chrono::system_clock::now());
  }
};

/// Everything a command needs, built once; members are destroyed in reverse order, so the
/// io_context outlives the database threads that resume its coroutines.
struct Wiring {
  explicit Wiring(const Config& config, int io_threads = 1)
      : io(io_threads),
        database(storage::open_database(config.database)),
        calendar(clock, config.cases.utc_offset, config.cases.calendar_cache),
        grid(*database),
        catalog(*database),
        health(*database),
        cases(*database, clock, calendar, config.cases),
        scheduler(*database, cases, calendar, clock, config.scheduler),
        reports(*database, calendar, clock, config.reports),
        auth(*database, clock, config.auth) {}

  asio::io_context io;
  std::unique_ptr<storage::Database> database;
  SystemClock clock;
  service::CalendarCache calendar;
  service::GridService grid;
  service::CatalogService catalog;
  service::HealthService health;
  service::CaseService cases;
  service::Scheduler scheduler;
  service::ReportService reports;
  service::AuthService auth;
};

/// Runs `step` again and again, `interval` apart, on a strand of the io_context until stop():
/// the scheduler's ticks and the nightly report's checks. Each step is a transaction on a DB
/// thread; the I/O threads never block. A step that fails (the database is away) is retried.
class PeriodicLoop {
 public:
  using Step = std::function<asio::awaitable<void>()>;

  PeriodicLoop(asio::io_context& io, std::string name, std::chrono::milliseconds interval,
               Step step)
      : name_(std::move(name)),
        interval_(interval),
        step_(std::move(step)),
        strand_(asio::make_strand(io)),
        timer_(strand_) {}

  void start() {
    running_ = true;
    auto loop = run();
    asio::co_spawn(strand_, std::move(loop), [this](std::exception_ptr failure) {
      if (failure) {
        try {
          std::rethrow_exception(failure);
        } catch (const std::exception& error) {
          spdlog::error("the {} stopped: {}", name_, error.what());
        }
      }
      running_ = false;
    });
  }

  /// Thread-safe. A step in flight finishes first.
  void stop() {
    stopping_ = true;
    asio::post(strand_, [this] { timer_.cancel(); });
  }

  bool is_running() const { return running_; }

 private:
  asio::awaitable<void> run() {
    bool failing = false;
    while (!stopping_) {
      try {
        co_await step_();
        if (failing) spdlog::info("{}: running again", name_);
        failing = false;
      } catch (const domain::Error& error) {
        // Once per outage: the database being away is logged by the pool as well.
        if (!failing) spdlog::warn("{}: failed ({}); retrying", name_, error.what());
        failing = true;
      }
      if (stopping_) break;
      timer_.expires_after(interval_);
      co_await timer_.async_wait(asio::as_tuple(asio::use_awaitable));
    }
  }

  const std::string name_;
  const std::chrono::milliseconds interval_;
  const Step step_;
  asio::strand<asio::io_context::executor_type> strand_;
  asio::steady_timer timer_;
  std::atomic<bool> stopping_{false};
  std::atomic<bool> running_{false};
};

PeriodicLoop scheduler_loop(asio::io_context& io, const service::Scheduler& scheduler) {
  return PeriodicLoop{io, "scheduler", scheduler.options().interval,
                      [&scheduler]() -> asio::awaitable<void> {
                        const service::TickReport report = co_await scheduler.tick();
                        if (report.did_anything()) {
                          spdlog::info("scheduler: {} overdue, {} escalated, {} resumed",
                                       report.overdue, report.escalated, report.resumed);
                        }
                        for (const std::string& refused : report.refused) {
                          spdlog::warn("scheduler: not resumed: {}", refused);
                        }
                      }};
}

PeriodicLoop nightly_report_loop(asio::io_context& io, const service::ReportService& reports) {
  return PeriodicLoop{io, "nightly report", reports.options().check_interval,
                      [&reports]() -> asio::awaitable<void> {
                        const service::NightlyRun run = co_await reports.run_nightly();
                        for (const std::chrono::year_month_day night : run.computed) {
                          spdlog::info("nightly report: computed {}",
                                       domain::format_iso_date(night));
                        }
                      }};
}

/// Runs one coroutine to completion on `wiring.io` and returns its result (or rethrows).
template <class T>
T run_to_completion(Wiring& wiring, asio::awaitable<T> work) {
  std::future<T> result = asio::co_spawn(wiring.io, std::move(work), asio::use_future);
  wiring.io.run();
  wiring.io.restart();
  return result.get();
}

void print_problems(const domain::Error& error) {
  spdlog::error("{}", error.what());
  for (const domain::FieldError& field : error.details().fields) {
    spdlog::error("  {}: {}", field.field, field.message);
  }
}

std::vector<service::Gauge> process_gauges(const storage::Database& database,
                                           const storage::EventListener& listener) {
  const storage::PoolStats stats = database.stats();
  return {{"gridcase_db_pool_size", "", "", static_cast<long long>(stats.size)},
          {"gridcase_db_pool_in_use", "", "", static_cast<long long>(stats.in_use)},
          {"gridcase_db_pool_open", "", "", static_cast<long long>(stats.open)},
          {"gridcase_database_up", "", "", stats.reachable ? 1 : 0},
          {"gridcase_event_listener_up", "", "", listener.is_listening() ? 1 : 0}};
}

/// Waits for open connections and the loops' last steps to finish (or the grace period to
/// end), then stops the io_context.
asio::awaitable<void> drain(asio::io_context& io, http::Server& server,
                            std::vector<const PeriodicLoop*> loops, std::chrono::seconds grace) {
  asio::steady_timer timer{io};
  const auto deadline = std::chrono::steady_clock::now() + grace;
  const auto looping = [&loops] {
    return std::any_of(loops.begin(), loops.end(),
                       [](const PeriodicLoop* loop) { return loop->is_running(); });
  };
  while ((server.open_connections() > 0 || looping()) &&
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

void configure_logging(const LogOptions& options) {
  spdlog::set_level(spdlog::level::from_str(options.level));
  spdlog::set_pattern("%Y-%m-%dT%H:%M:%S.%e%z %^%l%$ %v");
}

int serve(const Config& config) {
  try {
    const std::vector<std::string> pending = storage::pending_migrations(config.database);
    if (!pending.empty()) {
      spdlog::critical("the database has {} pending migration(s), first {}: run `gridcase migrate`",
                       pending.size(), pending.front());
      return 2;
    }
  } catch (const domain::Error& error) {
    // Not fatal: /readyz says why, database routes answer 503, and it recovers by itself.
    spdlog::warn("database not reachable at start ({}); serving anyway", error.what());
  }
  Wiring wiring{config, config.http.threads};
  storage::EventListener listener{config.database, storage::kEventsChannel};
  http::ServerOptions http_options = config.http;
  http_options.max_connections =
      connection_cap(http_options.max_connections, config.database.pool_size);
  http::Server server{wiring.io, std::move(http_options),
                      http::Services{wiring.grid, wiring.catalog, wiring.health, wiring.cases,
                                     wiring.auth, wiring.reports, [&wiring, &listener] {
                                       return process_gauges(*wiring.database, listener);
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
  // to the io_context, where the server fans it out to the open event streams.
  listener.start([&wiring, &server](std::string payload) {
    asio::post(wiring.io,
               [&server, payload = std::move(payload)] { server.publish_event(payload); });
  });
  PeriodicLoop scheduler = scheduler_loop(wiring.io, wiring.scheduler);
  if (config.scheduler.enabled) scheduler.start();
  PeriodicLoop nightly = nightly_report_loop(wiring.io, wiring.reports);
  if (config.reports.enabled) nightly.start();

  asio::signal_set signals{wiring.io, SIGINT, SIGTERM};
  signals.async_wait([&](const boost::system::error_code& ec, int signal) {
    if (ec) return;
    spdlog::info("signal {}: stopping (grace {}s)", signal, config.http.shutdown_grace.count());
    listener.request_stop();  // first: no more events come in; joined below
    scheduler.stop();
    nightly.stop();
    server.stop();  // ends the event streams too
    auto draining = drain(wiring.io, server, {&scheduler, &nightly}, config.http.shutdown_grace);
    asio::co_spawn(wiring.io, std::move(draining), asio::detached);
  });

  std::vector<std::thread> threads;
  for (int i = 1; i < config.http.threads; ++i) threads.emplace_back([&] { wiring.io.run(); });
  wiring.io.run();
  for (std::thread& thread : threads) thread.join();
  listener.stop();
  wiring.database->stop();
  spdlog::info("stopped");
  return 0;
}

int migrate(const Config& config) {
  try {
    const std::vector<std::string> applied = storage::apply_migrations(config.database);
    if (applied.empty()) {
      spdlog::info("database is up to date");
    } else {
      spdlog::info("applied {} migration(s)", applied.size());
    }
    return 0;
  } catch (const domain::Error& error) {
    spdlog::critical("migrate failed: {}", error.what());
    return 1;
  }
}

/// Bulk commands run without the serving statement timeout: a large import may take longer.
static Config without_statement_timeout(Config config) {
  config.database.statement_timeout = std::chrono::milliseconds{0};
  config.database.report_statement_timeout = std::chrono::milliseconds{0};
  return config;
}

/// One account per role in the demo district, confined where the role is (docs/security.md).
/// Every run gives them new passwords (revoking their tokens) and prints them.
void seed_demo_users(Wiring& wiring, const DemoDistrict& demo) {
  using domain::Role;
  using domain::Scope;
  using domain::ScopeKind;
  constexpr const char* kDemoCell = "150203004007017";  // the README's point
  std::string officer = "KDL0001";
  for (const domain::Officer& candidate : demo.officers) {
    for (const domain::Officer::Responsibility& duty : candidate.responsibilities) {
      if (duty.duty == domain::Duty::kGridOfficer &&
          std::find(duty.cell_codes.begin(), duty.cell_codes.end(), kDemoCell) !=
              duty.cell_codes.end()) {
        officer = candidate.code;
      }
    }
  }
  struct Account {
    const char* username;
    const char* name;
    Role role;
    Scope scope;
    std::vector<domain::Channel> channels;
  };
  const std::vector<Account> accounts{
      {"admin", "系统管理员 Admin", Role::kAdmin, {}, {}},
      {"operator", "受理员 Operator", Role::kOperator, {}, {}},
      {"shift_leader", "值班长 Shift leader", Role::kShiftLeader, {}, {}},
      {"dispatcher", "派遣员 Dispatcher", Role::kDispatcher, {}, {}},
      {"supervisor",
       "前进道街道 Supervisor",
       Role::kSupervisor,
       {ScopeKind::kGrid, "150203004"},
       {}},
      {"unit",
       "城管执法中队 Unit staff",
       Role::kUnit,
       {ScopeKind::kUnit, "150203004-enforcement"},
       {}},
      {"officer", "网格员 Officer", Role::kOfficer, {ScopeKind::kOfficer, officer}, {}},
      {"integration",
       "市民热线平台 Hotline platform",
       Role::kIntegration,
       {},
       {domain::Channel::kHotline12319, domain::Channel::kHotline12345, domain::Channel::kWeb,
        domain::Channel::kApp, domain::Channel::kVideo}},
  };
  std::cout << "demo accounts (sign in with POST /api/v1/sessions):\n";
  for (const Account& account : accounts) {
    domain::UserSpec spec{account.username, account.name,     domain::RoleSet{account.role},
                          account.scope,    account.channels, true};
    const bool integration = account.role == Role::kIntegration;
    const std::optional<std::string> password =
        integration ? std::nullopt : std::optional<std::string>(service::random_password());
    run_to_completion(wiring, wiring.auth.upsert_user(spec, password));
    if (integration) {
      std::cout << "  " << account.username
                << " (integration tokens only: POST /api/v1/users/integration/tokens)\n";
    } else {
      std::cout << "  " << account.username << "  " << *password << "  "
                << domain::format_scope(account.scope) << "\n";
    }
  }
  std::cout.flush();
}

int seed_demo(const Config& config) {
  Wiring wiring{without_statement_timeout(config)};
  try {
    const bool present = run_to_completion(wiring, [&]() -> asio::awaitable<bool> {
      try {
        co_await wiring.grid.node("150203", false);
        co_return true;
      } catch (const domain::Error& error) {
        if (error.code() != domain::ErrorCode::kNotFound) throw;
      }
      co_return false;
    }());
    DemoDistrict demo = make_demo_district(demo_data::k_kundulun_admin, demo_data::k_categories);
    if (present) {
      spdlog::info("the demo district 150203 is already loaded");
      seed_demo_users(wiring, demo);
      return 0;
    }
    const std::size_t nodes = demo.nodes.size();
    const std::size_t officers = demo.officers.size();
    const std::size_t units = demo.units.size();
    const std::size_t categories = demo.categories.size();
    run_to_completion(wiring, [&]() -> asio::awaitable<void> {
      co_await wiring.grid.import(std::move(demo.nodes), domain::command_line_actor());
      co_await wiring.grid.add_officers(demo.officers);  // a copy: seed_demo_users reads them
      co_await wiring.catalog.upsert_units(std::move(demo.units));
      co_await wiring.catalog.replace_categories(std::move(demo.categories),
                                                 domain::command_line_actor());
    }());
    seed_demo_users(wiring, demo);
    spdlog::info("loaded the demo district: {} grid nodes, {} officers, {} units, {} categories",
                 nodes, officers, units, categories);
    return 0;
  } catch (const domain::Error& error) {
    print_problems(error);
    return 1;
  }
}

int verify_events(const Config& config) {
  try {
    const storage::EventChainReport report = storage::verify_event_chain(config.database);
    if (report.broken_event) {
      spdlog::critical(
          "event {} of case {} is broken: its hash does not match its fields and the event before "
          "it "
          "({} events read)",
          *report.broken_event, report.broken_case_no, report.events_checked);
      return 1;
    }
    spdlog::info("the event log is intact: {} events verified", report.events_checked);
    return 0;
  } catch (const domain::Error& error) {
    spdlog::critical("verify-events failed: {}", error.what());
    return 2;
  }
}

int add_user(const Config& config, const std::vector<std::string>& args) {
  domain::UserSpec spec;
  bool password_from_stdin = false;
  for (std::size_t i = 0; i < args.size(); ++i) {
    const std::string& arg = args[i];
    const bool has_value = i + 1 < args.size();
    if (arg == "--role" && has_value) {
      const std::optional<domain::Role> role = domain::parse_role(args[++i]);
      if (!role || *role == domain::Role::kSystem) {
        spdlog::critical("unknown role {}", args[i]);
        return 64;
      }
      spec.roles.insert(*role);
    } else if (arg == "--scope" && has_value) {
      const std::optional<domain::Scope> scope = domain::parse_scope(args[++i]);
      if (!scope) {
        spdlog::critical("--scope: district, grid:<code>, unit:<code> or officer:<code>");
        return 64;
      }
      spec.scope = *scope;
    } else if (arg == "--name" && has_value) {
      spec.display_name = args[++i];
    } else if (arg == "--channel" && has_value) {
      const std::optional<domain::Channel> channel = domain::parse_channel(args[++i]);
      if (!channel) {
        spdlog::critical("unknown channel {}", args[i]);
        return 64;
      }
      spec.channels.push_back(*channel);
    } else if (arg == "--password-stdin") {
      password_from_stdin = true;
    } else if (spec.username.empty() && !arg.starts_with("--")) {
      spec.username = arg;
    } else {
      spdlog::critical("user add: unexpected argument {}", arg);
      return 64;
    }
  }
  if (spec.display_name.empty()) spec.display_name = spec.username;
  std::optional<std::string> password;
  const bool integration = spec.roles.contains(domain::Role::kIntegration);
  if (!integration) {
    if (password_from_stdin) {
      std::string line;
      std::getline(std::cin, line);
      password = line;
    } else {
      password = service::random_password();
    }
  }
  Wiring wiring{config};
  try {
    const service::StoredUser user =
        run_to_completion(wiring, wiring.auth.upsert_user(spec, password));
    spdlog::info("user {} stored: roles {}, scope {}", user.spec.username,
                 user.spec.roles.roles().size(), domain::format_scope(user.spec.scope));
    if (password && !password_from_stdin) std::cout << "password: " << *password << std::endl;
    return 0;
  } catch (const domain::Error& error) {
    print_problems(error);
    return 1;
  }
}

int import_grid(const Config& config, const std::string& file) {
  std::ifstream input{file};
  if (!input) {
    spdlog::critical("{}: cannot be read", file);
    return 1;
  }
  std::stringstream text;
  text << input.rdbuf();
  Wiring wiring{without_statement_timeout(config)};
  try {
    std::vector<domain::GridNodeInput> nodes =
        http::parse_grid_import(text.str(), config.http.max_json_depth);
    const service::ImportSummary summary = run_to_completion(
        wiring, wiring.grid.import(std::move(nodes), domain::command_line_actor()));
    for (const auto& [level, count] : summary.nodes_by_level)
      spdlog::info("imported {} {} node(s)", count, level);
    return 0;
  } catch (const domain::Error& error) {
    print_problems(error);
    return 1;
  }
}

int report(const Config& config, const std::vector<std::string>& args) {
  std::optional<std::chrono::year_month_day> date;
  domain::ReportPeriod period = domain::ReportPeriod::kDay;
  domain::ReportDimension by = domain::ReportDimension::kStreet;
  http::ReportFormat format = http::ReportFormat::kJson;
  std::string out;
  for (std::size_t i = 0; i < args.size(); ++i) {
    const std::string& arg = args[i];
    if (i + 1 >= args.size()) {
      spdlog::critical("report: {} needs a value", arg);
      return 64;
    }
    const std::string& value = args[++i];
    bool ok = true;
    // Sets `target` to what `parsed` holds; false when it holds nothing.
    const auto take = [](const auto& parsed, auto& target) {
      if (parsed) target = *parsed;
      return parsed.has_value();
    };
    if (arg == "--date") {
      date = domain::parse_iso_date(value);
      ok = date.has_value();
    } else if (arg == "--period") {
      ok = take(domain::parse_report_period(value), period);
    } else if (arg == "--by") {
      ok = take(domain::parse_report_dimension(value), by);
    } else if (arg == "--format") {
      ok = take(http::parse_report_format(value), format);
    } else if (arg == "--out") {
      out = value;
    } else {
      spdlog::critical("report: unexpected argument {}", arg);
      return 64;
    }
    if (!ok) {
      spdlog::critical("report: {} {}: not a valid value", arg, value);
      return 64;
    }
  }
  if (!date) {
    spdlog::critical("report: --date YYYY-MM-DD is required");
    return 64;
  }
  Wiring wiring{without_statement_timeout(config)};
  try {
    const service::Report computed =
        run_to_completion(wiring, wiring.reports.get(period, *date, {}));
    http::ReportView view{computed, by, config.reports.weights, std::nullopt, {}};
    if (format == http::ReportFormat::kHtml) {
      const std::chrono::year_month_day last{std::chrono::sys_days{computed.period.end_day} -
                                             std::chrono::days{1}};
      view.trend = run_to_completion(wiring, wiring.reports.trend(last, 30, {}));
    }
    const std::string text = http::render_report(view, format);
    if (out.empty()) {
      std::cout << text;
      std::cout.flush();
    } else {
      std::ofstream file{out, std::ios::binary};
      file << text;
      if (!file) {
        spdlog::critical("{}: cannot be written", out);
        return 1;
      }
      spdlog::info("report {} {} written to {}", to_string(period), domain::format_iso_date(*date),
                   out);
    }
    return 0;
  } catch (const domain::Error& error) {
    print_problems(error);
    return 1;
  }
}

namespace {

/// The clock of a simulated history, set to each step's time.
class SimulatedClock final : public domain::Clock {
 public:
  domain::Timestamp now() const override {
    return domain::Timestamp{std::chrono::milliseconds{epoch_ms_.load()}};
  }
  void set(domain::Timestamp at) { epoch_ms_.store(at.time_since_epoch().count()); }

 private:
  std::atomic<long long> epoch_ms_{0};
};

struct SimulationTally {
  int received = 0;
  int closed = 0;
  int refused = 0;
};

/// The unit of `type` whose scope is the case's street, else the district's, else any of it.
std::string unit_for(const DemoDistrict& demo, const std::string& type, const std::string& street) {
  const domain::Unit* found = nullptr;
  for (const domain::Unit& unit : demo.units) {
    if (unit.type != type) continue;
    if (unit.scope_code == street) return unit.code;
    if (found == nullptr || unit.scope_code.size() < found->scope_code.size()) found = &unit;
  }
  return found != nullptr ? found->code : demo.units.front().code;
}

/// Drives one planned case through the real CaseService, each action at its planned time, and
/// stops before any action that would lie after `until` (the case stays open, as it would be).
void drive(Wiring& wiring, const service::CaseService& cases, SimulatedClock& clock,
           const DemoDistrict& demo, const domain::WorkCalendar& calendar, const PlannedCase& plan,
           domain::Timestamp until, SimulationTally& tally) {
  using domain::CaseAction;
  using domain::Role;
  const auto actor = [](Role role) {
    return domain::Actor{"sim-" + std::string(to_string(role)), domain::RoleSet{role}, role};
  };
  const service::ResponseRenderer render{[](const service::CaseView& view) {
                                           return service::StoredResponse{200, view.case_json.text};
                                         },
                                         [](const domain::Error& error) {
                                           return service::StoredResponse{422, error.what()};
                                         }};
  domain::Timestamp at = plan.received_at;
  clock.set(at);
  std::string case_no;
  try {
    const service::StoredResponse received = run_to_completion(
        wiring, cases.receive(plan.intake, actor(Role::kOperator), std::nullopt, render));
    const nlohmann::json answer = nlohmann::json::parse(received.body, nullptr, false);
    if (received.status != 200 || !answer.is_object())
      throw domain::Error(domain::ErrorCode::kInvalidValue, received.body);
    case_no = answer.at("case_no").get<std::string>();
  } catch (const domain::Error& error) {
    spdlog::warn("simulate: intake refused: {}", error.what());
    ++tally.refused;
    return;
  }
  ++tally.received;
  std::size_t next_gap = 0;
  const auto step = [&](domain::Timestamp when, CaseAction action, domain::ActionInput input,
                        Role role) {
    at = std::max(when, at + std::chrono::minutes{1});
    if (at > until) return false;
    clock.set(at);
    try {
      run_to_completion(wiring, cases.act(case_no, action, std::move(input), actor(role),
                                          std::nullopt, std::nullopt, render));
      return true;
    } catch (const domain::Error& error) {
      spdlog::warn("simulate: {} {}: {}", case_no, to_string(action), error.what());
      ++tally.refused;
      return false;
    }
  };
  const auto later = [&] { return at + plan.gaps[next_gap++ % plan.gaps.size()]; };
  domain::ActionInput done;
  done.note = "已处置 handled";
  done.attachments = {"https://photos.example.cn/simulated/after.jpg"};
  const auto checked = [](const char* result) {
    domain::ActionInput input;
    input.result = result;
    input.attachments = {"https://photos.example.cn/simulated/check.jpg"};
    return input;
  };

  if (plan.rejected) {
    domain::ActionInput reason;
    reason.reason = "不属于城市管理范围 outside urban management";
    step(later(), CaseAction::kReject, reason, Role::kShiftLeader);
    return;
  }
  domain::ActionInput registration;
  registration.category = plan.category;
  registration.condition = plan.condition;
  if (!step(later(), CaseAction::kRegister, registration, Role::kShiftLeader)) return;
  domain::ActionInput dispatch;
  dispatch.unit = unit_for(demo, plan.unit_type, plan.cell.substr(0, 9));
  if (!step(later(), CaseAction::kDispatch, dispatch, Role::kDispatcher)) return;
  const domain::Timestamp dispatched_at = at;
  std::optional<domain::TimeLimit> limit;
  for (const domain::Category& category : demo.categories) {
    for (const domain::FilingCondition& condition : category.conditions) {
      if (category.key == plan.category && condition.id == plan.condition) {
        limit = domain::TimeLimit{
            condition.limit_value,
            domain::parse_limit_unit(condition.limit_unit).value_or(domain::LimitUnit::kWorkDay)};
      }
    }
  }
  const domain::Timestamp deadline = calendar.deadline(
      dispatched_at, limit.value_or(domain::TimeLimit{1, domain::LimitUnit::kWorkDay}));
  const auto handling_time = std::chrono::duration_cast<std::chrono::milliseconds>(
      (deadline - dispatched_at) * plan.handling_share);
  if (!step(later(), CaseAction::kAcknowledge, {}, Role::kUnit)) return;
  if (!step(dispatched_at + handling_time, CaseAction::kComplete, done, Role::kUnit)) return;
  if (plan.reworked) {
    if (!step(later(), CaseAction::kCheck, checked("failed"), Role::kOfficer)) return;
    if (!step(later(), CaseAction::kAcknowledge, {}, Role::kUnit)) return;
    if (!step(later() + std::chrono::hours{2}, CaseAction::kComplete, done, Role::kUnit)) return;
  }
  if (!step(later(), CaseAction::kCheck, checked("passed"), Role::kOfficer)) return;
  const bool answers_a_reporter = plan.intake.reporter.has_value();
  if (answers_a_reporter && !step(later(), CaseAction::kReply, done, Role::kOperator)) return;
  if (!step(later(), CaseAction::kClose, {}, Role::kShiftLeader)) return;
  ++tally.closed;
  if (plan.callback) {
    domain::ActionInput callback;
    callback.reached = true;
    callback.satisfaction = plan.satisfaction;
    step(at + std::chrono::hours{20}, CaseAction::kCallback, callback, Role::kOperator);
  }
}

}  // namespace

int simulate(const Config& config, const std::vector<std::string>& args) {
  int days = 0;
  unsigned seed = 20261130;
  for (std::size_t i = 0; i + 1 < args.size(); i += 2) {
    try {
      if (args[i] == "--days") {
        days = std::stoi(args[i + 1]);
      } else if (args[i] == "--seed") {
        seed = static_cast<unsigned>(std::stoul(args[i + 1]));
      } else {
        days = -1;
      }
    } catch (const std::exception&) {
      days = -1;
    }
  }
  if (args.size() % 2 != 0 || days < 1 || days > 3660) {
    spdlog::critical("simulate: --days N (1 to 3660) [--seed S]");
    return 64;
  }
  Wiring wiring{without_statement_timeout(config)};
  try {
    run_to_completion(wiring, wiring.grid.node(config.cases.district_code, false));
  } catch (const domain::Error& error) {
    spdlog::critical(
        "simulate: the demo district is not loaded ({}): run `gridcase seed-demo` first",
        error.what());
    return 1;
  }
  const DemoDistrict demo =
      make_demo_district(demo_data::k_kundulun_admin, demo_data::k_categories);
  domain::WorkCalendarSpec spec = domain::WorkCalendar::demo().spec();
  spec.utc_offset = config.cases.utc_offset;
  const domain::WorkCalendar calendar{spec};
  const domain::Timestamp now = wiring.clock.now();
  const std::chrono::year_month_day yesterday{std::chrono::sys_days{calendar.local_date(now)} -
                                              std::chrono::days{1}};
  const std::vector<PlannedCase> plans =
      plan_history(demo, days, yesterday, calendar.utc_offset(), seed);
  SimulatedClock clock;
  const service::CaseService cases{*wiring.database, clock, wiring.calendar, config.cases};
  SimulationTally tally;
  for (const PlannedCase& plan : plans) {
    drive(wiring, cases, clock, demo, calendar, plan, now, tally);
    if (tally.received % 500 == 0 && tally.received > 0)
      spdlog::info("simulate: {} cases so far", tally.received);
  }
  spdlog::info("simulate: {} days, {} cases received, {} closed, {} actions refused", days,
               tally.received, tally.closed, tally.refused);
  return 0;
}

}  // namespace gridcase::app
