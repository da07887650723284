#include "analytics/rul/regime_normalizer.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <string>

namespace zhizao::analytics::rul {
namespace {

using Points = std::vector<std::vector<double>>;

double Distance2(std::span<const double> a, std::span<const double> b) {
  double sum = 0;
  for (size_t i = 0; i < a.size(); ++i) sum += (a[i] - b[i]) * (a[i] - b[i]);
  return sum;
}

size_t Nearest(const Points& centroids, std::span<const double> point) {
  size_t best = 0;
  double best_d = std::numeric_limits<double>::infinity();
  for (size_t c = 0; c < centroids.size(); ++c) {
    const double d = Distance2(centroids[c], point);
    if (d < best_d) best_d = d, best = c;
  }
  return best;
}

// Farthest-point initialisation from the point nearest the mean (the origin of standardised
// space): deterministic, and it finds well-separated operating points first. Stops early when
// every point already coincides with a centroid.
Points InitialCentroids(const Points& points, size_t k) {
  const std::vector<double> origin(points.front().size(), 0.0);
  Points centroids{points[Nearest(points, origin)]};
  std::vector<double> nearest_d(points.size());
  for (size_t i = 0; i < points.size(); ++i) nearest_d[i] = Distance2(points[i], centroids[0]);
  while (centroids.size() < k) {
    const size_t far = std::max_element(nearest_d.begin(), nearest_d.end()) - nearest_d.begin();
    if (nearest_d[far] == 0) break;
    centroids.push_back(points[far]);
    for (size_t i = 0; i < points.size(); ++i) nearest_d[i] = std::min(nearest_d[i], Distance2(points[i], points[far]));
  }
  return centroids;
}

struct Clustering {
  Points centroids;
  double scatter = 0;  // sum of squared distances to the assigned centroid
};

Clustering KMeans(const Points& points, size_t k) {
  Clustering result{InitialCentroids(points, k)};
  const size_t dims = points.front().size();
  std::vector<size_t> assignment(points.size(), k);
  for (int iteration = 0; iteration < 100; ++iteration) {
    bool changed = false;
    for (size_t i = 0; i < points.size(); ++i) {
      const size_t c = Nearest(result.centroids, points[i]);
      changed |= c != assignment[i];
      assignment[i] = c;
    }
    if (!changed) break;
    Points sums(result.centroids.size(), std::vector<double>(dims, 0.0));
    std::vector<size_t> counts(result.centroids.size(), 0);
    for (size_t i = 0; i < points.size(); ++i) {
      ++counts[assignment[i]];
      for (size_t d = 0; d < dims; ++d) sums[assignment[i]][d] += points[i][d];
    }
    for (size_t c = 0; c < sums.size(); ++c) {
      if (counts[c] == 0) continue;  // keeps its place; cannot happen with farthest-point seeds
      for (size_t d = 0; d < dims; ++d) result.centroids[c][d] = sums[c][d] / static_cast<double>(counts[c]);
    }
  }
  for (size_t i = 0; i < points.size(); ++i) result.scatter += Distance2(points[i], result.centroids[assignment[i]]);
  return result;
}

Clustering ChooseRegimes(const Points& points, const RegimeOptions& options) {
  if (options.regimes > 0) return KMeans(points, static_cast<size_t>(options.regimes));
  Clustering one = KMeans(points, 1);
  if (one.scatter <= 0) return one;
  for (int k = 2; k <= options.max_regimes; ++k) {
    Clustering candidate = KMeans(points, static_cast<size_t>(k));
    if (candidate.scatter <= (1 - options.explained) * one.scatter) return candidate;
  }
  return one;
}

void Standardise(const RegimeParts& parts, std::span<const double> settings, std::span<double> out) {
  for (size_t d = 0; d < settings.size(); ++d) out[d] = (settings[d] - parts.setting_mean[d]) / parts.setting_scale[d];
}

void FitSettingScale(const std::vector<UnitSeries>& units, RegimeParts& parts) {
  const size_t dims = units.front().settings.front().size();
  std::vector<double> sum(dims, 0), sum2(dims, 0);
  double n = 0;
  for (const auto& unit : units) {
    for (const auto& s : unit.settings) {
      for (size_t d = 0; d < dims; ++d) sum[d] += s[d], sum2[d] += s[d] * s[d];
      ++n;
    }
  }
  for (size_t d = 0; d < dims; ++d) {
    const double mean = sum[d] / n;
    const double sd = std::sqrt(std::max(0.0, sum2[d] / n - mean * mean));
    parts.setting_mean.push_back(mean);
    parts.setting_scale.push_back(sd > 1e-12 * std::max(1.0, std::abs(mean)) ? sd : 1.0);
  }
}

// Per-regime mean and standard deviation of every sensor; marks the sensors that vary anywhere.
void FitSensorStats(const std::vector<UnitSeries>& units, const RegimeNormalizer& regimes, double relative_std,
                    RegimeParts& parts) {
  const size_t r_count = parts.centroids.size(), s_count = units.front().sensors.front().size();
  std::vector<std::vector<double>> sum(r_count, std::vector<double>(s_count, 0)), sum2 = sum;
  std::vector<double> n(r_count, 0);
  for (const auto& unit : units) {
    for (size_t t = 0; t < unit.size(); ++t) {
      const size_t r = regimes.AssignRegime(unit.settings[t]);
      n[r] += 1;
      for (size_t s = 0; s < s_count; ++s) sum[r][s] += unit.sensors[t][s], sum2[r][s] += unit.sensors[t][s] * unit.sensors[t][s];
    }
  }
  std::vector<bool> varies(s_count, false);
  parts.sensor_mean.assign(r_count, std::vector<double>(s_count, 0));
  parts.sensor_std.assign(r_count, std::vector<double>(s_count, 1));
  for (size_t r = 0; r < r_count; ++r) {
    if (n[r] == 0) continue;
    for (size_t s = 0; s < s_count; ++s) {
      const double mean = sum[r][s] / n[r];
      const double sd = std::sqrt(std::max(0.0, sum2[r][s] / n[r] - mean * mean));
      const double floor = relative_std * std::max(1.0, std::abs(mean));
      varies[s] = varies[s] || sd > floor;
      parts.sensor_mean[r][s] = mean;
      parts.sensor_std[r][s] = std::max(sd, floor);
    }
  }
  for (size_t s = 0; s < s_count; ++s) {
    if (varies[s]) parts.kept_sensors.push_back(s);
  }
}

}  // namespace

Result<RegimeNormalizer> RegimeNormalizer::Fit(const std::vector<UnitSeries>& units, const RegimeOptions& options) {
  if (units.empty() || units.front().size() == 0) return Status::InvalidArgument("no rows to fit regimes on");
  if (options.regimes < 0 || options.max_regimes < 1 || options.regimes > 64 || options.max_regimes > 64) {
    return Status::InvalidArgument("regimes must be in [0, 64] and max_regimes in [1, 64]");
  }
  RegimeParts parts;
  FitSettingScale(units, parts);
  Points points;
  for (const auto& unit : units) {
    for (const auto& s : unit.settings) {
      points.emplace_back(s.size());
      Standardise(parts, s, points.back());
    }
  }
  parts.centroids = ChooseRegimes(points, options).centroids;
  RegimeNormalizer fitted(std::move(parts));
  RegimeParts with_stats = fitted.parts_;
  FitSensorStats(units, fitted, options.constant_relative_std, with_stats);
  if (with_stats.kept_sensors.empty()) return Status::InvalidArgument("every sensor is constant in every regime");
  return RegimeNormalizer(std::move(with_stats));
}

Result<RegimeNormalizer> RegimeNormalizer::FromParts(RegimeParts parts) {
  const size_t dims = parts.setting_mean.size(), regimes = parts.centroids.size();
  bool ok = parts.setting_scale.size() == dims && regimes > 0 && parts.sensor_mean.size() == regimes &&
            parts.sensor_std.size() == regimes && !parts.kept_sensors.empty();
  for (size_t r = 0; ok && r < regimes; ++r) {
    ok = parts.centroids[r].size() == dims && parts.sensor_mean[r].size() == parts.sensor_mean[0].size() &&
         parts.sensor_std[r].size() == parts.sensor_mean[0].size();
    for (double sd : parts.sensor_std[r]) ok = ok && std::isfinite(sd) && sd > 0;
  }
  for (double scale : parts.setting_scale) ok = ok && std::isfinite(scale) && scale > 0;
  for (size_t i = 0; ok && i < parts.kept_sensors.size(); ++i) {
    ok = parts.kept_sensors[i] < parts.sensor_mean[0].size() && (i == 0 || parts.kept_sensors[i] > parts.kept_sensors[i - 1]);
  }
  if (!ok) return Status::Corruption("inconsistent regime normaliser parameters");
  return RegimeNormalizer(std::move(parts));
}

size_t RegimeNormalizer::AssignRegime(std::span<const double> settings) const {
  if (settings.empty()) return 0;
  std::vector<double> point(settings.size());
  Standardise(parts_, settings, point);
  return Nearest(parts_.centroids, point);
}

void RegimeNormalizer::Normalize(std::span<const double> settings, std::span<const double> sensors,
                                 std::span<double> out) const {
  const size_t r = AssignRegime(settings);
  for (size_t i = 0; i < parts_.kept_sensors.size(); ++i) {
    const size_t s = parts_.kept_sensors[i];
    out[i] = (sensors[s] - parts_.sensor_mean[r][s]) / parts_.sensor_std[r][s];
  }
}

}  // namespace zhizao::analytics::rul
