#include "gridcase/domain/audit.hpp"

#include <gtest/gtest.h>

namespace gridcase::domain {
namespace {

using namespace std::chrono_literals;

TEST(AuditActionTest, NamesReadBackAsTheirAction) {
  for (AuditAction action : {AuditAction::kUserCreate, AuditAction::kTokenRevoke,
                             AuditAction::kGridImport, AuditAction::kReporterErase}) {
    EXPECT_EQ(parse_audit_action(to_string(action)), action) << to_string(action);
  }
  EXPECT_EQ(to_string(AuditAction::kCategoriesReplace), "categories.replace");
  EXPECT_FALSE(parse_audit_action("user.delete").has_value());
}

TEST(ReporterRetentionCutoffTest, CasesClosedBeforeTheRetentionDaysAreDue) {
  const Timestamp now{std::chrono::sys_days{std::chrono::year{2027} / 3 / 1}};

  EXPECT_EQ(reporters_closed_before(now, 30), now - 30 * 24h);
  EXPECT_EQ(reporters_closed_before(now, 1), now - 24h);
}

TEST(ReporterRetentionCutoffTest, ZeroDaysKeepsReportersForEver) {
  EXPECT_FALSE(reporters_closed_before(Timestamp{}, 0).has_value());
}

}  // namespace
}  // namespace gridcase::domain
