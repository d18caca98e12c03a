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

/// Sets the log level and line pattern.
void configure_logging(const LogOptions& options);

}  // namespace gridcase::app
