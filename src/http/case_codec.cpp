#include "case_codec.hpp"

#include <algorithm>
#include <array>
#include <boost/beast/http/field.hpp>
#include <charconv>

#include "gridcase/domain/time_text.hpp"
#include "json_fields.hpp"

namespace gridcase::http {
namespace {

using domain::throw_malformed;
using nlohmann::json;

std::optional<domain::Point> point_of(JsonFields& fields) {
  std::optional<double> lon = fields.number("lon");
  std::optional<double> lat = fields.number("lat");
  if (lon.has_value() != lat.has_value())
    throw_malformed(lon ? "lat" : "lon", "lon and lat come together");
  if (!lon) return std::nullopt;
  return domain::Point{*lon, *lat};
}

constexpr std::array kWeekdays{"sun", "mon", "tue", "wed", "thu", "fri", "sat"};

const std::vector<std::string> kNoTexts;

}  // namespace

domain::NewCase decode_new_case(const json& body) {
  JsonFields fields{body};
  domain::NewCase intake;
  const std::optional<domain::Channel> parsed =
      domain::parse_channel(fields.required_text("channel"));
  if (!parsed) domain::throw_invalid("channel", "not a channel of domain.md §4");
  intake.channel = *parsed;
  intake.description = fields.text("description").value_or("");
  intake.point = point_of(fields);
  intake.address = fields.text("address");
  intake.category_key = fields.text("category");
  intake.occurred_at = fields.time("occurred_at");
  intake.photos = fields.texts("photos").value_or(kNoTexts);
  if (std::optional<JsonFields> reporter = fields.object("reporter")) {
    intake.reporter = domain::Reporter{reporter->text("name"), reporter->text("phone"),
                                       reporter->boolean("confidential").value_or(false)};
    reporter->finish();
  }
  if (std::optional<JsonFields> call = fields.object("call")) {
    const domain::Timestamp started = call->required_time("started_at");
    intake.call =
        domain::HotlineCall{started, call->time("ended_at"), call->text("operator").value_or("")};
    call->finish();
  }
  intake.officer_code = fields.text("officer");
  if (std::optional<JsonFields> letter = fields.object("letter")) {
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
  JsonFields fields{body};
  input.reason = fields.text("reason");
  input.note = fields.text("note");
  input.attachments = fields.texts("attachments").value_or(kNoTexts);
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
        {"started_at", domain::format_rfc3339(row.started_at)},
        {"deadline", domain::format_rfc3339(row.deadline)},
        {"limit", {{"value", row.limit.value}, {"unit", std::string(to_string(row.limit.unit))}}},
        {"running", !row.ended_at.has_value()},
        {"paused", row.paused_at.has_value()},
        {"overdue", timer.overdue || row.overdue_at.has_value() ||
                        row.outcome == domain::TimerOutcome::kLate}};
    if (row.timer == domain::StageTimer::kHandling) entry["cycle"] = row.cycle;
    if (row.ended_at) entry["ended_at"] = domain::format_rfc3339(*row.ended_at);
    if (row.outcome) entry["outcome"] = std::string(to_string(*row.outcome));
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
                       {"start", domain::format_time_of_day(period.start)},
                       {"end", domain::format_time_of_day(period.end)}});
  }
  json fixed = json::array();
  for (const std::chrono::month_day& day : spec.fixed_holidays) {
    fixed.push_back(domain::format_month_day(day));
  }
  json holidays = json::array();
  for (const auto& date : spec.holidays) holidays.push_back(domain::format_iso_date(date));
  json swapped = json::array();
  for (const auto& date : spec.swapped_working_days) {
    swapped.push_back(domain::format_iso_date(date));
  }
  return json{{"utc_offset", domain::format_utc_offset(spec.utc_offset)},
              {"working_periods", std::move(periods)},
              {"fixed_holidays", std::move(fixed)},
              {"holidays", std::move(holidays)},
              {"swapped_working_days", std::move(swapped)}};
}

