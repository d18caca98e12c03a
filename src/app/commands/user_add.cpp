#include <spdlog/spdlog.h>

#include <iostream>

#include "arguments.hpp"
#include "commands.hpp"
#include "gridcase/domain/access.hpp"
#include "gridcase/service/credentials.hpp"
#include "wiring.hpp"

namespace gridcase::app {
namespace {

/// The account `args` describe; throws UsageError for a value that names nothing.
domain::UserSpec user_spec(const Arguments& arguments) {
  domain::UserSpec spec;
  // Without one the account service refuses the empty name, naming the field.
  if (!arguments.positional().empty()) spec.username = arguments.positional().front();
  for (const std::string& name : arguments.values("--role")) {
    const std::optional<domain::Role> role = domain::parse_role(name);
    if (!role || *role == domain::Role::kSystem) throw UsageError("unknown role " + name);
    spec.roles.insert(*role);
  }
  if (const std::optional<std::string> text = arguments.value("--scope")) {
    const std::optional<domain::Scope> scope = domain::parse_scope(*text);
    if (!scope) throw UsageError("--scope: district, grid:<code>, unit:<code> or officer:<code>");
    spec.scope = *scope;
  }
  for (const std::string& name : arguments.values("--channel")) {
    const std::optional<domain::Channel> channel = domain::parse_channel(name);
    if (!channel) throw UsageError("unknown channel " + name);
    spec.channels.push_back(*channel);
  }
  spec.display_name = arguments.value("--name").value_or("");
  if (spec.display_name.empty()) spec.display_name = spec.username;
  return spec;
}

}  // namespace

int add_user(const Config& config, const std::vector<std::string>& args) {
  const Arguments arguments{args,
                            {.options = {"--role", "--scope", "--name", "--channel"},
                             .flags = {"--password-stdin"},
                             .max_positional = 1}};
  const domain::UserSpec spec = user_spec(arguments);
  const bool password_from_stdin = arguments.has_flag("--password-stdin");
  std::optional<std::string> password;
  const bool integration = spec.roles.contains(domain::Role::kIntegration);
  if (!integration) {
    if (password_from_stdin) {
      std::string line;
      std::getline(std::cin, line);
      password = line;
    } else {
      password = service::random_password();
    }
  }
  Wiring wiring{config};
  try {
    const service::StoredUser user =
        run_to_completion(wiring, wiring.auth.upsert_user(spec, password));
    spdlog::info("user {} stored: roles {}, scope {}", user.spec.username,
                 user.spec.roles.roles().size(), domain::format_scope(user.spec.scope));
    if (password && !password_from_stdin) std::cout << "password: " << *password << std::endl;
    return 0;
  } catch (const domain::Error& error) {
    print_problems(error);
    return 1;
  }
}

}  // namespace gridcase::app
