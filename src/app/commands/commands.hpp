#pragma once

// The commands of the gridcase binary, one file each (usage: command_line.cpp). Each reads its
// own arguments and returns the process's exit code; an argument it cannot take throws
// UsageError (exit code 64).

#include <spdlog/spdlog.h>

#include <string>
#include <vector>

#include "gridcase/app/config.hpp"
#include "gridcase/domain/error.hpp"

namespace gridcase::app {

/// Serves until SIGINT/SIGTERM, then drains in-flight requests. Returns the exit code: 2 when
/// migrations are pending, 1 when the address cannot be bound.
int serve(const Config& config, const std::vector<std::string>& args);

/// Applies pending migrations. Idempotent.
int migrate(const Config& config, const std::vector<std::string>& args);

/// Loads the demo district unless it is there already, and (re)sets the demo accounts.
int seed_demo(const Config& config, const std::vector<std::string>& args);

/// `import-grid FILE`: imports a GeoJSON grid file, all or nothing; prints every problem.
int import_grid(const Config& config, const std::vector<std::string>& args);

/// `verify-events`: checks the hash chain of the case event log. 0 intact, 1 an event is broken
/// (named in the log), 2 the database could not be read.
int verify_events(const Config& config, const std::vector<std::string>& args);

/// `user add USERNAME --role R [--role R…] [--scope S] [--name N] [--channel C…]
/// [--password-stdin]`: creates the user or replaces their roles, scope and password (revoking
/// their tokens). Without --password-stdin a random password is generated and printed.
int add_user(const Config& config, const std::vector<std::string>& args);

/// `report --date D [--period P] [--by B] [--format json|csv|html] [--out FILE]`: the report of
/// the period containing D (stored when the period has ended), to FILE or stdout.
int report(const Config& config, const std::vector<std::string>& args);

/// `simulate --days N [--seed S]`: fills the demo district with N days of history up to
/// yesterday (about 4,650 cases a year, mostly from the hotline), each case driven through the
/// real CaseService with a simulated clock; actions that would lie in the future are not taken.
int simulate(const Config& config, const std::vector<std::string>& args);

/// How a command reports a refusal: the message, then each field's problem.
inline void print_problems(const domain::Error& error) {
  spdlog::error("{}", error.what());
  for (const domain::FieldError& field : error.details().fields) {
    spdlog::error("  {}: {}", field.field, field.message);
  }
}

}  // namespace gridcase::app
