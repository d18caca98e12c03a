#include "statements.hpp"

#include <string>

#include "embedded_queries.hpp"

namespace gridcase::storage {

void register_statements(pqxx::connection& connection) {
  for (const queries::EmbeddedFile& query : queries::kAll) {
    std::string name{query.name.substr(0, query.name.find('.'))};
    connection.prepare(name, std::string(query.text));
  }
}

}  // namespace gridcase::storage
