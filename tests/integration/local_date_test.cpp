// "Today" is the district's local date (sql/009_local_date.sql): the work calendar's offset, not
// the UTC date of the sessions. Runs in one transaction that is rolled back.
#include <gtest/gtest.h>

#include <algorithm>
#include <nlohmann/json.hpp>
#include <pqxx/pqxx>

#include "case_world.hpp"
#include "embedded_queries.hpp"
#include "test_database.hpp"

namespace gridcase::testing {
namespace {

using nlohmann::json;

class LocalDateTest : public CaseWorldTest {};

TEST_F(LocalDateTest, ADutyBelongsToItsOfficerOnTheDistrictsLocalDayNotTheUtcDay) {
  pqxx::connection connection{test_database_url()};
  pqxx::work tx{connection};
  tx.exec0("SET LOCAL TIME ZONE 'UTC'");  // as gridcase's sessions
  // An offset that makes the local date differ from the UTC date right now.
  const int utc_hour =
      tx.exec1("SELECT extract(hour FROM now() AT TIME ZONE 'UTC')::int")[0].as<int>();
  const int offset = utc_hour >= 10 ? 840 : -720;
  tx.exec_params0(
      "INSERT INTO work_calendar (id, utc_offset_minutes) VALUES (1, $1) "
      "ON CONFLICT (id) DO UPDATE SET utc_offset_minutes = $1",
      offset);
  const std::string local =
      tx.exec_params1("SELECT ((now() AT TIME ZONE 'UTC') + make_interval(mins => $1))::date::text",
                      offset)[0]
          .as<std::string>();
  const std::string utc =
      tx.exec1("SELECT (now() AT TIME ZONE 'UTC')::date::text")[0].as<std::string>();
  ASSERT_NE(local, utc);
  EXPECT_EQ(tx.exec1("SELECT gridcase_today()::text")[0].as<std::string>(), local);
  EXPECT_EQ(tx.exec1("SELECT count(*) FROM pg_proc WHERE proname LIKE 'gridcase\\_%' AND prosrc "
                     "ILIKE '%current_date%'")[0]
                .as<int>(),
            0)
      << "a gridcase function still reads the session's date";

  // Sanitation in the cell: one officer for exactly the local day, another whose duty ended
  // when it began.
  tx.exec_params0("DELETE FROM officer_cells WHERE cell_code = $1 AND duty = 'sanitation'",
                  CaseDistrict::kCell);
  tx.exec0(
      "INSERT INTO officers (code, name) VALUES ('today-officer', '今日'), ('yesterday-officer', "
      "'昨日')");
  tx.exec_params0(
      "INSERT INTO officer_cells (officer_id, duty, cell_code, valid_from, valid_to) "
      "SELECT id, 'sanitation', $1, $2::date, $2::date + 1 FROM officers WHERE code = "
      "'today-officer' "
      "UNION ALL "
      "SELECT id, 'sanitation', $1, $2::date - 1, $2::date FROM officers WHERE code = "
      "'yesterday-officer'",
      CaseDistrict::kCell, local);

  const domain::Point point = CaseDistrict::in_cell();
  const json located =
      json::parse(tx.exec_params1(std::string{storage::queries::k_locate}, point.lon, point.lat,
                                  "district", static_cast<const char*>(nullptr))[0]
                      .as<std::string>());
  std::vector<std::string> sanitation;
  for (const json& officer : located.at("officers")) {
    if (officer.at("duty") == "sanitation") sanitation.push_back(officer.at("code"));
  }
  EXPECT_EQ(sanitation, std::vector<std::string>{"today-officer"}) << located.dump();
  // A new assignment starts today by default, in local terms.
  EXPECT_EQ(tx.exec1("SELECT (SELECT column_default FROM information_schema.columns "
                     "WHERE table_name = 'officer_cells' AND column_name = 'valid_from')")[0]
                .as<std::string>(),
            "gridcase_today()");
}

// An officer's duty counts from its first day, and only while the officer is active
// (gridcase_in_force, sql/010_in_force.sql): in the case document, the officer scope, locate
// and the officer list alike.
TEST_F(LocalDateTest, ADutyCountsFromItsFirstDayAndOnlyForAnActiveOfficer) {
  const std::string case_no = receive(domain::Channel::kPatrol);
  pqxx::connection connection{test_database_url()};
  pqxx::work tx{connection};
  tx.exec0("SET LOCAL TIME ZONE 'UTC'");
  tx.exec_params0(
      "DELETE FROM officer_cells WHERE cell_code = $1 AND duty IN ('grid_officer', 'road_chief')",
      CaseDistrict::kCell);
  tx.exec0("INSERT INTO officers (code, name) VALUES ('tomorrow-officer', '明日')");
  tx.exec0("INSERT INTO officers (code, name, active) VALUES ('retired-officer', '离任', false)");
  tx.exec_params0(
      "INSERT INTO officer_cells (officer_id, duty, cell_code, valid_from) "
      "SELECT id, 'grid_officer', $1, gridcase_today() + 1 FROM officers WHERE code = "
      "'tomorrow-officer' "
      "UNION ALL SELECT id, 'road_chief', $1, gridcase_today() FROM officers WHERE code = "
      "'retired-officer'",
      CaseDistrict::kCell);

  const auto document = [&] {
    return json::parse(
        tx.exec_params1(
              "SELECT gridcase_case_json(c, true, 'district', NULL, NULL)::text FROM cases c "
              "WHERE case_no = $1",
              case_no)[0]
            .as<std::string>());
  };
  const auto in_officer_scope = [&](const char* officer) {
    return tx
        .exec_params1(
            "SELECT gridcase_in_scope(grid_path, unit_code, cell_code, 'officer', $2) "
            "FROM cases WHERE case_no = $1",
            case_no, officer)[0]
        .as<bool>();
  };
  const auto located_officers = [&] {
    const domain::Point point = CaseDistrict::in_cell();
    std::vector<std::string> codes;
    const json located =
        json::parse(tx.exec_params1(std::string{storage::queries::k_locate}, point.lon, point.lat,
                                    "district", static_cast<const char*>(nullptr))[0]
                        .as<std::string>());
    for (const json& officer : located.at("officers")) codes.push_back(officer.at("code"));
    return codes;
  };
  const auto listed = [&](const char* officer) {
    const json list =
        json::parse(tx.exec_params1(std::string{storage::queries::k_list_officers},
                                    CaseDistrict::kCell, static_cast<const char*>(nullptr), 100,
                                    "district", static_cast<const char*>(nullptr))[0]
                        .as<std::string>());
    return list.dump().find(officer) != std::string::npos;
  };

  json found = document();
  EXPECT_TRUE(found.at("grid_officer").is_null())
      << "a duty starting tomorrow is nobody's today: " << found.dump();
  EXPECT_TRUE(found.at("road_chief").is_null())
      << "an inactive officer holds no duty: " << found.dump();
  EXPECT_FALSE(in_officer_scope("tomorrow-officer"));
  EXPECT_FALSE(in_officer_scope("retired-officer"));
  EXPECT_TRUE(std::ranges::none_of(located_officers(), [](const std::string& code) {
    return code == "tomorrow-officer" || code == "retired-officer";
  }));
  EXPECT_FALSE(listed("tomorrow-officer"));
  EXPECT_FALSE(listed("retired-officer"));

  // The same rows once in force: the checks above can see them.
  tx.exec0(
      "UPDATE officer_cells SET valid_from = gridcase_today() WHERE officer_id = "
      "(SELECT id FROM officers WHERE code = 'tomorrow-officer')");
  tx.exec0("UPDATE officers SET active = true WHERE code = 'retired-officer'");
  found = document();
  EXPECT_EQ(found.at("grid_officer").value("code", ""), "tomorrow-officer") << found.dump();
  EXPECT_EQ(found.at("road_chief").value("code", ""), "retired-officer") << found.dump();
  EXPECT_TRUE(in_officer_scope("tomorrow-officer"));
  EXPECT_TRUE(in_officer_scope("retired-officer"));
  EXPECT_EQ(std::ranges::count(located_officers(), std::string{"tomorrow-officer"}), 1);
  EXPECT_TRUE(listed("tomorrow-officer"));
  EXPECT_TRUE(listed("retired-officer"));

  // One home for the predicate: no other gridcase function writes it out.
  EXPECT_EQ(tx.exec1("SELECT count(*) FROM pg_proc WHERE proname LIKE 'gridcase\\_%' "
                     "AND proname NOT IN ('gridcase_in_force', 'gridcase_not_ended') AND prosrc ~* "
                     "'valid_(from|to)\\s*[<>]'")[0]
                .as<int>(),
            0);
}

}  // namespace
}  // namespace gridcase::testing
