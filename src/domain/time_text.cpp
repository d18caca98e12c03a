#include "gridcase/domain/time_text.hpp"

#include <cstdio>
#include <cstdlib>

namespace gridcase::domain {
namespace {

/// The decimal value of `count` ASCII digits at `at`, or -1 when any of them is no digit
/// (from_chars alone would take a sign: "T-1:00:00Z").
int digits(std::string_view text, std::size_t at, std::size_t count) {
  if (at + count > text.size()) return -1;
  int value = 0;
  for (std::size_t i = at; i < at + count; ++i) {
    if (text[i] < '0' || text[i] > '9') return -1;
    value = value * 10 + (text[i] - '0');
  }
  return value;
}

}  // namespace

std::optional<Timestamp> parse_rfc3339(std::string_view text) {
  if (text.size() < 20 || (text[10] != 'T' && text[10] != 't') || text[13] != ':' ||
      text[16] != ':') {
    return std::nullopt;
  }
  const std::optional<std::chrono::year_month_day> date = parse_iso_date(text.substr(0, 10));
  const int hour = digits(text, 11, 2);
  const int minute = digits(text, 14, 2);
  const int second = digits(text, 17, 2);
  if (!date || hour < 0 || minute < 0 || second < 0 || hour > 23 || minute > 59 || second > 60) {
    return std::nullopt;
  }
  std::size_t at = 19;
  int millis = 0;
  if (text[at] == '.') {
    std::size_t end = ++at;
    while (end < text.size() && text[end] >= '0' && text[end] <= '9') ++end;
    if (end == at || end - at > 9) return std::nullopt;
    const std::string fraction = std::string(text.substr(at, end - at)) + "00";
    millis = digits(fraction, 0, 3);
    at = end;
  }
  int offset_minutes = 0;
  if (at < text.size() && (text[at] == 'Z' || text[at] == 'z') && at + 1 == text.size()) {
    offset_minutes = 0;
  } else if (at + 6 == text.size() && (text[at] == '+' || text[at] == '-') && text[at + 3] == ':') {
    const int hours = digits(text, at + 1, 2);
    const int minutes = digits(text, at + 4, 2);
    if (hours < 0 || minutes < 0 || hours > 23 || minutes > 59) return std::nullopt;
    offset_minutes = (text[at] == '+' ? 1 : -1) * (hours * 60 + minutes);
  } else {
    return std::nullopt;
  }
  return Timestamp{std::chrono::sys_days{*date}} + std::chrono::hours{hour} +
         std::chrono::minutes{minute - offset_minutes} +
         std::chrono::seconds{std::min(second, 59)} + std::chrono::milliseconds{millis};
}

std::string format_rfc3339(Timestamp at) {
  const auto days = std::chrono::floor<std::chrono::days>(at);
  const std::chrono::year_month_day date{days};
  const std::chrono::hh_mm_ss time{at - days};
  char text[32];
  std::snprintf(text, sizeof text, "%04d-%02u-%02uT%02d:%02d:%02d.%03dZ",
                static_cast<int>(date.year()), static_cast<unsigned>(date.month()),
                static_cast<unsigned>(date.day()), static_cast<int>(time.hours().count()),
                static_cast<int>(time.minutes().count()), static_cast<int>(time.seconds().count()),
                static_cast<int>(time.subseconds().count()));
  return text;
}

std::optional<std::chrono::year_month_day> parse_iso_date(std::string_view text) {
  if (text.size() != 10 || text[4] != '-' || text[7] != '-') return std::nullopt;
  const int year = digits(text, 0, 4);
  const int month = digits(text, 5, 2);
  const int day = digits(text, 8, 2);
  if (year < 0 || month < 0 || day < 0) return std::nullopt;
  const std::chrono::year_month_day date{std::chrono::year{year},
                                         std::chrono::month{static_cast<unsigned>(month)},
                                         std::chrono::day{static_cast<unsigned>(day)}};
  if (!date.ok()) return std::nullopt;
  return date;
}

bool is_iso_date(std::string_view text) { return parse_iso_date(text).has_value(); }

std::string format_iso_date(std::chrono::year_month_day date) {
  char text[16];
  std::snprintf(text, sizeof text, "%04d-%02u-%02u", static_cast<int>(date.year()),
                static_cast<unsigned>(date.month()), static_cast<unsigned>(date.day()));
  return text;
}

std::optional<std::chrono::minutes> parse_time_of_day(std::string_view text) {
  if (text.size() != 5 || text[2] != ':') return std::nullopt;
  const int hours = digits(text, 0, 2);
  const int minutes = digits(text, 3, 2);
  if (hours < 0 || minutes < 0 || hours > 24 || minutes > 59 || (hours == 24 && minutes != 0)) {
    return std::nullopt;
  }
  return std::chrono::minutes{hours * 60 + minutes};
}

std::string format_time_of_day(std::chrono::minutes since_midnight) {
  char text[32];
  std::snprintf(text, sizeof text, "%02d:%02d", static_cast<int>(since_midnight.count() / 60),
                static_cast<int>(since_midnight.count() % 60));
  return text;
}

std::optional<std::chrono::minutes> parse_utc_offset(std::string_view text) {
  if (text.size() != 6 || (text[0] != '+' && text[0] != '-') || text[3] != ':') {
    return std::nullopt;
  }
  const int hours = digits(text, 1, 2);
  const int minutes = digits(text, 4, 2);
  // "+08:75" would read as +09:15.
  if (hours < 0 || minutes < 0 || minutes > 59 || text == "-00:00") return std::nullopt;
  return std::chrono::minutes{(text[0] == '-' ? -1 : 1) * (hours * 60 + minutes)};
}

std::string format_utc_offset(std::chrono::minutes east_of_utc) {
  const int offset = static_cast<int>(east_of_utc.count());
  char text[32];
  std::snprintf(text, sizeof text, "%c%02d:%02d", offset < 0 ? '-' : '+', std::abs(offset) / 60,
                std::abs(offset) % 60);
  return text;
}

std::optional<std::chrono::month_day> parse_month_day(std::string_view text) {
  // A leap year, so that 02-29 is a day.
  const std::optional<std::chrono::year_month_day> date =
      text.size() == 5 ? parse_iso_date("2000-" + std::string(text)) : std::nullopt;
  if (!date) return std::nullopt;
  return std::chrono::month_day{date->month(), date->day()};
}

std::string format_month_day(std::chrono::month_day day) {
  char text[32];
  std::snprintf(text, sizeof text, "%02u-%02u", static_cast<unsigned>(day.month()),
                static_cast<unsigned>(day.day()));
  return text;
}

}  // namespace gridcase::domain
