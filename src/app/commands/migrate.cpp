#include <spdlog/spdlog.h>

#include "arguments.hpp"
#include "commands.hpp"
#include "gridcase/storage/database.hpp"

namespace gridcase::app {

int migrate(const Config& config, const std::vector<std::string>& args) {
  require_no_arguments(args);
  try {
    const std::vector<std::string> applied = storage::apply_migrations(config.database);
    if (applied.empty()) {
      spdlog::info("database is up to date");
    } else {
      spdlog::info("applied {} migration(s)", applied.size());
    }
    return 0;
  } catch (const domain::Error& error) {
    spdlog::critical("migrate failed: {}", error.what());
    return 1;
  }
}

}  // namespace gridcase::app
