#include "analytics/rul/unit_series.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <numeric>
#include <string>

namespace zhizao::analytics::rul {
namespace {

std::string Where(const Row& row) {
  return "unit " + std::to_string(row.unit) + " cycle " + std::to_string(row.cycle);
}

bool AllFinite(const std::vector<double>& values) {
  return std::all_of(values.begin(), values.end(), [](double v) { return std::isfinite(v); });
}

Status CheckRow(const Row& row, size_t settings, size_t sensors, bool require_labels) {
  if (row.settings.size() != settings || row.sensors.size() != sensors) {
    return Status::InvalidArgument(Where(row) + " has " + std::to_string(row.settings.size()) + " settings and " +
                                   std::to_string(row.sensors.size()) + " sensors; expected " +
                                   std::to_string(settings) + " and " + std::to_string(sensors));
  }
  if (!AllFinite(row.settings) || !AllFinite(row.sensors)) {
    return Status::InvalidArgument(Where(row) + " has a NaN or infinite setting or sensor value");
  }
  if (require_labels && !std::isfinite(row.label)) return Status::InvalidArgument(Where(row) + " has no finite label");
  return Status::Ok();
}

UnitSeries BuildUnit(std::span<const Row> rows, std::vector<size_t> indices) {
  std::sort(indices.begin(), indices.end(), [&](size_t a, size_t b) { return rows[a].cycle < rows[b].cycle; });
  UnitSeries unit;
  unit.unit = rows[indices.front()].unit;
  for (size_t i : indices) {
    unit.cycles.push_back(rows[i].cycle);
    unit.settings.push_back(rows[i].settings);
    unit.sensors.push_back(rows[i].sensors);
    unit.labels.push_back(rows[i].label);
  }
  return unit;
}

}  // namespace

Result<std::vector<UnitSeries>> GroupUnits(std::span<const Row> rows, const GroupOptions& options) {
  if (rows.empty()) return Status::InvalidArgument("no rows");
  const size_t settings = options.expected_settings ? options.expected_settings : rows.front().settings.size();
  const size_t sensors = options.expected_sensors ? options.expected_sensors : rows.front().sensors.size();
  if (sensors == 0) return Status::InvalidArgument("rows have no sensor values");
  std::map<int64_t, std::vector<size_t>> by_unit;
  for (size_t i = 0; i < rows.size(); ++i) {
    ZZ_RETURN_IF_ERROR(CheckRow(rows[i], settings, sensors, options.require_labels));
    by_unit[rows[i].unit].push_back(i);
  }
  std::vector<UnitSeries> units;
  for (auto& [id, indices] : by_unit) {
    units.push_back(BuildUnit(rows, std::move(indices)));
    const auto& cycles = units.back().cycles;
    auto repeated = std::adjacent_find(cycles.begin(), cycles.end());
    if (repeated != cycles.end()) {
      return Status::InvalidArgument("unit " + std::to_string(id) + " has cycle " + std::to_string(*repeated) +
                                     " more than once");
    }
  }
  return units;
}

}  // namespace zhizao::analytics::rul
