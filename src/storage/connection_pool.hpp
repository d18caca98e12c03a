#pragma once

#include <chrono>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <pqxx/connection>
#include <vector>

#include "gridcase/storage/database.hpp"

namespace gridcase::storage {

/// Opens a connection with the pool's timeouts and session settings. Throws pqxx errors.
std::unique_ptr<pqxx::connection> connect(const DatabaseOptions& options);

/// N connections opened on demand; a broken one is retired and reopened on the next acquire.
/// Thread-safe.
class ConnectionPool {
 public:
  explicit ConnectionPool(DatabaseOptions options);

  class Lease {
   public:
    Lease(ConnectionPool& pool, std::unique_ptr<pqxx::connection> connection)
        : pool_(&pool), connection_(std::move(connection)) {}
    Lease(Lease&& other) noexcept = default;
    Lease& operator=(Lease&&) = delete;
    Lease(const Lease&) = delete;
    Lease& operator=(const Lease&) = delete;
    ~Lease();

    pqxx::connection& get() { return *connection_; }
    /// The connection is lost or in doubt: close it instead of returning it.
    void retire() { connection_.reset(); }

   private:
    ConnectionPool* pool_;
    std::unique_ptr<pqxx::connection> connection_;
  };

  /// Throws domain::Error(kUnavailable) when the database cannot be reached; while a previous
  /// attempt failed less than `reconnect_backoff` ago it throws at once.
  Lease acquire();
  PoolStats stats() const;
  /// Closes every idle connection: one was lost, and the others lead to the same server (a
  /// restart, or a primary that failed over), so each would fail a request of its own.
  void discard_idle();

 private:
  void release(std::unique_ptr<pqxx::connection> connection);

  const DatabaseOptions options_;
  mutable std::mutex mutex_;
  std::condition_variable available_;
  std::vector<std::unique_ptr<pqxx::connection>> idle_;
  std::size_t leased_ = 0;
  std::chrono::steady_clock::time_point retry_at_{};
  bool reachable_ = true;
  std::string last_error_;
};

}  // namespace gridcase::storage
