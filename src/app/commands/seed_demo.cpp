#include <spdlog/spdlog.h>

#include <algorithm>
#include <iostream>

#include "arguments.hpp"
#include "commands.hpp"
#include "demo_district.hpp"
#include "demo_gazetteer.hpp"
#include "embedded_demo_data.hpp"
#include "wiring.hpp"

namespace gridcase::app {
namespace {

namespace asio = boost::asio;

/// One account per role in the demo district, confined where the role is (docs/security.md).
/// Every run gives them new passwords (revoking their tokens) and prints them.
void seed_demo_users(Wiring& wiring, const DemoDistrict& demo) {
  using domain::Role;
  using domain::Scope;
  using domain::ScopeKind;
  constexpr const char* kDemoCell = "150203004007017";  // the README's point
  std::string officer = "KDL0001";
  for (const domain::Officer& candidate : demo.officers) {
    for (const domain::Officer::Responsibility& duty : candidate.responsibilities) {
      if (duty.duty == domain::Duty::kGridOfficer &&
          std::find(duty.cell_codes.begin(), duty.cell_codes.end(), kDemoCell) !=
              duty.cell_codes.end()) {
        officer = candidate.code;
      }
    }
  }
  struct Account {
    const char* username;
    const char* name;
    Role role;
    Scope scope;
    std::vector<domain::Channel> channels;
  };
  const std::vector<Account> accounts{
      {"admin", "系统管理员 Admin", Role::kAdmin, {}, {}},
      {"operator", "受理员 Operator", Role::kOperator, {}, {}},
      {"shift_leader", "值班长 Shift leader", Role::kShiftLeader, {}, {}},
      {"dispatcher", "派遣员 Dispatcher", Role::kDispatcher, {}, {}},
      {"supervisor",
       "前进道街道 Supervisor",
       Role::kSupervisor,
       {ScopeKind::kGrid, "150203004"},
       {}},
      {"unit",
       "城管执法中队 Unit staff",
       Role::kUnit,
       {ScopeKind::kUnit, "150203004-enforcement"},
       {}},
      {"officer", "网格员 Officer", Role::kOfficer, {ScopeKind::kOfficer, officer}, {}},
      {"integration",
       "市民热线平台 Hotline platform",
       Role::kIntegration,
       {},
       {domain::Channel::kHotline12319, domain::Channel::kHotline12345, domain::Channel::kWeb,
        domain::Channel::kApp, domain::Channel::kVideo}},
  };
  std::cout << "demo accounts (sign in with POST /api/v1/sessions):\n";
  for (const Account& account : accounts) {
    domain::UserSpec spec{account.username, account.name,     domain::RoleSet{account.role},
                          account.scope,    account.channels, true};
    const bool integration = account.role == Role::kIntegration;
    const std::optional<std::string> password =
        integration ? std::nullopt : std::optional<std::string>(service::random_password());
    run_to_completion(wiring, wiring.auth.upsert_user(spec, password));
    if (integration) {
      std::cout << "  " << account.username
                << " (integration tokens only: POST /api/v1/users/integration/tokens)\n";
    } else {
      std::cout << "  " << account.username << "  " << *password << "  "
                << domain::format_scope(account.scope) << "\n";
    }
  }
  std::cout.flush();
}

/// The demo's gazetteer, when the gazetteer has no entry yet (a district loaded before it
/// shipped one gets it too; one an admin has imported is left alone).
void seed_demo_gazetteer(Wiring& wiring) {
  run_to_completion(wiring, [&]() -> asio::awaitable<void> {
    if (co_await wiring.addresses.has_entries()) co_return;
    std::vector<domain::AddressInput> entries = make_demo_gazetteer(demo_data::k_kundulun_admin);
    const service::AddressImportSummary summary = co_await wiring.addresses.import(
        std::move(entries), service::AddressImportMode::kAdd, domain::command_line_actor());
    spdlog::info("loaded the demo gazetteer: {} addresses", summary.imported);
  }());
}

}  // namespace

int seed_demo(const Config& config, const std::vector<std::string>& args) {
  require_no_arguments(args);
  Wiring wiring{without_statement_timeout(config)};
  try {
    const bool present = run_to_completion(wiring, [&]() -> asio::awaitable<bool> {
      try {
        co_await wiring.grid.node("150203", false);
        co_return true;
      } catch (const domain::Error& error) {
        if (error.code() != domain::ErrorCode::kNotFound) throw;
      }
      co_return false;
    }());
    DemoDistrict demo = make_demo_district(demo_data::k_kundulun_admin, demo_data::k_categories);
    if (present) {
      spdlog::info("the demo district 150203 is already loaded");
      seed_demo_gazetteer(wiring);
      seed_demo_users(wiring, demo);
      return 0;
    }
    const std::size_t nodes = demo.nodes.size();
    const std::size_t officers = demo.officers.size();
    const std::size_t units = demo.units.size();
    const std::size_t categories = demo.categories.size();
    run_to_completion(wiring, [&]() -> asio::awaitable<void> {
      co_await wiring.grid.import(std::move(demo.nodes), domain::command_line_actor());
      co_await wiring.grid.add_officers(demo.officers);  // a copy: seed_demo_users reads them
      co_await wiring.catalog.upsert_units(std::move(demo.units));
      co_await wiring.catalog.replace_categories(std::move(demo.categories),
                                                 domain::command_line_actor());
    }());
    seed_demo_gazetteer(wiring);
    seed_demo_users(wiring, demo);
    spdlog::info("loaded the demo district: {} grid nodes, {} officers, {} units, {} categories",
                 nodes, officers, units, categories);
    return 0;
  } catch (const domain::Error& error) {
    print_problems(error);
    return 1;
  }
}

}  // namespace gridcase::app
