#pragma once

#include <pqxx/connection>

namespace gridcase::storage {

/// Declares every query of src/storage/queries/ as a prepared statement named after its file
/// (prepared lazily by libpqxx on first use).
void register_statements(pqxx::connection& connection);

}  // namespace gridcase::storage
