#include "case_codec.hpp"

#include <boost/beast/http/field.hpp>
#include <charconv>

namespace gridcase::http {
namespace {

using domain::throw_malformed;
using nlohmann::json;

/// Reads typed fields of one JSON object and refuses (400) wrong types and unknown keys.
class Fields {
 public:
  Fields(const json& object, std::string prefix) : object_(object), prefix_(std::move(prefix)) {
    if (!object_.is_object())
      throw_malformed(prefix_.empty() ? "body" : prefix_, "must be a JSON object");
  }

  std::optional<std::string> text(const char* key) {
    const json* value = find(key);
    if (value == nullptr) return std::nullopt;
    if (!value->is_string()) throw_malformed(path(key), "must be a string");
    return value->get<std::string>();
  }
  std::optional<double> number(const char* key) {
    const json* value = find(key);
    if (value == nullptr) return std::nullopt;
    if (!value->is_number()) throw_malformed(path(key), "must be a number");
    return value->get<double>();
  }
  std::optional<bool> boolean(const char* key) {
    const json* value = find(key);
    if (value == nullptr) return std::nullopt;
    if (!value->is_boolean()) throw_malformed(path(key), "must be true or false");
    return value->get<bool>();
  }
  std::optional<domain::Timestamp> time(const char* key) {
    std::optional<std::string> value = text(key);
    if (!value) return std::nullopt;
    std::optional<domain::Timestamp> parsed = parse_rfc3339(*value);
    if (!parsed) throw_malformed(path(key), "an RFC 3339 time, e.g. 2026-11-25T10:00:00Z");
    return parsed;
  }
  std::vector<std::string> texts(const char* key) {
    const json* value = find(key);
    std::vector<std::string> list;
    if (value == nullptr) return list;
    if (!value->is_array()) throw_malformed(path(key), "must be an array of strings");
    for (const json& item : *value) {
      if (!item.is_string()) throw_malformed(path(key), "must be an array of strings");
      list.push_back(item.get<std::string>());
    }
    return list;
  }
  /// The array under `key` (nullptr when absent); kMalformed when it is not an array.
  const json* array(const char* key) {
    const json* value = find(key);
    if (value != nullptr && !value->is_array()) throw_malformed(path(key), "must be an array");
    return value;
  }
  std::optional<Fields> object(const char* key) {
    const json* value = find(key);
    if (value == nullptr) return std::nullopt;
    return Fields{*value, path(key)};
  }
  void finish() const {
    for (const auto& [key, value] : object_.items()) {
      if (std::find(seen_.begin(), seen_.end(), key) == seen_.end())
        throw_malformed(path(key.c_str()), "unknown field");
    }
  }

 private:
  const json* find(const char* key) {
    seen_.emplace_back(key);
    auto found = object_.find(key);
    return found == object_.end() || found->is_null() ? nullptr : &*found;
  }
  std::string path(const char* key) const { return prefix_.empty() ? key : prefix_ + "." + key; }

