#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "gridcase/domain/case.hpp"
#include "gridcase/domain/case_status.hpp"

namespace gridcase::domain {

/// The sizes kept of every photo (docs/attachments.md): the whole picture re-encoded, a screen
/// version (longest side 1280 px) and a thumbnail (longest side 256 px).
enum class PhotoSize { kFull, kScreen, kThumbnail };

std::string_view to_string(PhotoSize size);
std::optional<PhotoSize> parse_photo_size(std::string_view text);

/// True for an attachment id as the server gives it: a UUID in lower-case canonical form.
bool is_attachment_id(std::string_view text);

/// The action whose photo a case in `status` takes (the upload route's stage): `verify` while
/// verifying, `complete` while handling, `check` once handled; nullopt in every other state.
std::optional<CaseAction> photo_stage(CaseStatus status);

/// The stage an attachment is recorded under when `action` names it: `report` for intake, else
/// the action's name.
std::string attachment_stage(std::optional<CaseAction> action);

/// Throws what a case upload's checks refuse, in the order of an action's: kForbidden for roles
/// that never verify, complete or check; kInvalidTransition when the case takes no photo in its
/// state; kForbidden when none of the actor's roles may do the stage's action now. Returns the
/// stage's action.
CaseAction require_photo_stage(CaseStatus status, const Actor& actor);

/// Throws kForbidden unless `actor` may upload a photo before intake: a role that receives cases,
/// other than an integration (an integration's photos are links: domain.md §4, or the one
/// photo of an Open311 filing, require_filing_photo_uploader).
void require_intake_uploader(const Actor& actor);

/// Throws kForbidden unless `actor` is an integration account, the only filer whose report may
/// carry its photo in the filing itself (Open311's `media` part, docs/integrations.md).
void require_filing_photo_uploader(const Actor& actor);

/// Throws kInvalidValue naming `field[i]` for the first of `photos` that is a link (not an
/// attachment id) when `actor` is no integration: staff photograph through the server (upload,
/// then name the id), so every staff photo is re-encoded without its metadata and kept; only a
/// case an integration files carries links to photos hosted elsewhere (issue 15).
void require_uploaded_photos(const std::vector<std::string>& photos, const std::string& field,
                             const Actor& actor);

}  // namespace gridcase::domain
