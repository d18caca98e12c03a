#include <string>
#include <vector>

#include "gridcase/app/command_line.hpp"

int main(int argc, char** argv) {
  return gridcase::app::run_command_line(std::vector<std::string>(argv + 1, argv + argc));
}
