#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "gridcase/domain/case.hpp"
#include "gridcase/domain/case_status.hpp"
#include "gridcase/domain/time.hpp"

namespace gridcase::domain {

/// The representation an Open311 GeoReport v2 resource is asked for, by its path suffix.
enum class Open311Format { kJson, kXml };

/// A resource name with its format: "requests.json" → {"requests", kJson}.
struct Open311Resource {
  std::string name;
  Open311Format format = Open311Format::kJson;
};

/// Splits `file` at its last dot into a non-empty name and a `json` or `xml` suffix; nullopt for
/// anything else (no suffix, another one, an empty name).
std::optional<Open311Resource> split_open311_format(std::string_view file);

/// The longest date window a search may span, and the one it spans by default (the
/// specification's suggestion: 90 days).
inline constexpr std::chrono::days kOpen311MaxWindow{90};
/// The most requests one search answers, newest first (said in discovery and docs/integrations.md).
inline constexpr int kOpen311PageCap = 1000;

/// A search's window of `requested_datetime`, both ends included.
struct Open311Window {
  Timestamp start;
  Timestamp end;
};

/// The window of a search (docs/integrations.md): neither end given, the last 90 days up to
/// `now`; one end given, 90 days from or up to it; both, as given. Throws kMalformed naming
/// `end_date` when it is before `start_date`, or when the window spans more than 90 days.
Open311Window open311_window(std::optional<Timestamp> start, std::optional<Timestamp> end,
                             Timestamp now);

/// A `service_request_id` list: comma-separated case numbers, at most kOpen311PageCap, each of a
/// case number's shape (so a search never queries for text that cannot be a case). Repeats are
/// kept once. Throws kMalformed naming `service_request_id`.
std::vector<std::string> parse_open311_request_ids(std::string_view text);

/// `open` or `closed`: every state but rejected and closed is open (domain.md §6).
std::string_view open311_status(CaseStatus status);

/// Whether Open311's public reads show a case's report photo as `media_url`: only for what a
/// citizen filed (web, app, which Open311 filings are), never a hotline call's or a patrol
/// officer's photo (issue 16).
bool open311_shows_media(Channel channel);

/// A `status` filter: `open`, `closed` or both, comma-separated. Throws kMalformed naming
/// `status` for anything else.
struct Open311StatusFilter {
  bool open = true;
  bool closed = true;
};
Open311StatusFilter parse_open311_status(std::string_view text);

}  // namespace gridcase::domain
