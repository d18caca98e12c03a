// The case event log: append-only by the database itself, hash-chained per case, and verified by
// storage::verify_event_chain (gridcase verify-events) — sql/006_event_chain.sql.
#include <gtest/gtest.h>

#include <pqxx/pqxx>

#include "gridcase/storage/database.hpp"
#include "support/case_world.hpp"
#include "support/test_database.hpp"

namespace gridcase::testing {
namespace {

using domain::CaseAction;
using domain::Role;

class EventChainTest : public CaseWorldTest {
 protected:
  std::vector<long long> event_ids(const std::string& case_no) {
    pqxx::connection connection{url_};
    pqxx::nontransaction tx{connection};
    std::vector<long long> ids;
    for (const pqxx::row& row :
         tx.exec_params("SELECT e.id FROM case_events e JOIN cases c ON c.id = e.case_id WHERE "
                        "c.case_no = $1 ORDER BY e.id",
                        case_no)) {
      ids.push_back(row[0].as<long long>());
    }
    return ids;
  }

  /// Runs `sql` as the application would; returns the error PostgreSQL gave, or "" when it ran.
  std::string refusal_of(const std::string& sql) {
    try {
      pqxx::connection connection{url_};
      pqxx::work tx{connection};
      tx.exec0(sql);
      tx.commit();
    } catch (const std::exception& error) {
      return error.what();
    }
    return "";
  }

  /// Edits an event behind the application's back, as someone with the files or a dump could.
  void tamper(const std::string& sql) {
    pqxx::connection connection{url_};
    pqxx::work tx{connection};
    tx.exec0("SET LOCAL session_replication_role = replica");
    tx.exec0(sql);
    tx.commit();
  }

  std::string driven_case() {
    const std::string case_no = receive(domain::Channel::kWeb);
    act(case_no, CaseAction::kRegister, register_input(), Role::kShiftLeader);
    act(case_no, CaseAction::kDispatch, unit_input(), Role::kDispatcher);
    return case_no;
  }
};

TEST_F(EventChainTest, AnUntouchedLogVerifies) {
  driven_case();
  driven_case();

  const storage::EventChainReport report = storage::verify_event_chain(database_options(url_));

  EXPECT_FALSE(report.broken_event.has_value())
      << report.broken_case_no << " " << *report.broken_event;
  EXPECT_GE(report.events_checked, 6);
}

TEST_F(EventChainTest, TheDatabaseRefusesToChangeOrRemoveAnEvent) {
  const std::string case_no = driven_case();
  const long long first = event_ids(case_no).front();

  EXPECT_NE(refusal_of("UPDATE case_events SET note = 'x' WHERE id = " + std::to_string(first))
                .find("append-only"),
            std::string::npos);
  EXPECT_NE(
      refusal_of("DELETE FROM case_events WHERE id = " + std::to_string(first)).find("append-only"),
      std::string::npos);
  EXPECT_NE(refusal_of("TRUNCATE case_events CASCADE").find("append-only"), std::string::npos);
  EXPECT_EQ(event_ids(case_no).size(), 3U);
}

TEST_F(EventChainTest, AFlippedByteIsFoundAtTheEventItWasFlippedIn) {
  const std::string other = driven_case();
  const std::string case_no = driven_case();
  const std::vector<long long> ids = event_ids(case_no);
  ASSERT_EQ(ids.size(), 3U);

  // One byte of the register event's actor: "it-case-shift_leader" → "it-case-shift_leadex".
  tamper(
      "UPDATE case_events SET actor = overlay(actor PLACING 'x' FROM char_length(actor)) WHERE id "
      "= " +
      std::to_string(ids[1]));
  const storage::EventChainReport report = storage::verify_event_chain(database_options(url_));

  ASSERT_TRUE(report.broken_event.has_value());
  EXPECT_EQ(*report.broken_event, ids[1]);
  EXPECT_EQ(report.broken_case_no, case_no);
  EXPECT_NE(other, case_no);
}

TEST_F(EventChainTest, RewritingAHashToMatchBreaksTheNextEvent) {
  const std::string case_no = driven_case();
  const std::vector<long long> ids = event_ids(case_no);
  ASSERT_EQ(ids.size(), 3U);

  // A careful forger recomputes the edited event's own hash; the next event still points at the old
  // one.
  tamper("UPDATE case_events SET note = 'forged' WHERE id = " + std::to_string(ids[1]));
  tamper(
      "UPDATE case_events e SET hash = gridcase_event_digest("
      "(SELECT p.hash FROM case_events p WHERE p.case_id = e.case_id AND p.id < e.id ORDER BY p.id "
      "DESC LIMIT 1), e) "
      "WHERE e.id = " +
      std::to_string(ids[1]));
  const storage::EventChainReport report = storage::verify_event_chain(database_options(url_));

  ASSERT_TRUE(report.broken_event.has_value());
  EXPECT_EQ(*report.broken_event, ids[2]);
}

}  // namespace
}  // namespace gridcase::testing
