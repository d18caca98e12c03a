#include "gridcase/domain/attachment.hpp"

#include <algorithm>
#include <array>

#include "gridcase/domain/access.hpp"
#include "gridcase/domain/error.hpp"

namespace gridcase::domain {
namespace {

constexpr std::array kPhotoActions{CaseAction::kVerify, CaseAction::kComplete, CaseAction::kCheck};

}  // namespace

std::string_view to_string(PhotoSize size) {
  switch (size) {
    case PhotoSize::kFull:
      return "full";
    case PhotoSize::kScreen:
      return "screen";
    case PhotoSize::kThumbnail:
      return "thumbnail";
  }
  return "full";
}

std::optional<PhotoSize> parse_photo_size(std::string_view text) {
  for (PhotoSize size : {PhotoSize::kFull, PhotoSize::kScreen, PhotoSize::kThumbnail}) {
    if (to_string(size) == text) return size;
  }
  return std::nullopt;
}

bool is_attachment_id(std::string_view text) {
  constexpr std::size_t kLength = 36;
  if (text.size() != kLength) return false;
  for (std::size_t i = 0; i < kLength; ++i) {
    const char at = text[i];
    if (i == 8 || i == 13 || i == 18 || i == 23) {
      if (at != '-') return false;
    } else if (!((at >= '0' && at <= '9') || (at >= 'a' && at <= 'f'))) {
      return false;
    }
  }
  return true;
}

std::optional<CaseAction> photo_stage(CaseStatus status) {
  switch (status) {
    case CaseStatus::kVerifying:
      return CaseAction::kVerify;
    case CaseStatus::kHandling:
      return CaseAction::kComplete;
    case CaseStatus::kHandled:
      return CaseAction::kCheck;
    default:
      return std::nullopt;
  }
}

std::string attachment_stage(std::optional<CaseAction> action) {
  return action ? std::string(to_string(*action)) : std::string("report");
}

CaseAction require_photo_stage(CaseStatus status, const Actor& actor) {
  const bool photographs =
      std::any_of(kPhotoActions.begin(), kPhotoActions.end(),
                  [&actor](CaseAction action) { return is_role_allowed(action, actor.roles); });
  if (!photographs) throw Error(ErrorCode::kForbidden, "your role may not photograph a case");
  const std::optional<CaseAction> stage = photo_stage(status);
  if (!stage) {
    throw Error(ErrorCode::kInvalidTransition,
                "a case takes photos while verifying, handling or handled, not when " +
                    std::string(to_string(status)),
                {.allowed_actions = {}});
  }
  if (!acting_role(actor.roles, status, *stage)) {
    throw Error(ErrorCode::kForbidden,
                "your role may not " + std::string(to_string(*stage)) + " this case");
  }
  return *stage;
}

void require_intake_uploader(const Actor& actor) {
  const std::optional<Role> role = acting_role(actor.roles, std::nullopt, CaseAction::kReceive);
  if (!role || *role == Role::kIntegration) {
    throw Error(ErrorCode::kForbidden, "your role may not upload a photo for intake");
  }
}

void require_filing_photo_uploader(const Actor& actor) {
  if (!actor.roles.contains(Role::kIntegration)) {
    throw Error(ErrorCode::kForbidden, "only an integration files a report with its photo");
  }
}

void require_uploaded_photos(const std::vector<std::string>& photos, const std::string& field,
                             const Actor& actor) {
  if (actor.roles.contains(Role::kIntegration)) return;
  for (std::size_t i = 0; i < photos.size(); ++i) {
    if (!is_attachment_id(photos[i])) {
      throw_invalid(field + "[" + std::to_string(i) + "]",
                    "an attachment id: upload the photo first (POST /api/v1/attachments, or to "
                    "the case); links to photos hosted elsewhere come only from integrations");
    }
  }
}

}  // namespace gridcase::domain
