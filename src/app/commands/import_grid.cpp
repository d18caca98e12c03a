#include <spdlog/spdlog.h>

#include <fstream>
#include <sstream>

#include "arguments.hpp"
#include "commands.hpp"
#include "gridcase/http/grid_import.hpp"
#include "wiring.hpp"

namespace gridcase::app {

int import_grid(const Config& config, const std::vector<std::string>& args) {
  const Arguments arguments{args, {.max_positional = 1}};
  if (arguments.positional().empty()) throw UsageError("the GeoJSON FILE is required");
  const std::string& file = arguments.positional().front();
  std::ifstream input{file};
  if (!input) {
    spdlog::critical("{}: cannot be read", file);
    return 1;
  }
  std::stringstream text;
  text << input.rdbuf();
  Wiring wiring{without_statement_timeout(config)};
  try {
    std::vector<domain::GridNodeInput> nodes =
        http::parse_grid_import(text.str(), config.http.max_json_depth);
    const service::ImportSummary summary = run_to_completion(
        wiring, wiring.grid.import(std::move(nodes), domain::command_line_actor()));
    for (const auto& [level, count] : summary.nodes_by_level)
      spdlog::info("imported {} {} node(s)", count, level);
    return 0;
  } catch (const domain::Error& error) {
    print_problems(error);
    return 1;
  }
}

}  // namespace gridcase::app
