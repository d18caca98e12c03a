#include <boost/asio/co_spawn.hpp>
#include <boost/asio/thread_pool.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <pqxx/nontransaction>
#include <pqxx/transaction>

#include "connection_pool.hpp"
#include "gridcase/storage/database.hpp"
#include "pg_account_repository.hpp"
#include "pg_address_repository.hpp"
#include "pg_attachment_repository.hpp"
#include "pg_audit_repository.hpp"
#include "pg_calendar_repository.hpp"
#include "pg_case_repository.hpp"
#include "pg_catalog_repository.hpp"
#include "pg_errors.hpp"
#include "pg_grid_repository.hpp"
#include "pg_health_repository.hpp"
#include "pg_idempotency_repository.hpp"
#include "pg_open311_repository.hpp"
#include "pg_report_repository.hpp"
#include "pg_retention_repository.hpp"
#include "pg_scheduler_repository.hpp"
#include "pg_staff_repository.hpp"
#include "pg_webhook_repository.hpp"

namespace gridcase::storage {
namespace {

namespace asio = boost::asio;

class PgDatabase final : public Database {
 public:
  explicit PgDatabase(const DatabaseOptions& options)
      : pool_(options),
        threads_(options.pool_size),
        report_statement_timeout_(options.report_statement_timeout) {}

  ~PgDatabase() override { stop(); }

  asio::awaitable<void> run(Work work) override { return execute<pqxx::work>(std::move(work)); }
  asio::awaitable<void> autocommit(Work work) override {
    return execute<pqxx::nontransaction>(std::move(work));
  }

  PoolStats stats() const override { return pool_.stats(); }

  void stop() override { threads_.join(); }

 private:
  template <class Transaction>
  asio::awaitable<void> execute(Work work) {
    // Named before co_await: g++ 12 frees temporaries inside a co_await expression too early.
    auto task = [this, &work]() -> asio::awaitable<void> {
      run_blocking<Transaction>(work);
      co_return;
    };
    asio::awaitable<void> on_db_thread = asio::co_spawn(threads_, task, asio::use_awaitable);
    co_await std::move(on_db_thread);
  }

  template <class Transaction>
  void run_blocking(const Work& work) {
    ConnectionPool::Lease lease = pool_.acquire();
    bool connection_lost = false;
    try {
      Transaction transaction{lease.get()};
      PgGridRepository grid{transaction};
      PgCatalogRepository catalog{transaction};
      PgHealthRepository health{transaction};
      PgCaseRepository cases{transaction};
      PgIdempotencyRepository idempotency{transaction};
      PgCalendarRepository calendar{transaction};
      PgSchedulerRepository scheduler{transaction};
      PgAccountRepository accounts{transaction};
      PgReportRepository reports{transaction, report_statement_timeout_};
      PgAuditRepository audit{transaction};
      PgRetentionRepository retention{transaction};
      PgStaffRepository staff{transaction};
      PgAddressRepository addresses{transaction};
      PgOpen311Repository open311{transaction};
      PgAttachmentRepository attachments{transaction};
      PgWebhookRepository webhooks{transaction};
      service::Repositories repos{grid,      catalog,  health,      cases,   idempotency, calendar,
                                  scheduler, accounts, reports,     audit,   retention,   staff,
                                  addresses, open311,  attachments, webhooks};
      work(repos);
      transaction.commit();
    } catch (...) {
      try {
        rethrow_as_domain_error(connection_lost);
      } catch (...) {
        if (connection_lost || !lease.get().is_open()) {
          lease.retire();
          pool_.discard_idle();
        }
        throw;
      }
    }
  }

  ConnectionPool pool_;
  asio::thread_pool threads_;
  std::chrono::milliseconds report_statement_timeout_;
};

}  // namespace

std::unique_ptr<Database> open_database(const DatabaseOptions& options) {
  return std::make_unique<PgDatabase>(options);
}

}  // namespace gridcase::storage
