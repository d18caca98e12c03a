#include "gridcase/domain/open311.hpp"

#include <algorithm>

#include "gridcase/domain/case.hpp"
#include "gridcase/domain/error.hpp"

namespace gridcase::domain {

std::optional<Open311Resource> split_open311_format(std::string_view file) {
  const std::size_t dot = file.rfind('.');
  if (dot == std::string_view::npos || dot == 0) return std::nullopt;
  const std::string_view suffix = file.substr(dot + 1);
  Open311Format format = Open311Format::kJson;
  if (suffix == "xml") {
    format = Open311Format::kXml;
  } else if (suffix != "json") {
    return std::nullopt;
  }
  return Open311Resource{std::string(file.substr(0, dot)), format};
}

Open311Window open311_window(std::optional<Timestamp> start, std::optional<Timestamp> end,
                             Timestamp now) {
  if (!start && !end) return {now - kOpen311MaxWindow, now};
  if (!end) return {*start, *start + kOpen311MaxWindow};
  if (!start) return {*end - kOpen311MaxWindow, *end};
  if (*end < *start) throw_malformed("end_date", "not before start_date");
  if (*end - *start > kOpen311MaxWindow) {
    throw_malformed("end_date", "at most 90 days after start_date");
  }
  return {*start, *end};
}

std::vector<std::string> parse_open311_request_ids(std::string_view text) {
  std::vector<std::string> ids;
  for (;;) {
    const std::size_t comma = text.find(',');
    const std::string_view id = text.substr(0, comma);
    if (!is_case_number(id)) {
      throw_malformed("service_request_id",
                      "a comma-separated list of case numbers (150203-20261125-000042)");
    }
    if (std::find(ids.begin(), ids.end(), id) == ids.end()) ids.emplace_back(id);
    if (ids.size() > static_cast<std::size_t>(kOpen311PageCap)) {
      throw_malformed("service_request_id", "at most 1000 case numbers");
    }
    if (comma == std::string_view::npos) break;
    text.remove_prefix(comma + 1);
  }
  return ids;
}

bool open311_shows_media(Channel channel) {
  return channel == Channel::kWeb || channel == Channel::kApp;
}

std::string_view open311_status(CaseStatus status) { return is_open(status) ? "open" : "closed"; }

Open311StatusFilter parse_open311_status(std::string_view text) {
  Open311StatusFilter filter{false, false};
  for (;;) {
    const std::size_t comma = text.find(',');
    const std::string_view value = text.substr(0, comma);
    if (value == "open") {
      filter.open = true;
    } else if (value == "closed") {
      filter.closed = true;
    } else {
      throw_malformed("status", "open, closed, or both separated by a comma");
    }
    if (comma == std::string_view::npos) break;
    text.remove_prefix(comma + 1);
  }
  return filter;
}

}  // namespace gridcase::domain
