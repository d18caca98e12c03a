// Reporter retention against a real PostgreSQL (docs/security.md, "Records a regulator will ask
// for"): the name and phone of a case closed longer ago than the retention are erased, each
// erasure recorded with actor `system`, and the event log still verifies.
#include "gridcase/service/reporter_retention.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <pqxx/pqxx>

#include "gridcase/storage/database.hpp"
#include "support/case_world.hpp"
#include "support/run_sync.hpp"
#include "support/test_database.hpp"

namespace gridcase::testing {
namespace {

using namespace std::chrono_literals;
using domain::CaseStatus;
using nlohmann::json;

class ReporterRetentionTest : public CaseWorldTest {
 protected:
  void SetUp() override {
    CaseWorldTest::SetUp();
    retention_ = std::make_unique<service::ReporterRetention>(*database_, *clock_,
                                                              service::RetentionOptions{30, 1000});
  }
  void TearDown() override {
    retention_.reset();
    CaseWorldTest::TearDown();
  }

  /// The stored reporter name and phone, "name|phone" ("" for NULL).
  std::string reporter_of(const std::string& case_no) {
    return query_scalar(url_,
                        "SELECT coalesce(reporter_name, '') || '|' || coalesce(reporter_phone, '') "
                        "FROM cases WHERE case_no = '" +
                            case_no + "'");
  }

  /// The erasure records of `case_no`, as "actor|before|after".
  std::vector<std::string> erasures_of(const std::string& case_no) {
    pqxx::connection connection{url_};
    pqxx::nontransaction tx{connection};
    std::vector<std::string> found;
    for (const pqxx::row& row : tx.exec_params(
             "SELECT actor || '|' || before::text || '|' || after::text FROM admin_audit "
             "WHERE action = 'reporter.erase' AND target = $1 ORDER BY id",
             case_no)) {
      found.push_back(row[0].as<std::string>());
    }
    return found;
  }

  std::unique_ptr<service::ReporterRetention> retention_;
};

/// The case numbers of CaseDistrict among `erased` (the database may hold other tests' cases).
std::vector<std::string> ours(const service::ErasureRun& run) {
  std::vector<std::string> found;
  for (const std::string& case_no : run.erased) {
    if (case_no.starts_with(std::string(CaseDistrict::kCode) + "-")) found.push_back(case_no);
  }
  return found;
}

TEST_F(ReporterRetentionTest, AnOldClosedCaseLosesItsReporterARecentOrOpenOneKeepsIt) {
  const domain::Timestamp start = clock_->now();
  const std::string old_case = receive(domain::Channel::kHotline12345);
  drive_to(old_case, CaseStatus::kClosed);
  const std::string open_case = receive(domain::Channel::kHotline12345);
  clock_->set(start + 20 * 24h);
  const std::string recent_case = receive(domain::Channel::kHotline12345);
  drive_to(recent_case, CaseStatus::kRejected);
  ASSERT_EQ(reporter_of(old_case), "张三|13812345678");

  clock_->set(start + 31 * 24h);  // the old case closed 31 days ago, the recent one 11
  const service::ErasureRun run = run_sync(retention_->erase_due());

  ASSERT_TRUE(run.ran);
  EXPECT_EQ(ours(run), std::vector<std::string>{old_case});
  EXPECT_EQ(reporter_of(old_case), "|");
  EXPECT_EQ(reporter_of(recent_case), "张三|13812345678");
  EXPECT_EQ(reporter_of(open_case), "张三|13812345678");
  // The answer no longer shows a reporter, to anyone.
  EXPECT_TRUE(get(old_case).at("reporter").is_null());

  const std::vector<std::string> records = erasures_of(old_case);
  ASSERT_EQ(records.size(), 1U);
  EXPECT_TRUE(records[0].starts_with("system|")) << records[0];
  EXPECT_NE(records[0].find(R"("name_kept": true)"), std::string::npos) << records[0];
  EXPECT_NE(records[0].find(R"("name_kept": false)"), std::string::npos) << records[0];
  EXPECT_EQ(records[0].find("张三"), std::string::npos) << "the erased name is in the log";
  EXPECT_EQ(records[0].find("13812345678"), std::string::npos) << "the erased phone is in the log";

  const storage::EventChainReport chain = storage::verify_event_chain(database_options(url_));
  EXPECT_FALSE(chain.broken_event.has_value()) << "broken at " << chain.broken_case_no;

  // Nothing is erased twice; the recent case's turn comes when its own retention runs out.
  EXPECT_TRUE(ours(run_sync(retention_->erase_due())).empty());
  clock_->set(start + 51 * 24h);
  EXPECT_EQ(ours(run_sync(retention_->erase_due())), std::vector<std::string>{recent_case});
  EXPECT_EQ(reporter_of(open_case), "张三|13812345678");
  EXPECT_EQ(erasures_of(old_case).size(), 1U);
}

TEST_F(ReporterRetentionTest, ACallbackOnAClosedCaseKeepsItsClosingTimeAndDoesNotPostponeErasure) {
  const domain::Timestamp start = clock_->now();
  const std::string closed = receive(domain::Channel::kHotline12345);
  drive_to(closed, CaseStatus::kClosed);
  const std::string closed_at_query =
      "SELECT closed_at::text FROM cases WHERE case_no = '" + closed + "'";
  const std::string closed_at = query_scalar(url_, closed_at_query);

  clock_->set(start + 20 * 24h);
  act(closed, domain::CaseAction::kCallback, callback_input("satisfied"), domain::Role::kOperator);
  EXPECT_EQ(query_scalar(url_, closed_at_query), closed_at) << "the callback moved closed_at";
  clock_->set(start + 31 * 24h);  // 31 days after the closing, 11 after the callback
  const service::ErasureRun run = run_sync(retention_->erase_due());

  const std::vector<std::string> erased = ours(run);
  EXPECT_NE(std::find(erased.begin(), erased.end(), closed), erased.end())
      << "the callback postponed the erasure";
  EXPECT_EQ(reporter_of(closed), "|");
}

TEST_F(ReporterRetentionTest, ARetentionOfZeroDaysKeepsReportersForEver) {
  const std::string closed = receive(domain::Channel::kHotline12345);
  drive_to(closed, CaseStatus::kRejected);
  service::ReporterRetention forever{*database_, *clock_, service::RetentionOptions{0, 1000}};
  clock_->set(clock_->now() + 10 * 365 * 24h);

  const service::ErasureRun run = run_sync(forever.erase_due());

  EXPECT_FALSE(run.ran);
  EXPECT_EQ(reporter_of(closed), "张三|13812345678");
}

}  // namespace
}  // namespace gridcase::testing
