#pragma once

#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace gridcase::app {

/// What a command line accepts besides its positional words.
struct ArgumentRules {
  std::vector<std::string_view> options;  // each takes the next argument as its value
  std::vector<std::string_view> flags;    // each takes no value
  std::size_t max_positional = 0;
  /// Keeps what is not an option or flag here as positional, however many (the global options
  /// are read out of the whole command line before the command reads the rest).
  bool pass_through = false;
};

/// An argument the rules do not accept; what() says which and why, for the usage message.
class UsageError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

/// A command line read by its rules: `--option value` (an option may be given again), `--flag`,
/// and positional words in order. The value of an option is the argument after it, whatever it
/// looks like.
class Arguments {
 public:
  /// Throws UsageError for an option without its value, an argument starting with "--" that
  /// is no option or flag, or more positional words than the rules allow.
  Arguments(const std::vector<std::string>& args, const ArgumentRules& rules);

  /// The last value given to `option`.
  std::optional<std::string> value(std::string_view option) const;
  /// Every value given to `option`, in order.
  std::vector<std::string> values(std::string_view option) const;
  /// The last value of `option` read by `parse` (which returns an optional): nullopt when the
  /// option is not given. Throws UsageError when `parse` reads nothing from the value.
  template <class Parse>
  auto parsed(std::string_view option, Parse parse) const -> decltype(parse(std::string{})) {
    const std::optional<std::string> text = value(option);
    if (!text) return std::nullopt;
    auto result = parse(*text);
    if (!result) throw UsageError(std::string(option) + " " + *text + ": not a valid value");
    return result;
  }
  bool has_flag(std::string_view flag) const;
  const std::vector<std::string>& positional() const { return positional_; }

 private:
  std::vector<std::pair<std::string, std::string>> options_;
  std::vector<std::string> flags_;
  std::vector<std::string> positional_;
};

/// Throws UsageError unless `args` is empty: for the commands that take none.
void require_no_arguments(const std::vector<std::string>& args);

}  // namespace gridcase::app
