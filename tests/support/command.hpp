#pragma once

#include <string>
#include <utility>

namespace gridcase::testing {

/// Runs `command` with /bin/sh, stderr folded into stdout. Returns the output and the exit
/// status (-1 when a signal ended it).
std::pair<std::string, int> run_command(const std::string& command);

/// Single-quotes `text` for /bin/sh.
std::string shell_quote(const std::string& text);

}  // namespace gridcase::testing
