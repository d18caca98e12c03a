#include "attachment_handlers.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <charconv>
#include <nlohmann/json.hpp>
#include <string>

#include "authentication.hpp"
#include "error_response.hpp"
#include "gridcase/domain/attachment.hpp"
#include "gridcase/domain/time_text.hpp"
#include "gridcase/service/attachment_service.hpp"
#include "multipart.hpp"
#include "query_parameters.hpp"

namespace gridcase::http {
namespace {

using boost::asio::awaitable;
using nlohmann::json;

/// A photo's bytes never change under its URL: the browser keeps it; `private` because it is
/// shown only to callers in the case's scope.
constexpr std::string_view kCacheControl = "private, max-age=31536000, immutable";

std::string photo_url(const std::string& id, domain::PhotoSize size) {
  return "/api/v1/attachments/" + id + "/" + std::string(domain::to_string(size));
}

json attachment_json(const service::AttachmentRecord& record) {
  json urls = json::object();
  for (domain::PhotoSize size :
       {domain::PhotoSize::kFull, domain::PhotoSize::kScreen, domain::PhotoSize::kThumbnail}) {
    urls[std::string(domain::to_string(size))] = photo_url(record.id, size);
  }
  return json{{"id", record.id},
              {"content_type", record.content_type},
              {"width", record.width},
              {"height", record.height},
              {"sha256", record.sha256_hex},
              {"uploaded_by", record.uploaded_by},
              {"uploaded_at", domain::format_rfc3339(record.uploaded_at)},
              {"case_no", record.case_no ? json(*record.case_no) : json(nullptr)},
              {"stage", record.stage ? json(*record.stage) : json(nullptr)},
              {"attached", record.attached},
              {"urls", urls}};
}

/// The image of an upload: the raw body under an image type, or the one file of a
/// `multipart/form-data` body (the type itself is read from the bytes either way); nullopt under
/// any other type, refused by the service after its role and scope checks.
std::optional<std::string> image_body(Request& request) {
  constexpr std::array<std::string_view, 6> kImageTypes{"image/jpeg", "image/png",
                                                        "image/webp", "image/heic",
                                                        "image/heif", "application/octet-stream"};
  const std::string_view header = request.message[beast_http::field::content_type];
  if (const std::optional<std::string> boundary = form_data_boundary(header)) {
    return form_data_file(request.message.body(), *boundary);
  }
  std::string type{header.substr(0, header.find(';'))};
  while (!type.empty() && type.back() == ' ') type.pop_back();
  std::transform(type.begin(), type.end(), type.begin(),
                 [](unsigned char ch) { return static_cast<char>(std::tolower(ch)); });
  if (std::find(kImageTypes.begin(), kImageTypes.end(), type) == kImageTypes.end()) {
    return std::nullopt;
  }
  return std::move(request.message.body());
}

Response created(const Request& request, const service::AttachmentRecord& record) {
  Response response =
      json_response(request, attachment_json(record).dump(), beast_http::status::created);
  response.set(beast_http::field::location, photo_url(record.id, domain::PhotoSize::kFull));
  return response;
}

bool etag_matches(std::string_view header, std::string_view etag) {
  if (header == "*") return true;
  std::size_t start = 0;
  while (start < header.size()) {
    std::size_t end = header.find(',', start);
    if (end == std::string_view::npos) end = header.size();
    std::string_view candidate = header.substr(start, end - start);
    while (!candidate.empty() && candidate.front() == ' ') candidate.remove_prefix(1);
    while (!candidate.empty() && candidate.back() == ' ') candidate.remove_suffix(1);
    if (candidate.starts_with("W/")) candidate.remove_prefix(2);
    if (candidate == etag) return true;
    start = end + 1;
  }
  return false;
}

std::optional<std::size_t> number_of(std::string_view text) {
  std::size_t value = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc{} || end != text.data() + text.size() || text.empty()) return std::nullopt;
  return value;
}

}  // namespace

std::optional<std::pair<std::size_t, std::size_t>> byte_range(std::string_view header,
                                                              std::size_t size) {
  constexpr std::string_view kUnit = "bytes=";
  if (!header.starts_with(kUnit)) return std::nullopt;
  header.remove_prefix(kUnit.size());
  if (header.find(',') != std::string_view::npos) return std::nullopt;
  const std::size_t dash = header.find('-');
  if (dash == std::string_view::npos) return std::nullopt;
  const std::string_view first_text = header.substr(0, dash);
  const std::string_view last_text = header.substr(dash + 1);
  if (first_text.empty()) {  // the last N bytes
    const std::optional<std::size_t> suffix = number_of(last_text);
    if (!suffix) return std::nullopt;
    if (*suffix == 0 || size == 0) return std::pair{size, size};
    return std::pair{size - std::min(*suffix, size), size - 1};
  }
  const std::optional<std::size_t> first = number_of(first_text);
  if (!first) return std::nullopt;
  std::size_t last = size == 0 ? 0 : size - 1;
  if (!last_text.empty()) {
    const std::optional<std::size_t> given = number_of(last_text);
    if (!given || *given < *first) return std::nullopt;
    last = std::min(*given, last);
  }
  if (*first >= size) return std::pair{size, size};
  return std::pair{*first, last};
}

