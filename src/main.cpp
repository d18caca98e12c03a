#include <spdlog/spdlog.h>

#include <cstdio>
#include <exception>
#include <string>
#include <vector>

#include "gridcase/app/application.hpp"
#include "gridcase/app/config.hpp"

namespace {

constexpr const char* kUsage = R"(usage: gridcase COMMAND [--config FILE] [ARGS]

commands:
  serve                 serve the HTTP API until SIGINT/SIGTERM
  migrate               apply pending database migrations
  seed-demo             load the Kundulun demo district (once)
  import-grid FILE      import a GeoJSON grid file, all or nothing
  verify-events         check the case event log's hash chain; names the first broken event
  user add USERNAME --role ROLE [--role ROLE...] [--scope district|grid:CODE|unit:CODE|officer:CODE]
           [--name NAME] [--channel CHANNEL...] [--password-stdin]
                        create or reset an account (bootstraps the first admin); prints a
                        generated password unless --password-stdin
  report --date YYYY-MM-DD [--period day|week|month|quarter|ytd] [--by DIMENSION]
         [--format json|csv|html] [--out FILE]
                        the completion-rate report of the period containing the date
                        (docs/reports.md); DIMENSION: district, street, community, cell,
                        unit, officer, channel or category
  simulate --days N [--seed S]
                        fill the demo district with N days of realistic history (about
                        4,650 cases a year) through the real case service

environment: GRIDCASE_DATABASE_URL, GRIDCASE_HTTP_PORT, GRIDCASE_LOG_LEVEL override the file.
)";

}  // namespace

int main(int argc, char** argv) {
  std::vector<std::string> args(argv + 1, argv + argc);
  std::string config_path;
  std::vector<std::string> positional;
  for (std::size_t i = 0; i < args.size(); ++i) {
    if (args[i] == "--config" && i + 1 < args.size()) {
      config_path = args[++i];
    } else if (args[i] == "-h" || args[i] == "--help") {
      std::fputs(kUsage, stdout);
      return 0;
    } else {
      positional.push_back(args[i]);
    }
  }
  if (positional.empty()) {
    std::fputs(kUsage, stderr);
    return 64;
  }
  try {
    const gridcase::app::Config config =
        gridcase::app::load_config(config_path, gridcase::app::gridcase_environment());
    gridcase::app::configure_logging(config.log);
    const std::string& command = positional[0];
    if (command == "serve" && positional.size() == 1) return gridcase::app::serve(config);
    if (command == "migrate" && positional.size() == 1) return gridcase::app::migrate(config);
    if (command == "seed-demo" && positional.size() == 1) return gridcase::app::seed_demo(config);
    if (command == "verify-events" && positional.size() == 1)
      return gridcase::app::verify_events(config);
    if (command == "user" && positional.size() >= 2 && positional[1] == "add") {
      return gridcase::app::add_user(
          config, std::vector<std::string>(positional.begin() + 2, positional.end()));
    }
    if (command == "simulate") {
      return gridcase::app::simulate(
          config, std::vector<std::string>(positional.begin() + 1, positional.end()));
    }
    if (command == "report") {
      return gridcase::app::report(
          config, std::vector<std::string>(positional.begin() + 1, positional.end()));
    }
    if (command == "import-grid" && positional.size() == 2) {
      return gridcase::app::import_grid(config, positional[1]);
    }
    std::fputs(kUsage, stderr);
    return 64;
  } catch (const std::exception& error) {
    std::fprintf(stderr, "gridcase: %s\n", error.what());
    return 78;  // EX_CONFIG
  }
}
