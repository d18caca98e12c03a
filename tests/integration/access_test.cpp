// Accounts, tokens and grid-scoped access against a real PostgreSQL (docs/security.md).
#include "gridcase/domain/access.hpp"

#include <gtest/gtest.h>

#include <pqxx/pqxx>

#include "gridcase/service/auth_service.hpp"
#include "support/case_world.hpp"
#include "support/run_sync.hpp"
#include "support/test_database.hpp"

namespace gridcase::testing {
namespace {

using domain::CaseAction;
using domain::ErrorCode;
using domain::Role;
using domain::Scope;
using domain::ScopeKind;
using nlohmann::json;

constexpr const char* kUserPrefix = "it-acc-";
constexpr const char* kPassword = "correct horse battery";

domain::Actor scoped(Role role, Scope scope, const std::string& id = "it-case-scoped") {
  domain::Actor actor{id, domain::RoleSet{role}, role};
  actor.scope = std::move(scope);
  return actor;
}

class AccessTest : public CaseWorldTest {
 protected:
  void SetUp() override {
    CaseWorldTest::SetUp();
    delete_accounts(url_, kUserPrefix, "it-");
    service::AuthOptions options;
    options.token_cache = std::chrono::milliseconds{0};  // every request looks its token up
    options.password_cost = service::PasswordCost::kMinimum;
    // The address's limit as low as the username's, so that a test reaches it in five attempts
    // (the default is 100: tests/integration/login_throttle_test.cpp).
    options.throttle.max_address_failures = options.throttle.max_failures;
    auth_ = std::make_unique<service::AuthService>(*database_, *clock_, options);
  }
  void TearDown() override {
    auth_.reset();
    if (!url_.empty()) delete_accounts(url_, kUserPrefix, "it-");
    CaseWorldTest::TearDown();
  }

  service::StoredUser add_user(const std::string& name, Role role, Scope scope = {},
                               std::vector<domain::Channel> channels = {}) {
    const bool integration = role == Role::kIntegration;
    domain::UserSpec spec{kUserPrefix + name, "测试 " + name,      domain::RoleSet{role},
                          std::move(scope),   std::move(channels), true};
    return run_sync(
        auth_->create_user(spec, integration ? std::nullopt : std::optional<std::string>(kPassword),
                           domain::command_line_actor()));
  }

  service::LoginResult login(const std::string& name, const std::string& password = kPassword,
                             const std::string& address = "it-10.0.0.1") {
    return run_sync(auth_->login(kUserPrefix + name, password, address));
  }

  ErrorCode login_error(const std::string& name, const std::string& password,
                        const std::string& address = "it-10.0.0.1") {
    try {
      login(name, password, address);
    } catch (const domain::Error& error) {
      return error.code();
    }
    ADD_FAILURE() << "the login was accepted";
    return ErrorCode::kInternal;
  }

  ErrorCode authenticate_error(const std::string& token) {
    try {
      run_sync(auth_->authenticate(token));
    } catch (const domain::Error& error) {
      return error.code();
    }
    ADD_FAILURE() << "the token was accepted";
    return ErrorCode::kInternal;
  }

  std::vector<std::string> listed(const domain::Actor& actor) {
    const json page = json::parse(
        run_sync(cases_->list(service::CaseFilter{}, service::CasePage{}, actor)).page.text);
    std::vector<std::string> numbers;
    for (const json& item : page.at("items")) numbers.push_back(item.at("case_no"));
    return numbers;
  }

  ErrorCode get_error(const std::string& case_no, const domain::Actor& actor) {
    try {
      run_sync(cases_->get(case_no, actor));
    } catch (const domain::Error& error) {
      return error.code();
    }
    ADD_FAILURE() << case_no << " was shown";
    return ErrorCode::kInternal;
  }

