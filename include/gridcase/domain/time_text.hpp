#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

#include "gridcase/domain/time.hpp"

namespace gridcase::domain {

// Every time and date the server reads or writes as text, spelled once: RFC 3339 instants,
// ISO 8601 dates, clock times of day, UTC offsets and yearly month-days.

/// RFC 3339 ("2026-11-25T10:00:00Z", "...+08:00", "t"/"z" in lower case, an optional fraction
/// kept to the millisecond, a leap second read as :59). nullopt when malformed or impossible.
std::optional<Timestamp> parse_rfc3339(std::string_view text);
/// RFC 3339 in UTC with milliseconds and Z: "2026-11-25T23:59:58.007Z".
std::string format_rfc3339(Timestamp at);

/// "2026-11-30" → the date; nullopt for anything else (wrong shape, signs, 2026-02-30).
std::optional<std::chrono::year_month_day> parse_iso_date(std::string_view text);
/// True when parse_iso_date reads `text`.
bool is_iso_date(std::string_view text);
/// YYYY-MM-DD.
std::string format_iso_date(std::chrono::year_month_day date);

/// "HH:MM" from 00:00 to 24:00 (the end of a working day), as minutes since midnight.
std::optional<std::chrono::minutes> parse_time_of_day(std::string_view text);
/// HH:MM.
std::string format_time_of_day(std::chrono::minutes since_midnight);

/// "+HH:MM" or "-HH:MM" with minutes up to 59, as signed minutes east of UTC. "-00:00" is
/// refused: RFC 3339 reads it as an unknown offset, not as UTC.
std::optional<std::chrono::minutes> parse_utc_offset(std::string_view text);
/// +HH:MM or -HH:MM.
std::string format_utc_offset(std::chrono::minutes east_of_utc);

/// "MM-DD", a day of any year (02-29 included).
std::optional<std::chrono::month_day> parse_month_day(std::string_view text);
/// MM-DD.
std::string format_month_day(std::chrono::month_day day);

}  // namespace gridcase::domain
