#pragma once

#include <boost/asio/awaitable.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/use_future.hpp>
#include <chrono>
#include <future>
#include <memory>

#include "gridcase/app/config.hpp"
#include "gridcase/domain/clock.hpp"
#include "gridcase/imaging/vips_image_processor.hpp"
#include "gridcase/service/address_service.hpp"
#include "gridcase/service/attachment_service.hpp"
#include "gridcase/service/audit_service.hpp"
#include "gridcase/service/auth_service.hpp"
#include "gridcase/service/calendar_cache.hpp"
#include "gridcase/service/case_service.hpp"
#include "gridcase/service/catalog_service.hpp"
#include "gridcase/service/grid_service.hpp"
#include "gridcase/service/health_service.hpp"
#include "gridcase/service/open311_service.hpp"
#include "gridcase/service/report_service.hpp"
#include "gridcase/service/reporter_retention.hpp"
#include "gridcase/service/scheduler.hpp"
#include "gridcase/service/staff_service.hpp"
#include "gridcase/service/webhook_service.hpp"
#include "gridcase/storage/database.hpp"

namespace gridcase::app {

class SystemClock final : public domain::Clock {
 public:
  domain::Timestamp now() const override {
    return std::chrono::time_point_cast<std::chrono::milliseconds>(
        std::chrono::system_clock::now());
  }
};

/// The composition root: everything a command needs, built once; members are destroyed in
/// reverse order, so the io_context outlives the database threads that resume its coroutines.
struct Wiring {
  explicit Wiring(const Config& config, int io_threads = 1);

  boost::asio::io_context io;
  std::unique_ptr<storage::Database> database;
  SystemClock clock;
  service::CalendarCache calendar;
  service::GridService grid;
  service::CatalogService catalog;
  service::HealthService health;
  service::CaseService cases;
  service::Scheduler scheduler;
  service::ReportService reports;
  service::AuthService auth;
  service::AuditService audit;
  service::ReporterRetention retention;
  service::StaffService staff;
  service::AddressService addresses;
  imaging::VipsImageProcessor image_processor;
  service::AttachmentService attachments;
  service::Open311Service open311;
  service::WebhookService webhooks;
};

/// Runs one coroutine to completion on `wiring.io` and returns its result (or rethrows).
template <class T>
T run_to_completion(Wiring& wiring, boost::asio::awaitable<T> work) {
  std::future<T> result =
      boost::asio::co_spawn(wiring.io, std::move(work), boost::asio::use_future);
  wiring.io.run();
  wiring.io.restart();
  return result.get();
}

/// Bulk commands run without the serving statement timeout: a large import may take longer.
Config without_statement_timeout(Config config);

}  // namespace gridcase::app
