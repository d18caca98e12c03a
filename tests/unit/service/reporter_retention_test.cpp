#include "gridcase/service/reporter_retention.hpp"

#include <gtest/gtest.h>

#include "fixed_clock.hpp"
#include "in_memory_repositories.hpp"
#include "inline_transaction_runner.hpp"
#include "run_sync.hpp"

namespace gridcase::service {
namespace {

using namespace std::chrono_literals;
using domain::Timestamp;

const Timestamp kNow = Timestamp{std::chrono::sys_days{std::chrono::year{2027} / 3 / 1} + 2h};

class ReporterRetentionRunTest : public ::testing::Test {
 protected:
  ErasureRun erase(int days = 30) {
    ReporterRetention retention{transactions, clock, RetentionOptions{days, 2}};
    return testing::run_sync(retention.erase_due());
  }

  testing::FixedClock clock{kNow};
  testing::InMemoryRepositories store{clock};
  testing::InlineTransactionRunner transactions{store};
};

TEST_F(ReporterRetentionRunTest, ErasesTheCasesDueAndRecordsEachAsTheSystemInTheSameTransaction) {
  store.retention.due = {"150203-20270101-000001", "150203-20270101-000002", "150203-20270101-3"};

  const ErasureRun run = erase();

  ASSERT_TRUE(run.ran);
  EXPECT_EQ(store.retention.asked_before, std::vector<Timestamp>{kNow - 30 * 24h});
  const std::vector<std::string> batch{"150203-20270101-000001", "150203-20270101-000002"};
  EXPECT_EQ(run.erased, batch);  // the batch limit
  EXPECT_EQ(store.retention.erased, batch);
  ASSERT_EQ(store.audit.records.size(), 2U);
  for (std::size_t i = 0; i < batch.size(); ++i) {
    const AuditRecord& record = store.audit.records[i];
    EXPECT_EQ(record.actor, "system");
    EXPECT_EQ(record.action, domain::AuditAction::kReporterErase);
    EXPECT_EQ(record.target, batch[i]);
    EXPECT_NE(record.before->text.find(batch[i]), std::string::npos) << record.before->text;
    EXPECT_NE(record.after->text.find(batch[i]), std::string::npos) << record.after->text;
  }
  EXPECT_EQ(transactions.transactions, 1);
}

TEST_F(ReporterRetentionRunTest, DoesNothingWhileAnotherProcessHoldsTheLock) {
  store.retention.lock_free = false;
  store.retention.due = {"150203-20270101-000001"};

  const ErasureRun run = erase();

  EXPECT_FALSE(run.ran);
  EXPECT_TRUE(store.retention.erased.empty());
  EXPECT_TRUE(store.audit.records.empty());
}

TEST_F(ReporterRetentionRunTest, ZeroDaysNeitherLooksNorErases) {
  store.retention.due = {"150203-20270101-000001"};

  const ErasureRun run = erase(0);

  EXPECT_FALSE(run.ran);
  EXPECT_TRUE(store.retention.asked_before.empty());
  EXPECT_TRUE(store.retention.erased.empty());
  EXPECT_EQ(transactions.transactions, 0);
}

}  // namespace
}  // namespace gridcase::service
