#include "pg_calendar_repository.hpp"

#include <pqxx/pqxx>

namespace gridcase::storage {
namespace {

constexpr const char* kLoadCalendar = "SELECT utc_offset_minutes FROM work_calendar WHERE id = 1";
constexpr const char* kLoadPeriods =
    "SELECT weekday, start_minute, end_minute FROM work_calendar_periods ORDER BY weekday, "
    "start_minute";
constexpr const char* kLoadFixed =
    "SELECT month, day FROM work_calendar_fixed_holidays ORDER BY month, day";
constexpr const char* kLoadDates = R"sql(
  SELECT extract(year FROM day)::int, extract(month FROM day)::int, extract(day FROM day)::int, kind
  FROM work_calendar_dates ORDER BY day)sql";
constexpr const char* kClearCalendar = R"sql(
  DELETE FROM work_calendar_periods;
  DELETE FROM work_calendar_fixed_holidays;
  DELETE FROM work_calendar_dates)sql";
constexpr const char* kStoreCalendar = R"sql(
  INSERT INTO work_calendar (id, utc_offset_minutes) VALUES (1, $1)
  ON CONFLICT (id) DO UPDATE SET utc_offset_minutes = excluded.utc_offset_minutes, updated_at = now())sql";
constexpr const char* kStorePeriod =
    "INSERT INTO work_calendar_periods (weekday, start_minute, end_minute) VALUES ($1, $2, $3)";
constexpr const char* kStoreFixed =
    "INSERT INTO work_calendar_fixed_holidays (month, day) VALUES ($1, $2)";
constexpr const char* kStoreDate = R"sql(
  INSERT INTO work_calendar_dates (day, kind) VALUES (make_date($1, $2, $3), $4)
  ON CONFLICT (day) DO UPDATE SET kind = excluded.kind)sql";

}  // namespace

std::optional<domain::WorkCalendarSpec> PgCalendarRepository::load() {
  const pqxx::result header = tx_.exec(kLoadCalendar);
  if (header.empty()) return std::nullopt;
  domain::WorkCalendarSpec spec;
  spec.utc_offset = std::chrono::minutes{header[0][0].as<int>()};
  for (const pqxx::row& row : tx_.exec(kLoadPeriods)) {
    spec.working_periods.push_back({std::chrono::weekday{row[0].as<unsigned>()},
                                    std::chrono::minutes{row[1].as<int>()},
                                    std::chrono::minutes{row[2].as<int>()}});
  }
  for (const pqxx::row& row : tx_.exec(kLoadFixed)) {
    spec.fixed_holidays.emplace_back(std::chrono::month{row[0].as<unsigned>()},
                                     std::chrono::day{row[1].as<unsigned>()});
  }
  for (const pqxx::row& row : tx_.exec(kLoadDates)) {
    const std::chrono::year_month_day date{std::chrono::year{row[0].as<int>()},
                                           std::chrono::month{row[1].as<unsigned>()},
                                           std::chrono::day{row[2].as<unsigned>()}};
    (row[3].as<std::string>() == "holiday" ? spec.holidays : spec.swapped_working_days)
        .push_back(date);
  }
  return spec;
}

void PgCalendarRepository::store(const domain::WorkCalendarSpec& spec) {
  tx_.exec(kClearCalendar);
  tx_.exec_params0(kStoreCalendar, static_cast<int>(spec.utc_offset.count()));
  for (const domain::WorkingPeriod& period : spec.working_periods) {
    tx_.exec_params0(kStorePeriod, period.weekday.c_encoding(),
                     static_cast<int>(period.start.count()), static_cast<int>(period.end.count()));
  }
  for (const std::chrono::month_day& day : spec.fixed_holidays) {
    tx_.exec_params0(kStoreFixed, static_cast<unsigned>(day.month()),
                     static_cast<unsigned>(day.day()));
  }
  auto store_dates = [&](const std::vector<std::chrono::year_month_day>& dates, const char* kind) {
    for (const std::chrono::year_month_day& date : dates) {
      tx_.exec_params0(kStoreDate, static_cast<int>(date.year()),
                       static_cast<unsigned>(date.month()), static_cast<unsigned>(date.day()),
                       std::string(kind));
    }
  };
  store_dates(spec.holidays, "holiday");
  store_dates(spec.swapped_working_days, "working_day");
}

}  // namespace gridcase::storage
