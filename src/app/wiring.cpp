#include "wiring.hpp"

namespace gridcase::app {

Wiring::Wiring(const Config& config, int io_threads)
    : io(io_threads),
      database(storage::open_database(config.database)),
      calendar(clock, config.cases.utc_offset, config.cases.calendar_cache),
      grid(*database, clock),
      catalog(*database),
      health(*database, calendar, clock),
      cases(*database, clock, calendar, config.cases),
      scheduler(*database, cases, calendar, clock, config.scheduler),
      reports(*database, calendar, clock, config.reports),
      auth(*database, clock, config.auth),
      audit(*database),
      retention(*database, clock, config.retention),
      staff(*database),
      addresses(*database),
      attachments(*database, clock, image_processor, config.attachments),
      open311(*database, clock, cases, auth, attachments,
              service::Open311Options{config.cases.district_code, config.open311.reads_per_minute}),
      webhooks(*database, config.webhooks) {}

Config without_statement_timeout(Config config) {
  config.database.statement_timeout = std::chrono::milliseconds{0};
  config.database.report_statement_timeout = std::chrono::milliseconds{0};
  return config;
}

}  // namespace gridcase::app