  long long disclosures(const std::string& case_no) {
    pqxx::connection connection{url_};
    pqxx::nontransaction tx{connection};
    return tx
        .exec_params1(
            "SELECT count(*) FROM reporter_disclosures d JOIN cases c ON c.id = d.case_id "
            "WHERE c.case_no = $1",
            case_no)[0]
        .as<long long>();
  }

  std::unique_ptr<service::AuthService> auth_;
};

// ---- logins and tokens ----

TEST_F(AccessTest, ALoginIssuesATokenThatStandsForTheUserRolesAndScope) {
  add_user("sup", Role::kSupervisor, Scope{ScopeKind::kGrid, CaseDistrict::kStreet});

  const service::LoginResult result = login("sup");
  const domain::Actor actor = run_sync(auth_->authenticate(result.token.token));

  EXPECT_TRUE(service::is_token_shaped(result.token.token));
  EXPECT_EQ(actor.id, std::string(kUserPrefix) + "sup");
  EXPECT_EQ(actor.roles, domain::RoleSet{Role::kSupervisor});
  EXPECT_EQ(actor.scope, (Scope{ScopeKind::kGrid, CaseDistrict::kStreet}));
  pqxx::connection connection{url_};
  pqxx::nontransaction tx{connection};
  EXPECT_EQ(tx.exec_params1("SELECT count(*) FROM auth_tokens WHERE digest = decode($1, 'hex')",
                            service::token_digest(result.token.token))[0]
                .as<int>(),
            1)
      << "only the token's SHA-256 is stored";
  EXPECT_EQ(tx.exec1("SELECT count(*) FROM users WHERE password_hash NOT LIKE '$argon2id$%'")[0]
                .as<int>(),
            0);
}

TEST_F(AccessTest, AWrongPasswordAndAnUnknownUserGetTheSameAnswer) {
  add_user("op", Role::kOperator);

  EXPECT_EQ(login_error("op", "wrong password!"), ErrorCode::kUnauthenticated);
  EXPECT_EQ(login_error("nobody", kPassword), ErrorCode::kUnauthenticated);
}

TEST_F(AccessTest, FiveFailuresLockTheUserOutEvenWithTheRightPasswordUntilTheLockoutEnds) {
  add_user("op", Role::kOperator);
  for (int i = 0; i < 5; ++i) {
    EXPECT_EQ(login_error("op", "wrong password!", "it-10.0.0." + std::to_string(i)),
              ErrorCode::kUnauthenticated);
  }

  try {
    login("op", kPassword, "it-10.0.0.9");
    ADD_FAILURE() << "a locked-out user signed in";
  } catch (const domain::Error& error) {
    EXPECT_EQ(error.code(), ErrorCode::kRateLimited);
    ASSERT_TRUE(error.details().retry_after.has_value());
    EXPECT_GT(error.details().retry_after->count(), 0);
  }
  clock_->advance(std::chrono::minutes{16});
  EXPECT_NO_THROW(login("op", kPassword, "it-10.0.0.9"));
}

TEST_F(AccessTest, FiveFailuresFromOneAddressLockThatAddressForEveryUser) {
  add_user("a", Role::kOperator);
  add_user("b", Role::kOperator);
  for (int i = 0; i < 5; ++i)
    login_error(i % 2 == 0 ? "a" : "nobody", "wrong password!", "it-192.0.2.7");

  EXPECT_EQ(login_error("b", kPassword, "it-192.0.2.7"), ErrorCode::kRateLimited);
  EXPECT_NO_THROW(login("b", kPassword, "it-192.0.2.8"));
}

TEST_F(AccessTest, LoggingOutRevokesTheToken) {
  add_user("op", Role::kOperator);
  const std::string token = login("op").token.token;

  run_sync(auth_->logout(token));

  EXPECT_EQ(authenticate_error(token), ErrorCode::kUnauthenticated);
}

TEST_F(AccessTest, ASessionExpires) {
  add_user("op", Role::kOperator);
  const std::string token = login("op").token.token;

  clock_->advance(std::chrono::hours{13});

  EXPECT_EQ(authenticate_error(token), ErrorCode::kUnauthenticated);
}

TEST_F(AccessTest, MalformedAndUnknownTokensAreRefused) {
  EXPECT_EQ(authenticate_error("secret"), ErrorCode::kUnauthenticated);
  EXPECT_EQ(authenticate_error(service::new_token()), ErrorCode::kUnauthenticated);
}

TEST_F(AccessTest, DeactivatingAUserRevokesTheirTokens) {
  add_user("op", Role::kOperator);
  const std::string token = login("op").token.token;
  service::UserPatch patch;
  patch.active = false;

  run_sync(
      auth_->update_user(std::string(kUserPrefix) + "op", patch, domain::command_line_actor()));

  EXPECT_EQ(authenticate_error(token), ErrorCode::kUnauthenticated);
  EXPECT_EQ(login_error("op", kPassword), ErrorCode::kUnauthenticated);
}

TEST_F(AccessTest, IntegrationTokensAreForIntegrationUsersOnly) {
  add_user("hotline", Role::kIntegration, {}, {domain::Channel::kHotline12345});
  add_user("op", Role::kOperator);

  const service::IssuedToken token = run_sync(
      auth_->create_integration_token(std::string(kUserPrefix) + "hotline", "12345 platform",
                                      std::nullopt, domain::command_line_actor()));
  const domain::Actor actor = run_sync(auth_->authenticate(token.token));

  EXPECT_EQ(actor.channels, std::vector<domain::Channel>{domain::Channel::kHotline12345});
  try {
    run_sync(auth_->create_integration_token(std::string(kUserPrefix) + "op", std::nullopt,
                                             std::nullopt, domain::command_line_actor()));
    ADD_FAILURE() << "an integration token for a person";
  } catch (const domain::Error& error) {
    EXPECT_EQ(error.code(), ErrorCode::kInvalidValue);
  }
}

TEST_F(AccessTest, OnlyADistrictAdminManagesAccounts) {
  for (Role role : {Role::kOperator, Role::kShiftLeader, Role::kDispatcher, Role::kSupervisor}) {
    try {
      run_sync(auth_->users(case_actor(role)));
      ADD_FAILURE() << to_string(role) << " listed the users";
    } catch (const domain::Error& error) {
      EXPECT_EQ(error.code(), ErrorCode::kForbidden);
    }
  }
  EXPECT_NO_THROW(run_sync(auth_->users(case_actor(Role::kAdmin))));
}

TEST_F(AccessTest, AUserIsRefusedWithEveryProblemOfRolesAndScope) {
  domain::UserSpec spec{
      std::string(kUserPrefix) + "unit", "x", domain::RoleSet{Role::kUnit}, {}, {}, true};
  try {
    run_sync(auth_->create_user(spec, std::string(kPassword), domain::command_line_actor()));
    ADD_FAILURE() << "unit staff without a unit";
  } catch (const domain::Error& error) {
    EXPECT_EQ(error.code(), ErrorCode::kInvalidValue);
  }
  spec.scope = Scope{ScopeKind::kUnit, "150261001-nothing"};
  try {
    run_sync(auth_->create_user(spec, std::string(kPassword), domain::command_line_actor()));
    ADD_FAILURE() << "a unit that does not exist";
  } catch (const domain::Error& error) {
    EXPECT_EQ(error.code(), ErrorCode::kInvalidValue);
  }
}

// ---- scopes: nobody sees or does what is not theirs ----

TEST_F(AccessTest, AStreetSupervisorListsSeesAndUrgesOnlyTheirStreetsCases) {
  const std::string mine =
      receive(case_report(domain::Channel::kWeb, CaseDistrict::in_cell(), true, clock_->now()));
  const std::string theirs = receive(
      case_report(domain::Channel::kWeb, CaseDistrict::in_other_street(), true, clock_->now()));
  for (const std::string& case_no : {mine, theirs}) {
    act(case_no, CaseAction::kRegister, register_input(), Role::kShiftLeader);
  }
  act(mine, CaseAction::kDispatch, unit_input(), Role::kDispatcher);
  act(theirs, CaseAction::kDispatch, unit_input(CaseDistrict::kOtherStreetUnit), Role::kDispatcher);
  const domain::Actor supervisor =
      scoped(Role::kSupervisor, Scope{ScopeKind::kGrid, CaseDistrict::kStreet});

  EXPECT_EQ(listed(supervisor), std::vector<std::string>{mine});
  EXPECT_NO_THROW(run_sync(cases_->get(mine, supervisor)));
  EXPECT_EQ(get_error(theirs, supervisor), ErrorCode::kNotFound)
      << "404, not 403: existence is not revealed";
  try {
    run_sync(cases_->act(theirs, CaseAction::kUrge, {}, supervisor, std::nullopt, std::nullopt));
    ADD_FAILURE() << "urged a case of another street";
  } catch (const domain::Error& error) {
    EXPECT_EQ(error.code(), ErrorCode::kNotFound);
  }
  const service::CaseAnswer urged =
      run_sync(cases_->act(mine, CaseAction::kUrge, {}, supervisor, std::nullopt, std::nullopt));
  EXPECT_EQ(urged.written.case_no, mine);
  EXPECT_FALSE(urged.written.created);
  EXPECT_EQ(get(mine).at("events").back().at("actor"), "it-case-scoped");
  EXPECT_EQ(get(mine).at("events").back().at("role"), "supervisor");
}

TEST_F(AccessTest, UnitStaffSeeAndActOnOnlyWhatWasDispatchedToTheirUnit) {
  const std::string ours = receive(domain::Channel::kWeb);
  const std::string other = receive(domain::Channel::kWeb);
  const std::string undispatched = receive(domain::Channel::kWeb);
  for (const std::string& case_no : {ours, other, undispatched}) {
    act(case_no, CaseAction::kRegister, register_input(), Role::kShiftLeader);
  }
  act(ours, CaseAction::kDispatch, unit_input(), Role::kDispatcher);
  act(other, CaseAction::kDispatch, unit_input(CaseDistrict::kDistrictUnit), Role::kDispatcher);
  const domain::Actor staff =
      scoped(Role::kUnit, Scope{ScopeKind::kUnit, CaseDistrict::kStreetUnit});

  EXPECT_EQ(listed(staff), std::vector<std::string>{ours});
  EXPECT_EQ(get_error(other, staff), ErrorCode::kNotFound);
  EXPECT_EQ(get_error(undispatched, staff), ErrorCode::kNotFound);
  const service::CaseAnswer acknowledged =
      run_sync(cases_->act(ours, CaseAction::kAcknowledge, {}, staff, std::nullopt, std::nullopt));
  EXPECT_EQ(acknowledged.written.case_no, ours);
  EXPECT_FALSE(acknowledged.written.created);
}

TEST_F(AccessTest, AGridConfinedOperatorReceivesOnlyInsideTheirGrid) {
  const domain::Actor street_operator =
      scoped(Role::kOperator, Scope{ScopeKind::kGrid, CaseDistrict::kStreet});
  const domain::NewCase inside =
      case_report(domain::Channel::kWeb, CaseDistrict::in_cell(), true, clock_->now());
  const domain::NewCase outside =
      case_report(domain::Channel::kWeb, CaseDistrict::in_other_street(), true, clock_->now());
  const long long before = rows_in("cases");

  EXPECT_TRUE(run_sync(cases_->receive(inside, street_operator, std::nullopt)).written.created);
  try {
    run_sync(cases_->receive(outside, street_operator, std::nullopt));
    ADD_FAILURE() << "received a case in another street";
  } catch (const domain::Error& error) {
    EXPECT_EQ(error.code(), ErrorCode::kInvalidValue);
  }
  EXPECT_EQ(rows_in("cases"), before + 1);
}

TEST_F(AccessTest, AnIntegrationSubmitsOnlyOnItsOwnChannels) {
  domain::Actor hotline = scoped(Role::kIntegration, {});
  hotline.channels = {domain::Channel::kHotline12345};
  const long long before = rows_in("cases");

  try {
    run_sync(cases_->receive(
        case_report(domain::Channel::kWeb, CaseDistrict::in_cell(), true, clock_->now()), hotline,
        std::nullopt));
    ADD_FAILURE() << "an integration submitted on another channel";
  } catch (const domain::Error& error) {
    EXPECT_EQ(error.code(), ErrorCode::kForbidden);
  }
  EXPECT_TRUE(run_sync(cases_->receive(case_report(domain::Channel::kHotline12345,
                                                   CaseDistrict::in_cell(), true, clock_->now()),
                                       hotline, std::nullopt))
                  .written.created);
  EXPECT_EQ(rows_in("cases"), before + 1);
}

// ---- reporters (domain.md §9) ----

TEST_F(AccessTest, OperatorsSeeReportersInFullAndEveryRevealIsRecorded) {
  const std::string case_no =
      receive(domain::Channel::kWeb);  // received by an operator: one reveal
  const long long at_intake = disclosures(case_no);

  const json shown =
      json::parse(run_sync(cases_->get(case_no, case_actor(Role::kOperator))).case_json.text);

  EXPECT_EQ(at_intake, 1) << "the intake answer showed the reporter to the operator";
  EXPECT_EQ(shown.at("reporter").at("phone"),
            case_report(domain::Channel::kWeb, CaseDistrict::in_cell(), true, clock_->now())
                .reporter->phone.value());
  EXPECT_EQ(disclosures(case_no), 2);
}

TEST_F(AccessTest, OtherRolesGetMaskedReportersAndNothingIsRecorded) {
  const std::string case_no = receive(domain::Channel::kWeb);
  const long long before = disclosures(case_no);
  const std::string phone =
      *case_report(domain::Channel::kWeb, CaseDistrict::in_cell(), true, clock_->now())
           .reporter->phone;

  for (Role role : {Role::kShiftLeader, Role::kDispatcher, Role::kSupervisor}) {
    const json shown = json::parse(run_sync(cases_->get(case_no, case_actor(role))).case_json.text);
    EXPECT_NE(shown.at("reporter").at("phone"), phone) << to_string(role);
    EXPECT_NE(shown.at("reporter").at("phone").get<std::string>().find('*'), std::string::npos);
  }
  EXPECT_EQ(disclosures(case_no), before);
}

TEST_F(AccessTest, AdminsSeeReportersInFullUnlessTheyAskedForConfidentiality) {
  domain::NewCase open_report =
      case_report(domain::Channel::kWeb, CaseDistrict::in_cell(), true, clock_->now());
  domain::NewCase confidential = open_report;
  confidential.reporter->confidential = true;
  const std::string open_no = receive(open_report, Role::kIntegration);
  const std::string confidential_no = receive(confidential, Role::kIntegration);
  const domain::Actor admin = case_actor(Role::kAdmin);

  const json open_shown = json::parse(run_sync(cases_->get(open_no, admin)).case_json.text);
  const json confidential_shown =
      json::parse(run_sync(cases_->get(confidential_no, admin)).case_json.text);
  const json operator_shown = json::parse(
      run_sync(cases_->get(confidential_no, case_actor(Role::kOperator))).case_json.text);

  EXPECT_EQ(open_shown.at("reporter").at("phone"), *open_report.reporter->phone);
  EXPECT_NE(confidential_shown.at("reporter").at("phone"), *open_report.reporter->phone);
  EXPECT_EQ(operator_shown.at("reporter").at("phone"), *open_report.reporter->phone);
  EXPECT_EQ(disclosures(open_no), 1);
  EXPECT_EQ(disclosures(confidential_no), 1) << "the operator's reveal only";
}

}  // namespace
}  // namespace gridcase::testing
