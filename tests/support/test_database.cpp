#include "test_database.hpp"

#include <gtest/gtest.h>

#include <cstdlib>
#include <pqxx/pqxx>
#include <stdexcept>

// LeakSanitizer's suppressions for the test binaries, defined here because every database test
// links this file:
// - libpqxx 6.4 leaks the PGresult of a statement whose connection was lost (make_result asks
//   the dead connection for its encoding and throws before owning the result). Tests that break
//   connections on purpose would otherwise fail at exit.
// - x265, the HEVC encoder under Debian's libheif, keeps an allocation made on one of its own
//   threads for the life of the process: a test that encodes a HEIC (support/test_images)
//   would fail at exit. The server only decodes HEIC.
extern "C" const char* __lsan_default_suppressions() { return "leak:libpqxx\nleak:libx265.so\n"; }

namespace gridcase::testing {

std::string required_environment(const char* name) {
  const char* value = std::getenv(name);
  if (value == nullptr || *value == '\0') {
    const std::string message =
        std::string(name) +
        " is not set: these tests need a PostgreSQL database (scripts/test.sh "
        "sets it); they fail rather than skip";
    ADD_FAILURE() << message;
    throw std::runtime_error(message);
  }
  return value;
}

std::string test_database_url() { return required_environment("GRIDCASE_TEST_DATABASE_URL"); }

std::string e2e_database_url() { return required_environment("GRIDCASE_E2E_DATABASE_URL"); }

storage::DatabaseOptions database_options(const std::string& url) {
  storage::DatabaseOptions options;
  options.url = url;
  options.pool_size = 2;
  options.statement_timeout = std::chrono::milliseconds{10000};
  options.connect_timeout = std::chrono::seconds{2};
  options.reconnect_backoff = std::chrono::milliseconds{200};
  return options;
}

std::string query_scalar(const std::string& url, const std::string& sql) {
  pqxx::connection connection{url};
  pqxx::nontransaction tx{connection};
  const pqxx::result rows = tx.exec(sql);
  if (rows.empty() || rows[0].empty() || rows[0][0].is_null()) return {};
  return rows[0][0].as<std::string>();
}

void delete_grid_subtree(const std::string& url, const std::string& code) {
  pqxx::connection connection{url};
  pqxx::work tx{connection};
  // The schema may not exist yet on a fresh database: then there is nothing to delete.
  if (!tx.exec1("SELECT to_regclass('grid_nodes') IS NOT NULL")[0].as<bool>()) return;
  const pqxx::result assigned = tx.exec_params(
      "DELETE FROM officer_cells WHERE cell_code IN "
      "(SELECT code FROM grid_nodes WHERE path <@ $1::ltree) RETURNING officer_id",
      code);
  for (const pqxx::row& row : assigned) {
    tx.exec_params0(
        "DELETE FROM officers o WHERE id = $1 AND NOT EXISTS "
        "(SELECT 1 FROM officer_cells c WHERE c.officer_id = o.id)",
        row[0].as<long long>());
  }
  // One statement: the parent_code foreign key is checked at its end, when the subtree is gone.
  tx.exec_params0("DELETE FROM grid_nodes WHERE path <@ $1::ltree", code);
  tx.commit();
}

void delete_accounts(const std::string& url, const std::string& username_prefix,
                     const std::string& address_prefix) {
  pqxx::connection connection{url};
  pqxx::work tx{connection};
  const std::string users = tx.esc_like(username_prefix) + "%";
  tx.exec_params0(
      "DELETE FROM auth_tokens WHERE user_id IN (SELECT id FROM users WHERE username LIKE $1)",
      users);
  tx.exec_params0("DELETE FROM users WHERE username LIKE $1", users);
  tx.exec_params0("DELETE FROM login_failures WHERE key LIKE 'user:' || $1", users);
  if (!address_prefix.empty()) {
    tx.exec_params0("DELETE FROM login_failures WHERE key LIKE 'address:' || $1",
                    tx.esc_like(address_prefix) + "%");
  }
  tx.commit();
}

int terminate_gridcase_sessions(const std::string& url) {
  pqxx::connection connection{url};
  pqxx::nontransaction tx{connection};
  const pqxx::result rows = tx.exec(
      "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
      "WHERE datname = current_database() AND application_name = 'gridcase' "
      "AND pid <> pg_backend_pid()");
  return static_cast<int>(rows.size());
}

struct TableLock::State {
  explicit State(const std::string& url) : connection(url), transaction(connection) {}
  pqxx::connection connection;
  pqxx::work transaction;
};

TableLock::TableLock(const std::string& url, const std::string& table)
    : state_(std::make_unique<State>(url)) {
  state_->transaction.exec("LOCK TABLE " + state_->transaction.quote_name(table) +
                           " IN ACCESS EXCLUSIVE MODE");
}

TableLock::~TableLock() { release(); }

void TableLock::release() {
  if (state_) state_->transaction.abort();
  state_.reset();
}

struct OpenTransaction::State {
  explicit State(const std::string& url) : connection(url), transaction(connection) {}
  pqxx::connection connection;
  pqxx::work transaction;
};

OpenTransaction::OpenTransaction(const std::string& url) : state_(std::make_unique<State>(url)) {}

OpenTransaction::~OpenTransaction() {
  if (state_) state_->transaction.abort();
}

std::string OpenTransaction::query_scalar(const std::string& sql) {
  const pqxx::result rows = state_->transaction.exec(sql);
  if (rows.empty() || rows[0].empty() || rows[0][0].is_null()) return {};
  return rows[0][0].as<std::string>();
}

void OpenTransaction::commit() {
  state_->transaction.commit();
  state_.reset();
}

std::string with_database(const std::string& url, const std::string& database) {
  const std::size_t query = url.find('?');
  const std::size_t slash = url.rfind('/', query);
  if (slash == std::string::npos || slash < url.find("://") + 3) {
    throw std::runtime_error("not a postgresql:// URL with a database name: " + url);
  }
  return url.substr(0, slash + 1) + database +
         (query == std::string::npos ? "" : url.substr(query));
}

namespace {

std::string database_name_of(const std::string& url) {
  pqxx::connection connection{url};
  return connection.dbname();
}

void drop_database(const std::string& admin_url, const std::string& name) {
  pqxx::connection connection{admin_url};
  pqxx::nontransaction tx{connection};
  tx.exec("DROP DATABASE IF EXISTS " + tx.quote_name(name) + " WITH (FORCE)");
}

}  // namespace

ScratchDatabase::ScratchDatabase(const std::string& url, const std::string& suffix)
    : admin_url_(url),
      name_(database_name_of(url) + "_" + suffix),
      url_(with_database(url, name_)) {
  drop_database(admin_url_, name_);
  pqxx::connection connection{admin_url_};
  pqxx::nontransaction tx{connection};
  tx.exec("CREATE DATABASE " + tx.quote_name(name_));
}

ScratchDatabase::~ScratchDatabase() {
  try {
    drop_database(admin_url_, name_);
  } catch (const std::exception& error) {
    ADD_FAILURE() << "could not drop scratch database " << name_ << ": " << error.what();
  }
}

}  // namespace gridcase::testing
