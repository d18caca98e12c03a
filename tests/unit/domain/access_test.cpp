#include "gridcase/domain/access.hpp"

#include <gtest/gtest.h>

#include "error_of.hpp"

namespace gridcase::domain {
namespace {

using namespace std::chrono_literals;

std::vector<std::string> problems_of(const UserSpec& user) {
  try {
    require_valid(user);
  } catch (const Error& error) {
    std::vector<std::string> fields;
    for (const FieldError& field : error.details().fields) fields.push_back(field.field);
    return fields;
  }
  return {};
}

UserSpec user(RoleSet roles, Scope scope = {}) {
  return UserSpec{"wang.li", "王丽", roles, std::move(scope), {}, true};
}

TEST(ScopeTest, FormatsAndParsesEveryKind) {
  for (const Scope& scope :
       {Scope{}, Scope{ScopeKind::kGrid, "150203004"},
        Scope{ScopeKind::kUnit, "150203004-enforcement"}, Scope{ScopeKind::kOfficer, "KDL0001"}}) {
    EXPECT_EQ(parse_scope(format_scope(scope)), scope) << format_scope(scope);
  }
  EXPECT_EQ(format_scope(Scope{ScopeKind::kGrid, "150203004"}), "grid:150203004");
}

TEST(ScopeTest, AnythingElseIsNoScope) {
  for (const char* text : {"", "District", "grid", "grid:", "street:150203004", "grid:15 02",
                           "unit:a/b", "district:150203"}) {
    EXPECT_FALSE(parse_scope(text).has_value()) << text;
  }
}

TEST(ReporterAccessTest, OperatorsSeeAllAdminsAllButConfidentialOthersNothing) {
  EXPECT_EQ(reporter_access(RoleSet{Role::kOperator}), ReporterAccess::kFull);
  EXPECT_EQ(reporter_access(RoleSet{Role::kOperator, Role::kAdmin}), ReporterAccess::kFull);
  EXPECT_EQ(reporter_access(RoleSet{Role::kAdmin}), ReporterAccess::kUnlessConfidential);
  for (Role role : {Role::kShiftLeader, Role::kDispatcher, Role::kUnit, Role::kOfficer,
                    Role::kSupervisor, Role::kIntegration}) {
    EXPECT_EQ(reporter_access(RoleSet{role}), ReporterAccess::kMasked) << to_string(role);
  }
}

TEST(ActingRoleTest, TheFirstHeldRoleTheTableAllows) {
  const RoleSet both{Role::kOperator, Role::kShiftLeader};
  EXPECT_EQ(acting_role(both, CaseStatus::kReceived, CaseAction::kRegister), Role::kShiftLeader);
  EXPECT_EQ(acting_role(both, CaseStatus::kReceived, CaseAction::kReject), Role::kOperator);
  EXPECT_EQ(acting_role(both, CaseStatus::kRegistered, CaseAction::kReject), Role::kShiftLeader);
  EXPECT_EQ(acting_role(both, CaseStatus::kRegistered, CaseAction::kDispatch), std::nullopt);
  EXPECT_EQ(acting_role(RoleSet{Role::kIntegration}, std::nullopt, CaseAction::kReceive),
            Role::kIntegration);
}

TEST(ReceiveChannelTest, AnIntegrationOnlyOnItsChannelsEveryoneElseAnywhere) {
  Actor hotline{"hotline", RoleSet{Role::kIntegration}, Role::kIntegration};
  hotline.channels = {Channel::kHotline12345};
  const Actor op{"op", RoleSet{Role::kOperator}, Role::kOperator};

  EXPECT_TRUE(may_receive_on(hotline, Channel::kHotline12345));
  EXPECT_FALSE(may_receive_on(hotline, Channel::kWeb));
  EXPECT_TRUE(may_receive_on(op, Channel::kWeb));
}

TEST(ConfineReadTest, AGridScopeNarrowsToItsSubtreeAndHidesTheRest) {
  const Scope street{ScopeKind::kGrid, "150203004"};
  EXPECT_EQ(confine_read(street, std::nullopt).grid, "150203004");
  EXPECT_EQ(confine_read(street, "150203004007").grid, "150203004007");
  EXPECT_EQ(confine_read(street, "150203004").grid, "150203004");
  try {
    confine_read(street, "150203005");
    FAIL() << "another street must read as absent";
  } catch (const Error& error) {
    EXPECT_EQ(error.code(), ErrorCode::kNotFound);
  }
  EXPECT_THROW(confine_read(street, "not-a-code"), Error);
}

TEST(ConfineReadTest, DistrictUnitAndOfficerScopes) {
  const ReadConfinement district = confine_read(Scope{}, "150203005");
  EXPECT_EQ(district.grid, "150203005");
  EXPECT_FALSE(district.unit || district.officer);
  EXPECT_FALSE(confine_read(Scope{}, std::nullopt).grid);
  const ReadConfinement unit =
      confine_read(Scope{ScopeKind::kUnit, "150203004-enforcement"}, "150203005");
  EXPECT_EQ(unit.unit, "150203004-enforcement");
  EXPECT_EQ(unit.grid, "150203005");  // narrows further; the unit's cases still bound it
  const ReadConfinement officer = confine_read(Scope{ScopeKind::kOfficer, "KDL0001"}, std::nullopt);
  EXPECT_EQ(officer.officer, "KDL0001");
  EXPECT_FALSE(officer.grid);
}

TEST(UserSpecTest, EveryRoleHasAScopeThatFitsIt) {
  EXPECT_TRUE(problems_of(user(RoleSet{Role::kOperator, Role::kShiftLeader})).empty());
  EXPECT_TRUE(
      problems_of(user(RoleSet{Role::kSupervisor}, Scope{ScopeKind::kGrid, "150203004"})).empty());
  EXPECT_TRUE(
      problems_of(user(RoleSet{Role::kUnit}, Scope{ScopeKind::kUnit, "150203004-enforcement"}))
          .empty());
  EXPECT_TRUE(
      problems_of(user(RoleSet{Role::kOfficer}, Scope{ScopeKind::kOfficer, "KDL0001"})).empty());
  EXPECT_EQ(problems_of(user(RoleSet{Role::kUnit})), std::vector<std::string>{"scope"});
  EXPECT_EQ(problems_of(user(RoleSet{Role::kOfficer})), std::vector<std::string>{"scope"});
  EXPECT_EQ(problems_of(user(RoleSet{Role::kAdmin}, Scope{ScopeKind::kGrid, "150203004"})),
            std::vector<std::string>{"scope"});
  EXPECT_EQ(problems_of(user(RoleSet{Role::kSupervisor}, Scope{ScopeKind::kGrid, "1502"})),
            std::vector<std::string>{"scope"});
  EXPECT_EQ(
      problems_of(user(RoleSet{Role::kUnit, Role::kDispatcher}, Scope{ScopeKind::kUnit, "u"})),
      std::vector<std::string>{"scope"});
}

TEST(UserSpecTest, AnIntegrationIsAloneInItsRolesAndNamesItsChannels) {
  UserSpec integration = user(RoleSet{Role::kIntegration});
  EXPECT_EQ(problems_of(integration), std::vector<std::string>{"channels"});
  integration.channels = {Channel::kHotline12319};
  EXPECT_TRUE(problems_of(integration).empty());
  integration.roles.insert(Role::kOperator);
  EXPECT_EQ(problems_of(integration), std::vector<std::string>{"roles"});
  UserSpec person = user(RoleSet{Role::kOperator});
  person.channels = {Channel::kWeb};
  EXPECT_EQ(problems_of(person), std::vector<std::string>{"channels"});
}

TEST(UserSpecTest, NamesAreChecked) {
  for (const char* name : {"", "Wang", "-x", "a b", "王丽", "x\n"}) {
    UserSpec bad = user(RoleSet{Role::kOperator});
    bad.username = name;
    EXPECT_EQ(problems_of(bad), std::vector<std::string>{"username"}) << name;
  }
  UserSpec bad = user(RoleSet{Role::kOperator});
  bad.display_name = "a\tb";
  EXPECT_EQ(problems_of(bad), std::vector<std::string>{"display_name"});
  // 1 to 100 characters, as the users table's CHECK counts them (not bytes).
  std::string hundred;
  for (int i = 0; i < 100; ++i) hundred += "王";
  bad.display_name = hundred;  // 300 bytes
  EXPECT_TRUE(problems_of(bad).empty());
  bad.display_name = std::string(101, 'a');  // 101 bytes, one character too many
  EXPECT_EQ(problems_of(bad), std::vector<std::string>{"display_name"});
  bad.display_name = hundred + "a";
  EXPECT_EQ(problems_of(bad), std::vector<std::string>{"display_name"});
  bad.display_name = "";
  EXPECT_EQ(problems_of(bad), std::vector<std::string>{"display_name"});
  EXPECT_EQ(problems_of(user(RoleSet{})), std::vector<std::string>{"roles"});
}

TEST(SingleLineTextTest, ControlCharactersAndDelAreRefusedUnicodeIsNot) {
  EXPECT_TRUE(is_single_line_text("热线 12345 gateway \u202e"));
  EXPECT_FALSE(is_single_line_text(std::string("a\0b", 3)));
  EXPECT_FALSE(is_single_line_text("a\tb"));
  EXPECT_FALSE(is_single_line_text("a\x7f"));
  EXPECT_FALSE(
      is_single_line_text("a\xC2\x85"
                          "b"))
      << "NEL, a C1 control";
  EXPECT_FALSE(is_single_line_text("a\xC2\x9F"));
  EXPECT_TRUE(
      is_single_line_text("a\xC2\xA0"
                          "b"))
      << "no-break space is no control";
}

TEST(PasswordQualityTest, TenTo256BytesNotOneCharacterRepeated) {
  EXPECT_NO_THROW(require_password_quality("correct horse"));
  EXPECT_THROW(require_password_quality("short"), Error);
  EXPECT_THROW(require_password_quality(std::string(257, 'a') + "b"), Error);
  EXPECT_THROW(require_password_quality("aaaaaaaaaaaa"), Error);
}

TEST(ReservedUsernameTest, SystemAndCliAreReservedInAnyCase) {
  EXPECT_TRUE(is_reserved_username("system"));
  EXPECT_TRUE(is_reserved_username("cli"));
  EXPECT_TRUE(is_reserved_username("SYSTEM"));
  EXPECT_TRUE(is_reserved_username("Cli"));
  EXPECT_FALSE(is_reserved_username("systems"));
  EXPECT_FALSE(is_reserved_username("cli2"));
  EXPECT_FALSE(is_reserved_username("operator"));
  EXPECT_THROW(require_unreserved_username("system"), Error);
  EXPECT_EQ(command_line_actor().id, kCommandLineActorName);
}

TEST(LoginUsernameTest, ALoginNamesAtMost64Bytes) {
  EXPECT_NO_THROW(require_login_username_length(std::string(64, 'a')));
  EXPECT_NO_THROW(require_login_username_length("Not A Username"));
  EXPECT_THROW(require_login_username_length(std::string(65, 'a')), Error);
  EXPECT_FALSE(is_username(std::string(65, 'a')));
}

TEST(DistrictAdminTest, OnlyADistrictWideAdminPasses) {
  EXPECT_NO_THROW(require_district_admin(command_line_actor(), "x"));
  Actor confined = command_line_actor();
  confined.scope = Scope{ScopeKind::kGrid, "150203004"};
  EXPECT_THROW(require_district_admin(confined, "x"), Error);
  EXPECT_THROW(require_district_admin(Actor{"op", RoleSet{Role::kOperator}, Role::kOperator}, "x"),
               Error);
}

TEST(SendToUnitTest, AConfinedDispatcherSendsOnlyToUnitsWhoseScopeHoldsTheCell) {
  Actor street{"d4", RoleSet{Role::kDispatcher}, Role::kDispatcher};
  street.scope = Scope{ScopeKind::kGrid, "150203004"};
  const std::optional<std::string> cell = "150203004007017";

  EXPECT_TRUE(may_send_to_unit(street, "150203004", cell));
  EXPECT_TRUE(may_send_to_unit(street, "150203004007", cell));
  EXPECT_TRUE(may_send_to_unit(street, "150203", cell));  // district-wide units always qualify
  EXPECT_FALSE(may_send_to_unit(street, "150203005", cell));
  EXPECT_FALSE(may_send_to_unit(street, "150203004008", cell));
  EXPECT_TRUE(may_send_to_unit(street, "150203", std::nullopt));
  EXPECT_FALSE(may_send_to_unit(street, "150203004", std::nullopt));
}

TEST(SendToUnitTest, ADistrictWideDispatcherChoosesAnyUnit) {
  const Actor district{"d", RoleSet{Role::kDispatcher}, Role::kDispatcher};

  EXPECT_TRUE(may_send_to_unit(district, "150203005", "150203004007017"));
}

TEST(CaseConfinementTest, AnIntegrationNamesOnlyTheCasesItSubmitted) {
  Actor hotline{"hotline", RoleSet{Role::kIntegration}, Role::kIntegration};
  Actor street{"s4", RoleSet{Role::kSupervisor}, Role::kSupervisor};
  street.scope = Scope{ScopeKind::kGrid, "150203004"};

  EXPECT_EQ(case_confinement(hotline).received_by, "hotline");
  EXPECT_EQ(case_confinement(hotline).scope, Scope{});
  EXPECT_FALSE(case_confinement(street).received_by);
  EXPECT_EQ(case_confinement(street).scope, street.scope);
}

TEST(GridReaderTest, AnIntegrationReadsNoneOfTheGridEveryoneElseDoes) {
  const Actor hotline{"hotline", RoleSet{Role::kIntegration}, Role::kIntegration};
  const Actor unit{"u", RoleSet{Role::kUnit}, Role::kUnit};

  try {
    require_grid_reader(hotline);
    FAIL() << "an integration read the grid";
  } catch (const Error& error) {
    EXPECT_EQ(error.code(), ErrorCode::kForbidden);
  }
  EXPECT_NO_THROW(require_grid_reader(unit));
}

TEST(PlacingTest, OnlyADistrictWideCallerPlacesCasesAnywhere) {
  Actor op{"op", RoleSet{Role::kOperator}, Role::kOperator};
  EXPECT_FALSE(places_only_in_scope(op));
  op.scope = Scope{ScopeKind::kGrid, "150203004"};
  EXPECT_TRUE(places_only_in_scope(op));
  const Error error = gridcase::testing::error_of([] { refuse_point_outside_scope(); });
  EXPECT_EQ(error.code(), ErrorCode::kInvalidValue);
  ASSERT_EQ(error.details().fields.size(), 1U);
  EXPECT_EQ(error.details().fields[0].field, "lon");
}

}  // namespace
}  // namespace gridcase::domain
