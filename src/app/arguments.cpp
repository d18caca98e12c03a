#include "arguments.hpp"

#include <algorithm>

namespace gridcase::app {
namespace {

bool is_one_of(const std::vector<std::string_view>& names, std::string_view arg) {
  return std::find(names.begin(), names.end(), arg) != names.end();
}

}  // namespace

Arguments::Arguments(const std::vector<std::string>& args, const ArgumentRules& rules) {
  for (std::size_t i = 0; i < args.size(); ++i) {
    const std::string& arg = args[i];
    if (is_one_of(rules.options, arg)) {
      if (i + 1 == args.size()) throw UsageError(arg + " needs a value");
      options_.emplace_back(arg, args[++i]);
    } else if (is_one_of(rules.flags, arg)) {
      flags_.push_back(arg);
    } else if (rules.pass_through ||
               (!arg.starts_with("--") && positional_.size() < rules.max_positional)) {
      positional_.push_back(arg);
    } else {
      throw UsageError("unexpected argument " + arg);
    }
  }
}

std::optional<std::string> Arguments::value(std::string_view option) const {
  // The last occurrence wins, as on most command lines.
  const auto last = std::find_if(options_.rbegin(), options_.rend(),
                                 [option](const auto& entry) { return entry.first == option; });
  if (last == options_.rend()) return std::nullopt;
  return last->second;
}

std::vector<std::string> Arguments::values(std::string_view option) const {
  std::vector<std::string> found;
  for (const auto& [name, value] : options_) {
    if (name == option) found.push_back(value);
  }
  return found;
}

bool Arguments::has_flag(std::string_view flag) const {
  return std::find(flags_.begin(), flags_.end(), flag) != flags_.end();
}

void require_no_arguments(const std::vector<std::string>& args) {
  if (!args.empty()) throw UsageError("unexpected argument " + args.front());
}

}  // namespace gridcase::app
