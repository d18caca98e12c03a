#include "gridcase/app/config.hpp"

#include <unistd.h>  // environ (g++ defines _GNU_SOURCE)

#include <algorithm>
#include <charconv>
#include <fstream>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>
#include <stdexcept>
#include <utility>

#include "gridcase/domain/time_text.hpp"
#include "gridcase/domain/timers.hpp"

namespace gridcase::app {
namespace {

using nlohmann::json;

[[noreturn]] void fail(const std::string& source, const std::string& key, const std::string& why) {
  throw std::runtime_error(source + ": " + key + ": " + why);
}

/// Reads one section, refusing keys it does not know.
class Section {
 public:
  Section(const json& root, std::string name, std::string source)
      : source_(std::move(source)), name_(std::move(name)) {
    auto found = root.find(name_);
    if (found == root.end()) return;
    if (!found->is_object()) fail(source_, name_, "must be an object");
    object_ = &*found;
  }

  template <class T>
  void read(const char* key, T& target, long long min, long long max) {
    const json* value = find(key);
    if (value == nullptr) return;
    if (!value->is_number_integer()) fail(source_, path(key), "must be an integer");
    const long long number = value->get<long long>();
    if (number < min || number > max) {
      fail(source_, path(key),
           "must be from " + std::to_string(min) + " to " + std::to_string(max));
    }
    if constexpr (requires { target.count(); }) {
      target = T{number};
    } else {
      target = static_cast<T>(number);
    }
  }

  void read(const char* key, std::string& target) {
    const json* value = find(key);
    if (value == nullptr) return;
    if (!value->is_string()) fail(source_, path(key), "must be a string");
    target = value->get<std::string>();
  }

  void read(const char* key, bool& target) {
    const json* value = find(key);
    if (value == nullptr) return;
    if (!value->is_boolean()) fail(source_, path(key), "must be true or false");
    target = value->get<bool>();
  }

  /// `key` as {"<timer>": {"value": N, "unit": "work_hour"}, ...}: the stage timers but
  /// handling (whose limit is the filing condition's); a timer left out keeps its default.
  void read(const char* key, domain::StageLimits& target) {
    const json* value = find(key);
    if (value == nullptr) return;
    if (!value->is_object()) fail(source_, path(key), "must be an object");
    for (const auto& [name, limit] : value->items()) {
      const std::string at = path(key) + "." + name;
      const std::optional<domain::StageTimer> timer = domain::parse_stage_timer(name);
      if (!timer || *timer == domain::StageTimer::kHandling) {
        fail(source_, at,
             "verification, registration, dispatch, acknowledgement, check or close (the "
             "handling limit is the filing condition's)");
      }
      if (!limit.is_object() || limit.size() != 2 || !limit.contains("value") ||
          !limit.contains("unit")) {
        fail(source_, at, "must be {\"value\": N, \"unit\": \"work_hour\"}");
      }
      const json& number = limit.at("value");
      if (!number.is_number_integer() || number.get<long long>() < 1 ||
          number.get<long long>() > 1000) {
        fail(source_, at + ".value", "must be an integer from 1 to 1000");
      }
      const json& unit = limit.at("unit");
      const std::optional<domain::LimitUnit> parsed =
          unit.is_string() ? domain::parse_limit_unit(unit.get<std::string>()) : std::nullopt;
      if (!parsed) fail(source_, at + ".unit", "urgent_hour, work_hour, work_day or natural_day");
      target.limits[*timer] = domain::TimeLimit{static_cast<int>(number.get<long long>()), *parsed};
    }
  }

  void finish() const {
    if (object_ == nullptr) return;
    for (const auto& [key, value] : object_->items()) {
      if (!seen_.contains(key)) fail(source_, path(key.c_str()), "unknown key");
    }
  }

 private:
  const json* find(const char* key) {
    seen_.insert(key);
    if (object_ == nullptr) return nullptr;
    auto found = object_->find(key);
    return found == object_->end() ? nullptr : &*found;
  }
  std::string path(const char* key) const { return name_ + "." + key; }

