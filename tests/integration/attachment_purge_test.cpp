// Uploads nobody named are purged (docs/attachments.md, "Purge"): after
// attachments.unattached_retention_hours the attachment goes, and with it the image no upload
// refers to any more; a newer upload of the same bytes keeps the image.
#include <gtest/gtest.h>

#include "gridcase/imaging/vips_image_processor.hpp"
#include "gridcase/service/attachment_service.hpp"
#include "support/case_world.hpp"
#include "support/run_sync.hpp"
#include "support/test_database.hpp"
#include "support/test_images.hpp"

namespace gridcase::testing {
namespace {

using namespace std::chrono_literals;

/// A small PNG of its own per `seed`, so runs on the same database never share an image.
std::string png(int seed) { return encoded_image(32 + seed % 97, 24, ".png"); }

class AttachmentPurgeTest : public CaseWorldTest {
 protected:
  void SetUp() override {
    CaseWorldTest::SetUp();
    attachments_ = std::make_unique<service::AttachmentService>(*database_, *clock_, processor_,
                                                                service::AttachmentOptions{});
  }
  void TearDown() override {
    attachments_.reset();
    CaseWorldTest::TearDown();
  }

  static domain::Actor uploader() {
    domain::Actor actor;
    actor.id = "purge-test";
    actor.roles = domain::RoleSet{domain::Role::kOperator};
    return actor;
  }
  long long rows(const std::string& table, const std::string& where) {
    return std::stoll(query_scalar(url_, "SELECT count(*) FROM " + table + " WHERE " + where));
  }

  imaging::VipsImageProcessor processor_;
  std::unique_ptr<service::AttachmentService> attachments_;
};

TEST_F(AttachmentPurgeTest, AnUploadNobodyNamedGoesAfterTheRetentionWithItsImage) {
  const std::string bytes = png(static_cast<int>(clock_->now().time_since_epoch().count() % 1000));
  const service::AttachmentRecord old = run_sync(attachments_->upload(bytes, uploader()));
  const std::string image = "sha256 = decode('" + old.sha256_hex + "', 'hex')";
  clock_->advance(23h);
  const service::AttachmentRecord newer = run_sync(attachments_->upload(bytes, uploader()));
  EXPECT_EQ(newer.sha256_hex, old.sha256_hex);
  clock_->advance(2h);  // the first is 25 h old, the second 2 h

  EXPECT_GE(run_sync(attachments_->purge_unattached()), 1);
  EXPECT_EQ(rows("attachments", "id = '" + old.id + "'"), 0);
  EXPECT_EQ(rows("attachments", "id = '" + newer.id + "'"), 1);
  EXPECT_EQ(rows("attachment_images", image), 1);

  clock_->advance(24h);
  run_sync(attachments_->purge_unattached());
  EXPECT_EQ(rows("attachments", "id = '" + newer.id + "'"), 0);
  EXPECT_EQ(rows("attachment_images", image), 0);
}

}  // namespace
}  // namespace gridcase::testing
