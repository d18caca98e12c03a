#pragma once

#include <memory>
#include <string>

#include "gridcase/storage/database.hpp"

namespace gridcase::testing {

/// The value of environment variable `name`. When it is unset or empty the current test fails
/// (never skips) and this throws, so nothing runs against a database nobody chose.
std::string required_environment(const char* name);

/// GRIDCASE_TEST_DATABASE_URL: a database of its own for the integration tests.
std::string test_database_url();
/// GRIDCASE_E2E_DATABASE_URL: a migrated database holding the demo district.
std::string e2e_database_url();

/// Options for open_database() with a small pool and short timeouts.
storage::DatabaseOptions database_options(const std::string& url);

/// Runs one SQL text (no parameters) on a fresh connection of its own; returns the first
/// column of the first row as text ("" when there is none or it is NULL).
std::string query_scalar(const std::string& url, const std::string& sql);

/// Removes a grid node and its whole subtree, the officers' assignments to its cells and the
/// officers left with none, so a test that imports under its own district code can run again on
/// the same database.
void delete_grid_subtree(const std::string& url, const std::string& code);

/// Removes the accounts whose username starts with `username_prefix`, their tokens and their
/// failed-login records, and the records of the addresses starting with `address_prefix` (none
/// when empty), so a test that creates accounts of its own can run again on the same database.
void delete_accounts(const std::string& url, const std::string& username_prefix,
                     const std::string& address_prefix = {});

/// Ends every session that gridcase connections (application_name "gridcase") hold on the
/// url's database. Returns how many were ended.
int terminate_gridcase_sessions(const std::string& url);

/// Holds an ACCESS EXCLUSIVE lock on `table` from a connection of its own, so that any other
/// statement touching the table waits, until release() or destruction.
class TableLock {
 public:
  TableLock(const std::string& url, const std::string& table);
  ~TableLock();
  TableLock(const TableLock&) = delete;
  TableLock& operator=(const TableLock&) = delete;

  void release();

 private:
  struct State;
  std::unique_ptr<State> state_;
};

/// A transaction on a connection of its own that a test holds open: another writer's, which
/// did its work and has not committed yet. Rolled back unless commit() is called.
class OpenTransaction {
 public:
  explicit OpenTransaction(const std::string& url);
  ~OpenTransaction();
  OpenTransaction(const OpenTransaction&) = delete;
  OpenTransaction& operator=(const OpenTransaction&) = delete;

  /// Runs one SQL text in the transaction; the first column of the first row as text.
  std::string query_scalar(const std::string& sql);
  void commit();

 private:
  struct State;
  std::unique_ptr<State> state_;
};

/// `url` with its database name replaced by `database`.
std::string with_database(const std::string& url, const std::string& database);

/// An empty database named after `url`'s own plus `suffix`, dropped first if it exists; the
/// destructor drops it again. For tests that need a database nobody else has touched.
class ScratchDatabase {
 public:
  ScratchDatabase(const std::string& url, const std::string& suffix);
  ~ScratchDatabase();
  ScratchDatabase(const ScratchDatabase&) = delete;
  ScratchDatabase& operator=(const ScratchDatabase&) = delete;

  const std::string& url() const { return url_; }

 private:
  std::string admin_url_;
  std::string name_;
  std::string url_;
};

}  // namespace gridcase::testing