Handler upload_attachment(const service::AttachmentService& attachments) {
  return [&attachments](Request& request) -> awaitable<Response> {
    require_known_parameters(request, {});
    const domain::Actor actor = caller_of(request);
    std::optional<std::string> bytes = image_body(request);
    const service::AttachmentRecord record = co_await attachments.upload(std::move(bytes), actor);
    co_return created(request, record);
  };
}

Handler upload_case_attachment(const service::AttachmentService& attachments) {
  return [&attachments](Request& request) -> awaitable<Response> {
    require_known_parameters(request, {});
    const domain::Actor actor = caller_of(request);
    std::optional<std::string> bytes = image_body(request);
    const service::AttachmentRecord record = co_await attachments.upload_to_case(
        request.path_params.at("case_no"), std::move(bytes), actor);
    co_return created(request, record);
  };
}

Handler list_case_attachments(const service::AttachmentService& attachments) {
  return [&attachments](Request& request) -> awaitable<Response> {
    require_known_parameters(request, {});
    const domain::Actor actor = caller_of(request);
    const std::vector<service::AttachmentRecord> records =
        co_await attachments.list(request.path_params.at("case_no"), actor);
    json items = json::array();
    for (const service::AttachmentRecord& record : records)
      items.push_back(attachment_json(record));
    co_return json_response(request, json{{"items", items}}.dump());
  };
}

namespace {

/// A photo's answer: 304 when If-None-Match names its ETag, else the bytes with their type, ETag
/// and `cache_control`; with `ranges` (the full size) a single Range is answered 206, or 416
/// when it starts past the end.
Response photo_response(const Request& request, service::PhotoBytes photo,
                        std::string_view cache_control, bool ranges) {
  const unsigned version = request.message.version();
  const std::string_view if_none_match = request.message[beast_http::field::if_none_match];
  if (!if_none_match.empty() && etag_matches(if_none_match, photo.etag)) {
    Response not_modified{beast_http::status::not_modified, version};
    not_modified.set(beast_http::field::etag, photo.etag);
    not_modified.set(beast_http::field::cache_control, cache_control);
    return not_modified;
  }
  Response response{beast_http::status::ok, version};
  response.set(beast_http::field::content_type, photo.content_type);
  response.set(beast_http::field::etag, photo.etag);
  response.set(beast_http::field::cache_control, cache_control);
  if (ranges) response.set(beast_http::field::accept_ranges, "bytes");
  const std::string_view range_header = request.message[beast_http::field::range];
  const std::string_view if_range = request.message[beast_http::field::if_range];
  std::optional<std::pair<std::size_t, std::size_t>> range;
  if (ranges && !range_header.empty() && (if_range.empty() || if_range == photo.etag)) {
    range = byte_range(range_header, photo.bytes.size());
  }
  const std::size_t total = photo.bytes.size();
  if (range && range->first >= total) {
    Response refused =
        problem_response(beast_http::status::range_not_satisfiable,
                         "the range starts past the end of the photo", version, request.request_id);
    refused.set(beast_http::field::content_range, "bytes */" + std::to_string(total));
    return refused;
  }
  if (range) {
    response.result(beast_http::status::partial_content);
    response.set(beast_http::field::content_range, "bytes " + std::to_string(range->first) + "-" +
                                                       std::to_string(range->second) + "/" +
                                                       std::to_string(total));
    response.body() = photo.bytes.substr(range->first, range->second - range->first + 1);
  } else {
    response.body() = std::move(photo.bytes);
  }
  response.prepare_payload();
  return response;
}

}  // namespace

Handler download_attachment(const service::AttachmentService& attachments) {
  return [&attachments](Request& request) -> awaitable<Response> {
    require_known_parameters(request, {});
    const domain::Actor actor = caller_of(request);
    const std::optional<domain::PhotoSize> size =
        domain::parse_photo_size(request.path_params.at("size"));
    if (!size) throw domain::Error(domain::ErrorCode::kNotFound, "no such size of a photo");
    service::PhotoBytes photo =
        co_await attachments.download(request.path_params.at("id"), *size, actor);
    co_return photo_response(request, std::move(photo), kCacheControl,
                             *size == domain::PhotoSize::kFull);
  };
}

Handler public_report_photo(const service::AttachmentService& attachments) {
  return [&attachments](Request& request) -> awaitable<Response> {
    require_known_parameters(request, {});
    service::PhotoBytes photo =
        co_await attachments.public_report_photo(request.path_params.at("id"));
    // Public, but not forever: a photo withdrawn (the reporter's data erased) stops being served
    // within the hour.
    co_return photo_response(request, std::move(photo), "public, max-age=3600", false);
  };
}

}  // namespace gridcase::http
