// "Today" is the district's local date (sql/009_local_date.sql): the work calendar's offset, not
// the UTC date of the sessions. Runs in one transaction that is rolled back.
#include <gtest/gtest.h>

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
  const int utc_hour = tx.exec1("SELECT extract(hour FROM now() AT TIME ZONE 'UTC')::int")[0].as<int>();
  const int offset = utc_hour >= 10 ? 840 : -720;
  tx.exec_params0(
      "INSERT INTO work_calendar (id, utc_offset_minutes) VALUES (1, $1) "
      "ON CONFLICT (id) DO UPDATE SET utc_offset_minutes = $1",
      offset);
  const std::string local = tx.exec_params1("SELECT ((now() AT TIME ZONE 'UTC') + make_interval(mins => $1))::date::text",
                                            offset)[0]
                                .as<std::string>();
  const std::string utc = tx.exec1("SELECT (now() AT TIME ZONE 'UTC')::date::text")[0].as<std::string>();
  ASSERT_NE(local, utc);
  EXPECT_EQ(tx.exec1("SELECT gridcase_today()::text")[0].as<std::string>(), local);
  EXPECT_EQ(tx.exec1("SELECT count(*) FROM pg_proc WHERE proname LIKE 'gridcase\\_%' AND prosrc ILIKE '%current_date%'")[0]
                .as<int>(),
            0)
      << "a gridcase function still reads the session's date";

  // Sanitation in the cell: one officer for exactly the local day, another whose duty ended
  // when it began.
  tx.exec_params0("DELETE FROM officer_cells WHERE cell_code = $1 AND duty = 'sanitation'", CaseDistrict::kCell);
  tx.exec0("INSERT INTO officers (code, name) VALUES ('today-officer', '今日'), ('yesterday-officer', '昨日')");
  tx.exec_params0(
      "INSERT INTO officer_cells (officer_id, duty, cell_code, valid_from, valid_to) "
      "SELECT id, 'sanitation', $1, $2::date, $2::date + 1 FROM officers WHERE code = 'today-officer' "
      "UNION ALL "
      "SELECT id, 'sanitation', $1, $2::date - 1, $2::date FROM officers WHERE code = 'yesterday-officer'",
      CaseDistrict::kCell, local);

  const domain::Point point = CaseDistrict::in_cell();
  const json located =
      json::parse(tx.exec_params1(std::string{storage::queries::k_locate}, point.lon, point.lat)[0].as<std::string>());
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

}  // namespace
}  // namespace gridcase::testing
