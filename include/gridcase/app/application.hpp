#pragma once

#include <string>
#include <vector>

#include "gridcase/app/config.hpp"

namespace gridcase::app {

/// Serves until SIGINT/SIGTERM, then drains in-flight requests. Returns the exit code: 2 when
/// migrations are pending, 1 when the address cannot be bound.
int serve(const Config& config);

/// Applies pending migrations. Idempotent.
int migrate(const Config& config);

/// Loads the demo district unless it is there already.
int seed_demo(const Config& config);

/// Imports a GeoJSON grid file, all or nothing; prints every problem.
int import_grid(const Config& config, const std::string& file);

/// `gridcase user add USERNAME --role R [--role R…] [--scope S] [--name N] [--channel C…]
/// [--password-stdin]`: creates the user or replaces their roles, scope and password (revoking
/// their tokens). Without --password-stdin a random password is generated and printed.
int add_user(const Config& config, const std::vector<std::string>& args);

/// `gridcase verify-events`: checks the hash chain of the case event log. 0 intact, 1 an event is
/// broken (named in the log), 2 the database could not be read.
int verify_events(const Config& config);

/// `gridcase report --date D [--period P] [--by B] [--format json|csv|html] [--out FILE]`: the
/// report of the period containing D (stored when the period has ended), to FILE or stdout.
int report(const Config& config, const std::vector<std::string>& args);

/// `gridcase simulate --days N [--seed S]`: fills the demo district with N days of history up to
/// yesterday (about 4,650 cases a year, mostly from the hotline), each case driven through the
/// real CaseService with a simulated clock; actions that would lie in the future are not taken.
int simulate(const Config& config, const std::vector<std::string>& args);

/// Sets the log level and line pattern.
void configure_logging(const LogOptions& options);

}  // namespace gridcase::app
