#include "analytics/rul/window_features.h"

#include <algorithm>

namespace zhizao::analytics::rul {
namespace {

// Least-squares slope of y against x; 0 when x does not vary (a single row).
double Slope(const std::vector<int64_t>& x, const std::vector<std::vector<double>>& y, size_t sensor, size_t begin,
             size_t end) {
  const double n = static_cast<double>(end - begin);
  double mean_x = 0, mean_y = 0;
  for (size_t t = begin; t < end; ++t) mean_x += static_cast<double>(x[t]), mean_y += y[t][sensor];
  mean_x /= n, mean_y /= n;
  double sxy = 0, sxx = 0;
  for (size_t t = begin; t < end; ++t) {
    const double dx = static_cast<double>(x[t]) - mean_x;
    sxy += dx * (y[t][sensor] - mean_y);
    sxx += dx * dx;
  }
  return sxx > 0 ? sxy / sxx : 0.0;
}

double Mean(const std::vector<std::vector<double>>& y, size_t sensor, size_t begin, size_t end) {
  double sum = 0;
  for (size_t t = begin; t < end; ++t) sum += y[t][sensor];
  return sum / static_cast<double>(end - begin);
}

// ewma[t][j]: exponentially weighted mean of sensor j over rows 0..t, started at row 0's value.
std::vector<std::vector<double>> Ewma(const NormalizedUnit& unit, double alpha) {
  std::vector<std::vector<double>> ewma(unit.values.size());
  for (size_t t = 0; t < unit.values.size(); ++t) {
    ewma[t] = unit.values[t];
    if (t == 0) continue;
    for (size_t j = 0; j < ewma[t].size(); ++j) ewma[t][j] = alpha * unit.values[t][j] + (1 - alpha) * ewma[t - 1][j];
  }
  return ewma;
}

}  // namespace

std::vector<std::vector<float>> ExtractFeatures(const NormalizedUnit& unit, const FeatureOptions& options,
                                                size_t first_end) {
  const size_t size = unit.values.size();
  const size_t sensors = size == 0 ? 0 : unit.values.front().size();
  const auto ewma = Ewma(unit, options.ewma_alpha);
  std::vector<double> baseline(sensors);
  const size_t baseline_end = std::min(size, static_cast<size_t>(options.baseline));
  for (size_t j = 0; j < sensors; ++j) baseline[j] = Mean(unit.values, j, 0, baseline_end);

  std::vector<std::vector<float>> rows;
  for (size_t end = first_end; end < size; ++end) {
    const size_t stop = end + 1;
    const size_t begin = stop - std::min(stop, static_cast<size_t>(options.window));
    const size_t recent_begin = stop - std::min(stop, static_cast<size_t>(options.recent));
    std::vector<float>& f = rows.emplace_back();
    f.reserve(sensors * FeaturesPerSensor(options) + 1);
    const size_t long_begin = stop - std::min(stop, static_cast<size_t>(options.long_window));
    for (size_t j = 0; j < sensors; ++j) {
      f.push_back(static_cast<float>(Mean(unit.values, j, begin, stop)));
      f.push_back(static_cast<float>(Mean(unit.values, j, recent_begin, stop)));
      f.push_back(static_cast<float>(Slope(unit.cycles, unit.values, j, begin, stop)));
      f.push_back(static_cast<float>(ewma[end][j]));
      f.push_back(static_cast<float>(ewma[end][j] - baseline[j]));
      if (options.long_window > 0) {
        f.push_back(static_cast<float>(Mean(unit.values, j, long_begin, stop)));
        f.push_back(static_cast<float>(Slope(unit.cycles, unit.values, j, long_begin, stop)));
      }
    }
    f.push_back(static_cast<float>(unit.cycles[end] - unit.cycles.front() + 1));
  }
  return rows;
}

size_t FeaturesPerSensor(const FeatureOptions& options) { return options.long_window > 0 ? 7 : 5; }

std::vector<std::string> FeatureNames(const std::vector<size_t>& kept_sensors, const FeatureOptions& options) {
  static constexpr const char* kKinds[] = {"mean", "recent", "slope", "ewma", "drift", "lmean", "lslope"};
  std::vector<std::string> names;
  for (size_t s : kept_sensors) {
    for (size_t k = 0; k < FeaturesPerSensor(options); ++k) names.push_back("s" + std::to_string(s) + "." + kKinds[k]);
  }
  names.push_back("age");
  return names;
}

}  // namespace zhizao::analytics::rul
