#include <spdlog/spdlog.h>

#include "arguments.hpp"
#include "commands.hpp"
#include "gridcase/storage/database.hpp"

namespace gridcase::app {

int verify_events(const Config& config, const std::vector<std::string>& args) {
  require_no_arguments(args);
  try {
    const storage::EventChainReport report = storage::verify_event_chain(config.database);
    if (report.broken_event) {
      spdlog::critical(
          "event {} of case {} is broken: its hash does not match its fields and the event before "
          "it "
          "({} events read)",
          *report.broken_event, report.broken_case_no, report.events_checked);
      return 1;
    }
    spdlog::info("the event log is intact: {} events verified", report.events_checked);
    return 0;
  } catch (const domain::Error& error) {
    spdlog::critical("verify-events failed: {}", error.what());
    return 2;
  }
}

}  // namespace gridcase::app
