#pragma once

#include <optional>
#include <string_view>
#include <utility>

#include "gridcase/http/server.hpp"
#include "router.hpp"

namespace gridcase::http {

Handler upload_attachment(const service::AttachmentService& attachments);
Handler upload_case_attachment(const service::AttachmentService& attachments);
Handler list_case_attachments(const service::AttachmentService& attachments);
Handler download_attachment(const service::AttachmentService& attachments);
/// GET /open311/v2/media/{id}: a citizen report's photo, public (Open311's `media_url`).
Handler public_report_photo(const service::AttachmentService& attachments);

/// The byte range a `Range` header asks of a body of `size` bytes: [first, last], inclusive.
/// nullopt for a header this server does not serve partially (several ranges, another unit,
/// malformed: the whole body is sent, as RFC 9110 §14.2 allows). A single range that starts past
/// the end (unsatisfiable: 416) is {size, size}.
std::optional<std::pair<std::size_t, std::size_t>> byte_range(std::string_view header,
                                                              std::size_t size);

}  // namespace gridcase::http
