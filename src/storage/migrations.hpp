#pragma once

#include <pqxx/transaction_base>
#include <string>
#include <string_view>
#include <vector>

namespace gridcase::storage {

/// Names of the embedded migrations `tx`'s database has not applied (all, before the first).
std::vector<std::string> pending_migrations(pqxx::transaction_base& tx);

/// What the ledger records of a migration's text: its SHA-256 in lowercase hex, as sha256sum
/// prints it for the file.
std::string migration_checksum(std::string_view text);

/// The gridcase_* functions of `tx`'s database that no file under sql/functions/ defines (a
/// file is named after the function it defines): left behind when a file was removed without a
/// migration that drops the function.
std::vector<std::string> functions_without_a_file(pqxx::transaction_base& tx);

}  // namespace gridcase::storage