  std::string source_;
  std::string name_;
  const json* object_ = nullptr;
  std::set<std::string> seen_;
};

/// A metrics token is a shared secret in a scrape configuration: empty (no token), or long
/// enough not to be guessed, and sendable in an Authorization header.
void check_metrics_token(const std::string& token) {
  if (token.empty()) return;
  const bool printable =
      std::all_of(token.begin(), token.end(), [](char ch) { return ch > 0x20 && ch < 0x7F; });
  if (token.size() < 16 || !printable) {
    throw std::runtime_error(
        "http.metrics_token (GRIDCASE_METRICS_TOKEN): at least 16 printable ASCII characters "
        "without spaces, or empty");
  }
}

void check_log_level(const std::string& level, const std::string& source) {
  static const std::set<std::string> kLevels{"trace", "debug", "info", "warn", "error", "off"};
  if (!kLevels.contains(level)) fail(source, "log.level", "trace, debug, info, warn, error or off");
}

/// "HH:MM", 00:00 to 23:59: a run starts within the day (24:00 only ends a working period).
std::chrono::minutes parse_nightly_at(const std::string& text, const std::string& source) {
  const std::optional<std::chrono::minutes> at = domain::parse_time_of_day(text);
  if (!at || *at >= std::chrono::hours{24})
    fail(source, "reports.nightly_at", "a local time HH:MM");
  return *at;
}

}  // namespace

Config parse_config(const std::string& text, const std::string& source) {
  const json root = json::parse(text, nullptr, false);
  if (root.is_discarded() || !root.is_object()) fail(source, "(file)", "not a JSON object");
  for (const auto& [key, value] : root.items()) {
    if (key != "http" && key != "database" && key != "cases" && key != "scheduler" &&
        key != "reports" && key != "auth" && key != "retention" && key != "open311" &&
        key != "attachments" && key != "webhooks" && key != "log") {
      fail(source, key, "unknown section");
    }
  }
  Config config;
  Section http{root, "http", source};
  http.read("address", config.http.address);
  http.read("port", config.http.port, 0, 65535);
  http.read("threads", config.http.threads, 1, 64);
  http.read("max_connections", config.http.max_connections, 1, 1'000'000);
  http.read("header_limit_bytes", config.http.header_limit_bytes, 1024, 1024 * 1024);
  http.read("json_body_limit_bytes", config.http.json_body_limit_bytes, 1024, 16 * 1024 * 1024);
  http.read("import_body_limit_bytes", config.http.import_body_limit_bytes, 1024,
            1024LL * 1024 * 1024);
  http.read("upload_body_limit_bytes", config.http.upload_body_limit_bytes, 1024,
            1024LL * 1024 * 1024);
  http.read("max_json_depth", config.http.max_json_depth, 2, 512);
  http.read("read_timeout_seconds", config.http.read_timeout, 1, 3600);
  http.read("idle_timeout_seconds", config.http.idle_timeout, 1, 3600);
  http.read("write_timeout_seconds", config.http.write_timeout, 1, 3600);
  http.read("shutdown_grace_seconds", config.http.shutdown_grace, 0, 600);
  http.read("access_log", config.http.access_log);
  http.read("max_streams", config.http.max_streams, 1, 100'000);
  http.read("max_streams_per_account", config.http.max_streams_per_account, 1, 100'000);
  http.read("stream_queue_events", config.http.stream_queue_events, 1, 100'000);
  http.read("stream_keepalive_seconds", config.http.stream_keepalive, 1, 3600);
  http.read("stream_replay_events", config.http.stream_replay_events, 1, 1'000'000);
  http.read("console_dir", config.http.console_dir);
  http.read("cookie_secure", config.http.cookie_secure);
  http.read("metrics_token", config.http.metrics_token);
  http.finish();

  Section database{root, "database", source};
  database.read("url", config.database.url);
  database.read("pool_size", config.database.pool_size, 1, 256);
  database.read("statement_timeout_ms", config.database.statement_timeout, 0, 3'600'000);
  database.read("report_statement_timeout_ms", config.database.report_statement_timeout, 0,
                3'600'000);
  database.read("connect_timeout_seconds", config.database.connect_timeout, 1, 60);
  database.read("reconnect_backoff_ms", config.database.reconnect_backoff, 0, 60'000);
  database.finish();

  Section cases{root, "cases", source};
  cases.read("district_code", config.cases.district_code);
  cases.read("duplicate_radius_m", config.cases.duplicate_radius_m, 0, 10'000);
  cases.read("utc_offset_minutes", config.cases.utc_offset, -840, 840);
  cases.read("calendar_cache_ms", config.cases.calendar_cache, 0, 3'600'000);
  cases.read("time_limits", config.cases.stage_limits);
  cases.read("claim_minutes", config.cases.claim_length, 1, 24 * 60);
  cases.finish();
  if (config.cases.district_code.size() != 6 ||
      !std::all_of(config.cases.district_code.begin(), config.cases.district_code.end(),
                   [](char ch) { return ch >= '0' && ch <= '9'; })) {
    fail(source, "cases.district_code", "a 6-digit GB/T 2260 code");
  }

  Section scheduler{root, "scheduler", source};
  scheduler.read("enabled", config.scheduler.enabled);
  scheduler.read("interval_ms", config.scheduler.interval, 100, 3'600'000);
  scheduler.read("batch_limit", config.scheduler.batch_limit, 1, 100'000);
  scheduler.finish();

  Section reports{root, "reports", source};
  reports.read("enabled", config.reports.enabled);
  std::string nightly_at = "01:00";
  reports.read("nightly_at", nightly_at);
  reports.read("catch_up_days", config.reports.catch_up_days, 1, 366);
  reports.read("check_interval_seconds", config.reports.check_interval, 1, 3600);
  reports.read("weight_completion", config.reports.weights.completion, 0, 100);
  reports.read("weight_on_time_completion", config.reports.weights.on_time_completion, 0, 100);
  reports.read("weight_no_rework", config.reports.weights.no_rework, 0, 100);
  reports.read("live_concurrency", config.reports.live.concurrent, 1, 256);
  reports.read("live_queue", config.reports.live.queued, 0, 100'000);
  reports.read("live_per_account", config.reports.live.per_account, 1, 1000);
  reports.read("live_retry_after_seconds", config.reports.live.retry_after, 1, 3600);
  reports.read("live_max_age_seconds", config.reports.live_max_age, 0, 3600);
  reports.read("max_days_per_request", config.reports.max_day_computations, 1, 366);
  reports.read("cached_rows", config.reports.cached_rows, 0, 10'000'000);
  reports.finish();
  config.reports.nightly_at = parse_nightly_at(nightly_at, source);
  if (!domain::validate_score_weights(config.reports.weights).empty()) {
    fail(source, "reports.weight_completion", "the three weights must add up to 100");
  }
  if (config.reports.live.per_account >= config.reports.live.concurrent) {
    // Else one account can hold every turn, and every other account's report waits on it.
    fail(source, "reports.live_per_account",
         "must be below reports.live_concurrency (" +
             std::to_string(config.reports.live.concurrent) + ")");
  }

  Section auth{root, "auth", source};
  long long session_minutes = config.auth.session_ttl.count() / 60;
  auth.read("session_ttl_minutes", session_minutes, 5, 7 * 24 * 60);
  config.auth.session_ttl = std::chrono::minutes{session_minutes};
  auth.read("token_cache_ms", config.auth.token_cache, 0, 60'000);
  auth.read("login_max_failures", config.auth.throttle.max_failures, 1, 1000);
  auth.read("login_max_failures_per_address", config.auth.throttle.max_address_failures, 1,
            100'000);
  auth.read("login_window_seconds", config.auth.throttle.window, 1, 24 * 3600);
  auth.read("login_lockout_seconds", config.auth.throttle.lockout, 1, 24 * 3600);
  auth.read("hashing_threads", config.auth.hashing_threads, 1, 64);
  auth.read("hashing_queue_limit", config.auth.hashing_queue_limit, 1, 10'000);
  std::string cost = "interactive";
  auth.read("password_cost", cost);
  auth.finish();
  if (config.auth.throttle.max_address_failures < config.auth.throttle.max_failures) {
    fail(source, "auth.login_max_failures_per_address",
         "must be at least login_max_failures: desks behind one address would be locked out "
         "before one account is");
  }
  if (config.auth.hashing_queue_limit < config.auth.hashing_threads) {
    fail(source, "auth.hashing_queue_limit", "must be at least hashing_threads");
  }
  if (cost == "interactive") {
    config.auth.password_cost = service::PasswordCost::kInteractive;
  } else if (cost == "moderate") {
    config.auth.password_cost = service::PasswordCost::kModerate;
  } else {
    fail(source, "auth.password_cost", "interactive or moderate");
  }

  Section retention{root, "retention", source};
  retention.read("reporter_days", config.retention.reporter_days, 0, 36'500);
  retention.read("batch_limit", config.retention.batch_limit, 1, 100'000);
  retention.finish();

  Section open311{root, "open311", source};
  open311.read("reads_per_minute", config.open311.reads_per_minute, 1, 100'000);
  open311.finish();

  Section attachments{root, "attachments", source};
  service::AttachmentOptions& photos = config.attachments;
  attachments.read("processing_threads", photos.processing_threads, 1, 64);
  attachments.read("processing_queue_limit", photos.processing_queue_limit, 1, 10'000);
  attachments.read("max_pixels", photos.limits.max_pixels, 1, 1'000'000'000);
  attachments.read("max_metadata_bytes", photos.limits.max_metadata_bytes, 0, 16 * 1024 * 1024);
  attachments.read("screen_pixels", photos.limits.screen_pixels, 64, 8192);
  attachments.read("thumbnail_pixels", photos.limits.thumbnail_pixels, 16, 2048);
  attachments.read("unattached_retention_hours", photos.unattached_retention, 1, 24 * 366);
  attachments.finish();
  Section webhooks{root, "webhooks", source};
  webhooks.read("enabled", config.webhooks.enabled);
  webhooks.read("allow_private_targets", config.webhooks.allow_private_targets);
  webhooks.read("ca_file", config.webhooks.ca_file);
  webhooks.read("timeout_ms", config.webhooks.timeout, 100, 120'000);
  webhooks.read("first_retry_ms", config.webhooks.first_retry, 10, 86'400'000);
  webhooks.read("longest_retry_ms", config.webhooks.longest_retry, 10, 86'400'000);
  long long retry_for_seconds = config.webhooks.retry_for.count() / 1000;
  webhooks.read("retry_for_seconds", retry_for_seconds, 1, 30LL * 86'400);
  config.webhooks.retry_for = std::chrono::seconds{retry_for_seconds};
  webhooks.read("interval_ms", config.webhooks.interval, 100, 60'000);
  webhooks.read("concurrency", config.webhooks.concurrency, 1, 256);
  webhooks.read("keep_delivered_days", config.webhooks.keep_delivered_days, 1, 3650);
  webhooks.finish();
  if (config.webhooks.longest_retry < config.webhooks.first_retry) {
    fail(source, "webhooks.longest_retry_ms", "must be at least webhooks.first_retry_ms");
  }

  Section log{root, "log", source};
  log.read("level", config.log.level);
  log.finish();
  check_log_level(config.log.level, source);
  check_metrics_token(config.http.metrics_token);
  return config;
}

Config load_config(const std::string& path, const std::map<std::string, std::string>& environment) {
  Config config;
  if (!path.empty()) {
    std::ifstream file{path};
    if (!file) throw std::runtime_error(path + ": cannot be read");
    std::stringstream text;
    text << file.rdbuf();
    config = parse_config(text.str(), path);
  }
  if (auto url = environment.find("GRIDCASE_DATABASE_URL"); url != environment.end()) {
    config.database.url = url->second;
  }
  if (auto port = environment.find("GRIDCASE_HTTP_PORT"); port != environment.end()) {
    unsigned value = 0;
    const std::string& text = port->second;
    auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (error != std::errc{} || end != text.data() + text.size() || value > 65535) {
      throw std::runtime_error("GRIDCASE_HTTP_PORT: must be a port number");
    }
    config.http.port = static_cast<unsigned short>(value);
  }
  if (auto directory = environment.find("GRIDCASE_CONSOLE_DIR"); directory != environment.end()) {
    config.http.console_dir = directory->second;
  }
  if (auto level = environment.find("GRIDCASE_LOG_LEVEL"); level != environment.end()) {
    config.log.level = level->second;
    check_log_level(config.log.level, "GRIDCASE_LOG_LEVEL");
  }
  if (auto token = environment.find("GRIDCASE_METRICS_TOKEN"); token != environment.end()) {
    config.http.metrics_token = token->second;
  }
  check_metrics_token(config.http.metrics_token);
  return config;
}

std::map<std::string, std::string> gridcase_environment() {
  std::map<std::string, std::string> variables;
  for (char** entry = environ; *entry != nullptr; ++entry) {
    std::string_view text{*entry};
    if (!text.starts_with("GRIDCASE_")) continue;
    const std::size_t equals = text.find('=');
    if (equals == std::string_view::npos) continue;
    variables.emplace(text.substr(0, equals), text.substr(equals + 1));
  }
  return variables;
}

}  // namespace gridcase::app
