#include "gridcase/app/command_line.hpp"

#include <spdlog/spdlog.h>

#include <cstddef>
#include <cstdio>
#include <exception>
#include <optional>
#include <sstream>
#include <string_view>

#include "arguments.hpp"
#include "commands/commands.hpp"
#include "gridcase/app/config.hpp"

namespace gridcase::app {
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

/// The exit code of a command line that does not say what to do (sysexits.h EX_USAGE).
constexpr int kUsageError = 64;
/// The exit code of a configuration that cannot be loaded (EX_CONFIG); an exception a command
/// lets through ends the same way.
constexpr int kConfigError = 78;

struct Command {
  std::string_view name;  // the words that name it, e.g. "user add"
  int (*run)(const Config& config, const std::vector<std::string>& args);
};

constexpr Command kCommands[] = {
    {"serve", serve},
    {"migrate", migrate},
    {"seed-demo", seed_demo},
    {"import-grid", import_grid},
    {"verify-events", verify_events},
    {"user add", add_user},
    {"report", report},
    {"simulate", simulate},
};

/// How many of `words` name `command`; 0 when they do not.
std::size_t naming_words(const Command& command, const std::vector<std::string>& words) {
  std::istringstream name{std::string(command.name)};
  std::size_t count = 0;
  for (std::string word; name >> word; ++count) {
    if (count == words.size() || words[count] != word) return 0;
  }
  return count;
}

void configure_logging(const LogOptions& options) {
  spdlog::set_level(spdlog::level::from_str(options.level));
  spdlog::set_pattern("%Y-%m-%dT%H:%M:%S.%e%z %^%l%$ %v");
}

}  // namespace

int run_command_line(const std::vector<std::string>& args) {
  std::optional<Arguments> global;
  try {
    global.emplace(
        args,
        ArgumentRules{.options = {"--config"}, .flags = {"-h", "--help"}, .pass_through = true});
  } catch (const UsageError&) {
    std::fputs(kUsage, stderr);
    return kUsageError;
  }
  if (global->has_flag("-h") || global->has_flag("--help")) {
    std::fputs(kUsage, stdout);
    return 0;
  }
  const std::vector<std::string>& words = global->positional();
  if (words.empty()) {
    std::fputs(kUsage, stderr);
    return kUsageError;
  }
  try {
    const Config config =
        load_config(global->value("--config").value_or(""), gridcase_environment());
    configure_logging(config.log);
    for (const Command& command : kCommands) {
      const std::size_t named_by = naming_words(command, words);
      if (named_by == 0) continue;
      try {
        return command.run(
            config, std::vector<std::string>(words.begin() + static_cast<std::ptrdiff_t>(named_by),
                                             words.end()));
      } catch (const UsageError& error) {
        spdlog::critical("{}: {}", command.name, error.what());
        std::fputs(kUsage, stderr);
        return kUsageError;
      }
    }
    std::fputs(kUsage, stderr);
    return kUsageError;
  } catch (const std::exception& error) {
    std::fprintf(stderr, "gridcase: %s\n", error.what());
    return kConfigError;
  }
}

}  // namespace gridcase::app
