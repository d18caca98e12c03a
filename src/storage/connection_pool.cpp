#include "connection_pool.hpp"

#include <spdlog/spdlog.h>

#include <pqxx/nontransaction>

#include "gridcase/domain/error.hpp"
#include "statements.hpp"

namespace gridcase::storage {
namespace {

std::string with_parameter(const std::string& url, const std::string& key,
                           const std::string& value) {
  if (url.starts_with("postgresql://") || url.starts_with("postgres://")) {
    return url + (url.find('?') == std::string::npos ? "?" : "&") + key + "=" + value;
  }
  return url + " " + key + "=" + value;
}

}  // namespace

std::unique_ptr<pqxx::connection> connect(const DatabaseOptions& options) {
  std::string url = with_parameter(options.url, "connect_timeout",
                                   std::to_string(options.connect_timeout.count()));
  url = with_parameter(url, "application_name", "gridcase");
  auto connection = std::make_unique<pqxx::connection>(url);
  pqxx::nontransaction setup{*connection};
  setup.exec("SET statement_timeout = " + std::to_string(options.statement_timeout.count()));
  setup.exec("SET TIME ZONE 'UTC'");
  setup.commit();
  register_statements(*connection);
  return connection;
}

ConnectionPool::ConnectionPool(DatabaseOptions options) : options_(std::move(options)) {}

ConnectionPool::Lease::~Lease() {
  if (pool_ != nullptr) pool_->release(std::move(connection_));
}

ConnectionPool::Lease ConnectionPool::acquire() {
  std::unique_lock lock{mutex_};
  available_.wait(lock, [&] { return leased_ < options_.pool_size; });
  if (!idle_.empty()) {
    std::unique_ptr<pqxx::connection> connection = std::move(idle_.back());
    idle_.pop_back();
    ++leased_;
    return Lease{*this, std::move(connection)};
  }
  if (!reachable_ && std::chrono::steady_clock::now() < retry_at_) {
    throw domain::Error(domain::ErrorCode::kUnavailable, "the database is unreachable",
                        {.retry_after = std::chrono::seconds{1}});
  }
  ++leased_;
  lock.unlock();
  try {
    std::unique_ptr<pqxx::connection> connection = connect(options_);
    lock.lock();
    if (!reachable_) spdlog::info("database reachable again");
    reachable_ = true;
    last_error_.clear();
    return Lease{*this, std::move(connection)};
  } catch (const std::exception& error) {
    lock.lock();
    --leased_;
    available_.notify_one();
    if (reachable_) spdlog::error("database unreachable: {}", error.what());
    reachable_ = false;
    last_error_ = error.what();
    retry_at_ = std::chrono::steady_clock::now() + options_.reconnect_backoff;
    throw domain::Error(domain::ErrorCode::kUnavailable, "the database is unreachable",
                        {.retry_after = std::chrono::seconds{1}});
  }
}

void ConnectionPool::release(std::unique_ptr<pqxx::connection> connection) {
  std::lock_guard lock{mutex_};
  --leased_;
  if (connection && connection->is_open()) idle_.push_back(std::move(connection));
  available_.notify_one();
}

void ConnectionPool::discard_idle() {
  std::vector<std::unique_ptr<pqxx::connection>> discarded;
  {
    std::lock_guard lock{mutex_};
    discarded.swap(idle_);
  }
  // Closed outside the lock: closing a connection may wait on its socket.
}

PoolStats ConnectionPool::stats() const {
  std::lock_guard lock{mutex_};
  return PoolStats{.size = options_.pool_size,
                   .in_use = leased_,
                   .open = leased_ + idle_.size(),
                   .reachable = reachable_,
                   .last_error = last_error_};
}

}  // namespace gridcase::storage
