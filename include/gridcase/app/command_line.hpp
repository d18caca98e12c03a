#pragma once

#include <string>
#include <vector>

namespace gridcase::app {

/// Runs the command `args` (argv without the program name) names: reads `--config FILE` and
/// `-h`/`--help` wherever they stand, loads the configuration, sets up logging and hands the
/// rest to the command. Returns the exit code: the command's, 64 for a usage error, 78 for a
/// configuration that cannot be loaded.
int run_command_line(const std::vector<std::string>& args);

}  // namespace gridcase::app
