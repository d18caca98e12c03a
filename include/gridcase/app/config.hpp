#pragma once

#include <map>
#include <string>

#include "gridcase/http/server.hpp"
#include "gridcase/service/attachment_service.hpp"
#include "gridcase/service/report_service.hpp"
#include "gridcase/service/reporter_retention.hpp"
#include "gridcase/service/scheduler.hpp"
#include "gridcase/service/webhook_service.hpp"
#include "gridcase/storage/database.hpp"

namespace gridcase::app {

struct LogOptions {
  std::string level = "info";  // trace, debug, info, warn, error, off
};

struct Config {
  http::ServerOptions http;
  storage::DatabaseOptions database;
  service::CaseOptions cases;
  service::SchedulerOptions scheduler;
  service::ReportOptions reports;
  service::AuthOptions auth;
  service::RetentionOptions retention;
  service::Open311Options open311;
  service::AttachmentOptions attachments;
  service::WebhookOptions webhooks;
  LogOptions log;
};

/// Reads a JSON config file (unknown keys and out-of-range values are refused), then applies
/// GRIDCASE_DATABASE_URL, GRIDCASE_HTTP_PORT and GRIDCASE_LOG_LEVEL from `environment`.
/// An empty path means defaults plus environment. Throws std::runtime_error with the reason.
Config load_config(const std::string& path, const std::map<std::string, std::string>& environment);

/// Parses config text (the file's content); `source` names it in error messages.
Config parse_config(const std::string& text, const std::string& source);

/// The process environment's GRIDCASE_* variables.
std::map<std::string, std::string> gridcase_environment();

}  // namespace gridcase::app