domain::WorkCalendarSpec calendar_from_json(const json& body) {
  JsonFields fields{body};
  domain::WorkCalendarSpec spec;
  const std::optional<std::chrono::minutes> offset =
      domain::parse_utc_offset(fields.required_text("utc_offset"));
  if (!offset) throw_malformed("utc_offset", "+HH:MM or -HH:MM");
  spec.utc_offset = *offset;
  const json& periods = fields.required_array("working_periods");
  for (std::size_t i = 0; i < periods.size(); ++i) {
    JsonFields period{periods[i], fields.item_path("working_periods", i)};
    const std::string weekday = period.text("weekday").value_or("");
    const auto found = std::find(kWeekdays.begin(), kWeekdays.end(), weekday);
    if (found == kWeekdays.end()) {
      throw_malformed(period.path("weekday"), "mon, tue, wed, thu, fri, sat or sun");
    }
    const std::optional<std::chrono::minutes> start =
        domain::parse_time_of_day(period.text("start").value_or(""));
    const std::optional<std::chrono::minutes> end =
        domain::parse_time_of_day(period.text("end").value_or(""));
    if (!start) throw_malformed(period.path("start"), "HH:MM");
    if (!end) throw_malformed(period.path("end"), "HH:MM");
    period.finish();
    spec.working_periods.push_back(
        {std::chrono::weekday{static_cast<unsigned>(found - kWeekdays.begin())}, *start, *end});
  }
  const std::vector<std::string> fixed = fields.texts("fixed_holidays").value_or(kNoTexts);
  for (std::size_t i = 0; i < fixed.size(); ++i) {
    const std::optional<std::chrono::month_day> day = domain::parse_month_day(fixed[i]);
    if (!day) throw_malformed(fields.item_path("fixed_holidays", i), "MM-DD");
    spec.fixed_holidays.push_back(*day);
  }
  auto dates = [&](const char* key, std::vector<std::chrono::year_month_day>& target) {
    const std::vector<std::string> list = fields.texts(key).value_or(kNoTexts);
    for (std::size_t i = 0; i < list.size(); ++i) {
      const std::optional<std::chrono::year_month_day> date = domain::parse_iso_date(list[i]);
      if (!date) throw_malformed(fields.item_path(key, i), "YYYY-MM-DD");
      target.push_back(*date);
    }
  };
  dates("holidays", spec.holidays);
  dates("swapped_working_days", spec.swapped_working_days);
  fields.finish();
  return spec;
}

std::vector<domain::Category> decode_catalog(const json& body) {
  // The catalogue file carries more than the categories (its units, an `about`): no
  // unknown-field refusal here.
  JsonFields file{body};
  const json& list = file.required_array("categories");
  std::vector<domain::Category> categories;
  for (std::size_t i = 0; i < list.size(); ++i) {
    JsonFields entry{list[i], file.item_path("categories", i)};
    domain::Category category{entry.required_text("key"), entry.required_text("name"), {}};
    const json& conditions = entry.required_array("conditions");
    for (std::size_t j = 0; j < conditions.size(); ++j) {
      JsonFields condition{conditions[j], entry.item_path("conditions", j)};
      std::string id = condition.required_text("id");
      std::string text = condition.required_text("text");
      // [value, unit] as data/categories.json has it, or {value, unit} as GET shows it, so
      // that a listing edited by hand can be sent back.
      const json* found =
          condition.value().contains("limit") ? &condition.value().at("limit") : nullptr;
      json limit;
      if (found && found->is_object()) {
        JsonFields shape{*found, condition.path("limit")};
        const std::optional<long long> value = shape.integer("value");
        const std::optional<std::string> unit = shape.text("unit");
        shape.finish();
        if (value && unit) limit = json::array({*value, *unit});
      } else {
        limit = condition.required_array("limit");
      }
      if (limit.size() != 2 || !limit[0].is_number_integer() || !limit[1].is_string()) {
        throw_malformed(condition.path("limit"), "must be [value, unit] or {value, unit}");
      }
      std::string unit_type = condition.required_text("unit_type");
      // A close_when that is no string reads as none, as it always has.
      const json close_when = condition.value().value("close_when", json());
      category.conditions.push_back(domain::FilingCondition{
          std::move(id), std::move(text),
          static_cast<int>(std::clamp<long long>(limit[0].get<long long>(), -1, 100000)),
          limit[1].get<std::string>(), std::move(unit_type),
          close_when.is_string() ? close_when.get<std::string>() : std::string()});
    }
    categories.push_back(std::move(category));
  }
  return categories;
}

std::vector<domain::TimeLimitOverride> decode_time_limits(const json& body) {
  if (!body.is_object()) throw_malformed("body", "must be a JSON object");
  std::vector<domain::TimeLimitOverride> overrides;
  for (const auto& [timer, member] : body.items()) {
    if (member.is_null()) continue;  // as absent: the deployment's default
    JsonFields limit{member, timer};
    const std::optional<long long> value = limit.integer("value");
    if (!value) throw_malformed(limit.path("value"), "required");
    std::string unit = limit.required_text("unit");
    limit.finish();
    overrides.push_back(domain::TimeLimitOverride{timer, *value, std::move(unit)});
  }
  return overrides;
}

}  // namespace gridcase::http
