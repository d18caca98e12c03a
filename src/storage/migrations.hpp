#pragma once

#include <pqxx/transaction_base>
#include <string>
#include <vector>

namespace gridcase::storage {

/// Names of the embedded migrations `tx`'s database has not applied (all, before the first).
std::vector<std::string> pending_migrations(pqxx::transaction_base& tx);

}  // namespace gridcase::storage
