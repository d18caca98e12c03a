#include "simulation.hpp"

#include <algorithm>
#include <nlohmann/json.hpp>

namespace gridcase::app {
namespace {

using namespace std::chrono;
using domain::Channel;

/// Kundulun's year (domain.md §1): 3,658 hotline complaints, 634 from the government hotline,
/// mailbox and mayor's hotline, a few inspection and petition cases; the rest from patrols and
/// the public apps.
struct ChannelShare {
  Channel channel;
  double weight;
};
constexpr ChannelShare kChannels[] = {
    {Channel::kHotline12319, 3658}, {Channel::kHotline12345, 400}, {Channel::kMayorMailbox, 120},
    {Channel::kMayorHotline, 114},  {Channel::kEnvInspection, 5},  {Channel::kPetition, 16},
    {Channel::kPatrol, 200},        {Channel::kWeb, 80},           {Channel::kApp, 60}};

/// The centre of a cell's (rectangular) polygon.
domain::Point centre_of(const std::string& geometry) {
  const nlohmann::json shape = nlohmann::json::parse(geometry, nullptr, false);
  double west = 180, east = -180, south = 90, north = -90;
  const nlohmann::json& rings = shape.value("type", "") == "MultiPolygon"
                                    ? shape.at("coordinates").at(0)
                                    : shape.at("coordinates");
  for (const nlohmann::json& point : rings.at(0)) {
    west = std::min(west, point.at(0).get<double>());
    east = std::max(east, point.at(0).get<double>());
    south = std::min(south, point.at(1).get<double>());
    north = std::max(north, point.at(1).get<double>());
  }
  return domain::Point{(west + east) / 2, (south + north) / 2};
}

}  // namespace

std::vector<PlannedCase> plan_history(const DemoDistrict& demo, int day_count,
                                      year_month_day last_day, minutes utc_offset, unsigned seed,
                                      double cases_per_year) {
  std::mt19937 random{seed};
  std::vector<const domain::GridNodeInput*> cells;
  for (const domain::GridNodeInput& node : demo.nodes) {
    if (node.level == domain::GridLevel::kCell) cells.push_back(&node);
  }
  std::vector<double> weights;
  for (const ChannelShare& share : kChannels) weights.push_back(share.weight);
  std::discrete_distribution<std::size_t> channel_of(weights.begin(), weights.end());
  std::poisson_distribution<int> per_day(cases_per_year / 365.0);
  // Most calls come in the day: 07:00–21:00 local.
  std::uniform_int_distribution<int> minute_of_day(7 * 60, 21 * 60 - 1);
  std::uniform_int_distribution<std::size_t> cell_of(0, cells.empty() ? 0 : cells.size() - 1);
  std::uniform_int_distribution<std::size_t> category_of(0, demo.categories.size() - 1);
  std::uniform_int_distribution<std::size_t> officer_of(
      0, demo.officers.empty() ? 0 : demo.officers.size() - 1);
  std::uniform_int_distribution<int> gap(5, 40);
  std::uniform_real_distribution<double> unit_interval(0, 1);

  std::vector<PlannedCase> planned;
  if (cells.empty() || demo.categories.empty()) return planned;
  const sys_days first{sys_days{last_day} - std::chrono::days{day_count - 1}};
  for (int day = 0; day < day_count; ++day) {
    const sys_days date = first + std::chrono::days{day};
    const int count = per_day(random);
    std::vector<int> minutes_of_day;
    minutes_of_day.reserve(static_cast<std::size_t>(count));
    for (int i = 0; i < count; ++i) minutes_of_day.push_back(minute_of_day(random));
    std::sort(minutes_of_day.begin(), minutes_of_day.end());
    for (const int minute : minutes_of_day) {
      PlannedCase plan;
      plan.received_at = domain::Timestamp{date + minutes{minute} - utc_offset};
      const Channel channel = kChannels[channel_of(random)].channel;
      const domain::GridNodeInput& cell = *cells[cell_of(random)];
      const domain::Category& category = demo.categories[category_of(random)];
      if (category.conditions.empty()) continue;
      const domain::FilingCondition& condition =
          category.conditions[std::uniform_int_distribution<std::size_t>(
              0, category.conditions.size() - 1)(random)];
      plan.cell = cell.code;
      plan.category = category.key;
      plan.condition = condition.id;
      plan.unit_type = condition.unit_type;
      domain::NewCase& intake = plan.intake;
      intake.channel = channel;
      intake.description = category.name + " (" + condition.text + ")";
      intake.point = centre_of(cell.geometry_geojson);
      intake.category_key = category.key;
      intake.occurred_at = plan.received_at - minutes{30};
      const bool from_the_public = channel != Channel::kPatrol && channel != Channel::kVideo;
      if (from_the_public) intake.reporter = domain::Reporter{"市民", "13800000000", false};
      if (domain::is_hotline(channel)) {
        intake.call = domain::HotlineCall{plan.received_at - minutes{4},
                                          plan.received_at - minutes{1}, "sim-op"};
      }
      if (channel == Channel::kPatrol) {
        // Its photo is uploaded when the case is driven (commands/simulate.cpp).
        intake.officer_code = demo.officers[officer_of(random)].code;
      }
      if (channel == Channel::kMayorMailbox)
        intake.letter = domain::Letter{"来信反映问题", intake.description};
      plan.rejected = unit_interval(random) < 0.02;
      plan.reworked = unit_interval(random) < 0.03;
      // 93% are completed within their limit, the rest late.
      plan.handling_share = unit_interval(random) < 0.93 ? 0.15 + 0.8 * unit_interval(random)
                                                         : 1.05 + 0.6 * unit_interval(random);
      for (int i = 0; i < 10; ++i) plan.gaps.emplace_back(gap(random));
      plan.callback = from_the_public && unit_interval(random) < 0.6;
      const double happy = unit_interval(random);
      plan.satisfaction = happy < 0.85   ? "satisfied"
                          : happy < 0.95 ? "basically_satisfied"
                                         : "dissatisfied";
      planned.push_back(std::move(plan));
    }
  }
  return planned;
}

}  // namespace gridcase::app