  const json& object_;
  std::string prefix_;
  std::vector<std::string> seen_;
};

std::optional<domain::Point> point_of(Fields& fields) {
  std::optional<double> lon = fields.number("lon");
  std::optional<double> lat = fields.number("lat");
  if (lon.has_value() != lat.has_value())
    throw_malformed(lon ? "lat" : "lon", "lon and lat come together");
  if (!lon) return std::nullopt;
  return domain::Point{*lon, *lat};
}

int digits(std::string_view text, std::size_t at, std::size_t count, bool& ok) {
  int value = 0;
  if (at + count > text.size()) {
    ok = false;
    return 0;
  }
  // Digits only: from_chars alone would take a sign ("T-1:00:00Z").
  for (std::size_t i = at; i < at + count; ++i) {
    if (text[i] < '0' || text[i] > '9') {
      ok = false;
      return 0;
    }
  }
  auto [end, error] = std::from_chars(text.data() + at, text.data() + at + count, value);
  ok = ok && error == std::errc{} && end == text.data() + at + count;
  return value;
}

constexpr std::array kWeekdays{"sun", "mon", "tue", "wed", "thu", "fri", "sat"};

std::string date_text(const std::chrono::year_month_day& date) {
  char text[16];
  std::snprintf(text, sizeof text, "%04d-%02u-%02u", static_cast<int>(date.year()),
                static_cast<unsigned>(date.month()), static_cast<unsigned>(date.day()));
  return text;
}

std::string minutes_text(std::chrono::minutes minutes) {
  char text[32];
  std::snprintf(text, sizeof text, "%02d:%02d", static_cast<int>(minutes.count() / 60),
                static_cast<int>(minutes.count() % 60));
  return text;
}

std::optional<std::chrono::minutes> parse_minutes(std::string_view text) {
  bool ok = text.size() == 5 && text[2] == ':';
  const int hours = digits(text, 0, 2, ok);
  const int minutes = digits(text, 3, 2, ok);
  if (!ok || hours > 24 || minutes > 59 || (hours == 24 && minutes != 0)) return std::nullopt;
  return std::chrono::minutes{hours * 60 + minutes};
}

std::optional<std::chrono::year_month_day> parse_date(std::string_view text) {
  if (!domain::is_iso_date(text)) return std::nullopt;
  bool ok = true;
  return std::chrono::year_month_day{
      std::chrono::year{digits(text, 0, 4, ok)},
      std::chrono::month{static_cast<unsigned>(digits(text, 5, 2, ok))},
      std::chrono::day{static_cast<unsigned>(digits(text, 8, 2, ok))}};
}

}  // namespace

std::optional<domain::Timestamp> parse_rfc3339(std::string_view text) {
  bool ok = text.size() >= 20 && text[4] == '-' && text[7] == '-' &&
            (text[10] == 'T' || text[10] == 't') && text[13] == ':' && text[16] == ':';
  if (!ok || !domain::is_iso_date(text.substr(0, 10))) return std::nullopt;
  const int year = digits(text, 0, 4, ok);
  const int month = digits(text, 5, 2, ok);
  const int day = digits(text, 8, 2, ok);
  const int hour = digits(text, 11, 2, ok);
  const int minute = digits(text, 14, 2, ok);
  const int second = digits(text, 17, 2, ok);
  if (!ok || hour > 23 || minute > 59 || second > 60) return std::nullopt;
  std::size_t at = 19;
  int millis = 0;
  if (at < text.size() && text[at] == '.') {
    std::size_t end = ++at;
    while (end < text.size() && text[end] >= '0' && text[end] <= '9') ++end;
    if (end == at || end - at > 9) return std::nullopt;
    const std::string fraction = std::string(text.substr(at, end - at)) + "00";
    millis = (fraction[0] - '0') * 100 + (fraction[1] - '0') * 10 + (fraction[2] - '0');
    at = end;
  }
  int offset_minutes = 0;
  if (at < text.size() && (text[at] == 'Z' || text[at] == 'z') && at + 1 == text.size()) {
    offset_minutes = 0;
  } else if (at + 6 == text.size() && (text[at] == '+' || text[at] == '-') && text[at + 3] == ':') {
    const int hours = digits(text, at + 1, 2, ok);
    const int minutes = digits(text, at + 4, 2, ok);
    if (!ok || hours > 23 || minutes > 59) return std::nullopt;
    offset_minutes = (text[at] == '+' ? 1 : -1) * (hours * 60 + minutes);
  } else {
    return std::nullopt;
  }
  const std::chrono::sys_days date{std::chrono::year{year} /
                                   std::chrono::month{static_cast<unsigned>(month)} /
                                   std::chrono::day{static_cast<unsigned>(day)}};
  return domain::Timestamp{date} + std::chrono::hours{hour} +
         std::chrono::minutes{minute - offset_minutes} +
         std::chrono::seconds{std::min(second, 59)} + std::chrono::milliseconds{millis};
}

std::string format_rfc3339(domain::Timestamp at) {
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

domain::NewCase decode_new_case(const json& body) {
  Fields fields{body, ""};
  domain::NewCase intake;
  const std::optional<std::string> channel = fields.text("channel");
  if (!channel) throw_malformed("channel", "required");
  const std::optional<domain::Channel> parsed = domain::parse_channel(*channel);
  if (!parsed) domain::throw_invalid("channel", "not a channel of domain.md §4");
  intake.channel = *parsed;
  intake.description = fields.text("description").value_or("");
  intake.point = point_of(fields);
  intake.address = fields.text("address");
  intake.category_key = fields.text("category");
  intake.occurred_at = fields.time("occurred_at");
  intake.photos = fields.texts("photos");
  if (std::optional<Fields> reporter = fields.object("reporter")) {
    intake.reporter = domain::Reporter{reporter->text("name"), reporter->text("phone"),
                                       reporter->boolean("confidential").value_or(false)};
    reporter->finish();
  }
  if (std::optional<Fields> call = fields.object("call")) {
    std::optional<domain::Timestamp> started = call->time("started_at");
    if (!started) throw_malformed("call.started_at", "required");
    intake.call =
        domain::HotlineCall{*started, call->time("ended_at"), call->text("operator").value_or("")};
    call->finish();
  }
  intake.officer_code = fields.text("officer");
  if (std::optional<Fields> letter = fields.object("letter")) {
    intake.letter =
        domain::Letter{letter->text("subject").value_or(""), letter->text("body").value_or("")};
    letter->finish();
  }
  fields.finish();
  return intake;
}

domain::ActionInput decode_action_input(const json& body) {
  domain::ActionInput input;
  if (body.is_null()) return input;
  Fields fields{body, ""};
  input.reason = fields.text("reason");
  input.note = fields.text("note");
  input.attachments = fields.texts("attachments");
  input.unit = fields.text("unit");
  input.assignee = fields.text("assignee");
  input.category = fields.text("category");
  input.condition = fields.text("condition");
  input.result = fields.text("result");
  input.reached = fields.boolean("reached");
  input.satisfaction = fields.text("satisfaction");
  input.until = fields.time("until");
  input.into = fields.text("into");
  input.point = point_of(fields);
  input.address = fields.text("address");
  fields.finish();
  return input;
}

std::optional<int> decode_if_match(const Request& request) {
  std::string_view header = request.message[boost::beast::http::field::if_match];
  if (header.empty()) return std::nullopt;
  if (header.starts_with("W/")) header.remove_prefix(2);
  if (header.size() >= 2 && header.front() == '"' && header.back() == '"') {
    header = header.substr(1, header.size() - 2);
  }
  int version = 0;
  auto [end, error] = std::from_chars(header.data(), header.data() + header.size(), version);
  if (header.empty() || error != std::errc{} || end != header.data() + header.size() ||
      version < 1) {
    throw_malformed("If-Match", "the ETag of a case, e.g. \"3\"");
  }
  return version;
}

json case_document(const service::CaseView& view, const domain::Actor* actor) {
  json document = json::parse(view.case_json.text);
  json timers = json::array();
  for (const service::TimerView& timer : view.timers) {
    const service::TimerRow& row = timer.row;
    json entry{
        {"timer", std::string(to_string(row.timer))},
        {"started_at", format_rfc3339(row.started_at)},
        {"deadline", format_rfc3339(row.deadline)},
        {"limit", {{"value", row.limit.value}, {"unit", std::string(to_string(row.limit.unit))}}},
        {"running", !row.ended_at.has_value()},
        {"paused", row.paused_at.has_value()},
        {"overdue", timer.overdue || row.overdue_at.has_value() || row.outcome == "late"}};
    if (row.timer == domain::StageTimer::kHandling) entry["cycle"] = row.cycle;
    if (row.ended_at) entry["ended_at"] = format_rfc3339(*row.ended_at);
    if (row.outcome) entry["outcome"] = *row.outcome;
    if (timer.light) entry["light"] = std::string(to_string(*timer.light));
    timers.push_back(std::move(entry));
  }
  document["timers"] = std::move(timers);
  if (actor != nullptr) {
    json allowed = json::array();
    const std::optional<domain::CaseStatus> status =
        domain::parse_case_status(document.value("status", std::string()));
    if (status) {
      for (domain::CaseAction action : domain::allowed_actions(*status, actor->roles)) {
        allowed.push_back(std::string(to_string(action)));
      }
    }
    document["allowed_actions"] = std::move(allowed);
  }
  return document;
}

json calendar_to_json(const domain::WorkCalendarSpec& spec) {
  json periods = json::array();
  for (const domain::WorkingPeriod& period : spec.working_periods) {
    periods.push_back({{"weekday", kWeekdays[period.weekday.c_encoding()]},
                       {"start", minutes_text(period.start)},
                       {"end", minutes_text(period.end)}});
  }
  json fixed = json::array();
  for (const std::chrono::month_day& day : spec.fixed_holidays) {
    char text[32];
    std::snprintf(text, sizeof text, "%02u-%02u", static_cast<unsigned>(day.month()),
                  static_cast<unsigned>(day.day()));
    fixed.push_back(text);
  }
  json holidays = json::array();
  for (const auto& date : spec.holidays) holidays.push_back(date_text(date));
  json swapped = json::array();
  for (const auto& date : spec.swapped_working_days) swapped.push_back(date_text(date));
  const int offset = static_cast<int>(spec.utc_offset.count());
  char offset_text[32];
  std::snprintf(offset_text, sizeof offset_text, "%c%02d:%02d", offset < 0 ? '-' : '+',
                std::abs(offset) / 60, std::abs(offset) % 60);
  return json{{"utc_offset", offset_text},
              {"working_periods", std::move(periods)},
              {"fixed_holidays", std::move(fixed)},
              {"holidays", std::move(holidays)},
              {"swapped_working_days", std::move(swapped)}};
}

domain::WorkCalendarSpec calendar_from_json(const json& body) {
  Fields fields{body, ""};
  domain::WorkCalendarSpec spec;
  const std::optional<std::string> offset = fields.text("utc_offset");
  if (!offset) throw_malformed("utc_offset", "required, e.g. +08:00");
  {
    bool ok =
        offset->size() == 6 && ((*offset)[0] == '+' || (*offset)[0] == '-') && (*offset)[3] == ':';
    const int hours = digits(*offset, 1, 2, ok);
    const int minutes = digits(*offset, 4, 2, ok);
    // "+08:75" would be stored as +09:15; RFC 3339 reads "-00:00" as an unknown offset.
    if (!ok || minutes > 59 || *offset == "-00:00")
      throw_malformed("utc_offset", "+HH:MM or -HH:MM");
    spec.utc_offset = std::chrono::minutes{((*offset)[0] == '-' ? -1 : 1) * (hours * 60 + minutes)};
  }
  const json* periods = fields.array("working_periods");
  if (periods == nullptr) throw_malformed("working_periods", "required array");
  for (std::size_t i = 0; i < periods->size(); ++i) {
    const std::string at = "working_periods[" + std::to_string(i) + "]";
    Fields period{(*periods)[i], at};
    const std::string weekday = period.text("weekday").value_or("");
    const auto found = std::find(kWeekdays.begin(), kWeekdays.end(), weekday);
    if (found == kWeekdays.end())
      throw_malformed(at + ".weekday", "mon, tue, wed, thu, fri, sat or sun");
    const std::optional<std::chrono::minutes> start =
        parse_minutes(period.text("start").value_or(""));
    const std::optional<std::chrono::minutes> end = parse_minutes(period.text("end").value_or(""));
    if (!start) throw_malformed(at + ".start", "HH:MM");
    if (!end) throw_malformed(at + ".end", "HH:MM");
    period.finish();
    spec.working_periods.push_back(
        {std::chrono::weekday{static_cast<unsigned>(found - kWeekdays.begin())}, *start, *end});
  }
  const std::vector<std::string> fixed = fields.texts("fixed_holidays");
  for (std::size_t i = 0; i < fixed.size(); ++i) {
    std::optional<std::chrono::year_month_day> date = parse_date("2000-" + fixed[i]);
    if (!date) throw_malformed("fixed_holidays[" + std::to_string(i) + "]", "MM-DD");
    spec.fixed_holidays.emplace_back(date->month(), date->day());
  }
  auto dates = [&](const char* key, std::vector<std::chrono::year_month_day>& target) {
    const std::vector<std::string> list = fields.texts(key);
    for (std::size_t i = 0; i < list.size(); ++i) {
      std::optional<std::chrono::year_month_day> date = parse_date(list[i]);
      if (!date) throw_malformed(std::string(key) + "[" + std::to_string(i) + "]", "YYYY-MM-DD");
      target.push_back(*date);
    }
  };
  dates("holidays", spec.holidays);
  dates("swapped_working_days", spec.swapped_working_days);
  fields.finish();
  return spec;
}

std::vector<domain::Category> decode_catalog(const json& body) {
  if (!body.is_object() || !body.contains("categories") || !body.at("categories").is_array()) {
    throw_malformed("categories", "required array");
  }
  std::vector<domain::Category> categories;
  const json& list = body.at("categories");
  for (std::size_t i = 0; i < list.size(); ++i) {
    const std::string at = "categories[" + std::to_string(i) + "]";
    const json& entry = list[i];
    if (!entry.is_object() || !entry.value("key", json()).is_string() ||
        !entry.value("name", json()).is_string() || !entry.value("conditions", json()).is_array()) {
      throw_malformed(at, "an object with key, name and conditions");
    }
    domain::Category category{
        entry.at("key").get<std::string>(), entry.at("name").get<std::string>(), {}};
    const json& conditions = entry.at("conditions");
    for (std::size_t j = 0; j < conditions.size(); ++j) {
      const json& condition = conditions[j];
      const std::string cat = at + ".conditions[" + std::to_string(j) + "]";
      const json limit = condition.is_object() ? condition.value("limit", json()) : json();
      if (!condition.is_object() || !condition.value("id", json()).is_string() ||
          !condition.value("text", json()).is_string() ||
          !condition.value("unit_type", json()).is_string() || !limit.is_array() ||
          limit.size() != 2 || !limit[0].is_number_integer() || !limit[1].is_string()) {
        throw_malformed(cat, "id, text, limit [value, unit] and unit_type");
      }
      const json close_when = condition.value("close_when", json(""));
      category.conditions.push_back(domain::FilingCondition{
          condition.at("id").get<std::string>(), condition.at("text").get<std::string>(),
          static_cast<int>(std::clamp<long long>(limit[0].get<long long>(), -1, 100000)),
          limit[1].get<std::string>(), condition.at("unit_type").get<std::string>(),
          close_when.is_string() ? close_when.get<std::string>() : std::string()});
    }
    categories.push_back(std::move(category));
  }
  return categories;
}

}  // namespace gridcase::http
