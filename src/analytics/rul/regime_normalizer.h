// Operating regimes and per-regime sensor normalisation.
//
// Sensors of a turbofan (or a press, or a pump) read differently at each operating condition;
// degradation is a small drift on top. The normaliser clusters the operating settings into
// regimes (k-means on standardised settings), then turns each sensor into a z-score against its
// own regime's mean and standard deviation, so the model sees the drift, not the regime.
// Sensors that are constant in every regime carry no information and are dropped.
//
// Deterministic: no random numbers (farthest-point initialisation, fixed iteration order).
// Immutable after Fit/FromParts; const methods are thread-safe.
#pragma once

#include <cstddef>
#include <span>
#include <vector>

#include "analytics/rul/unit_series.h"
#include "common/status.h"

namespace zhizao::analytics::rul {

struct RegimeOptions {
  // Number of regimes. 0 picks it: the smallest k in [1, max_regimes] whose k-means leaves at
  // most (1 - explained) of the settings' total scatter, 1 when none does (settings that vary
  // continuously, or only by noise as in C-MAPSS FD001/FD003). Default: 0.
  int regimes = 0;
  int max_regimes = 8;      // Default: 8 (C-MAPSS FD002/FD004 have 6).
  double explained = 0.99;  // Default: 0.99.
  // A sensor whose standard deviation is at most this times max(1, |mean|) in every regime is
  // constant and dropped. Default: 1e-6 (FD001: drops s1, s5, s10, s16, s18, s19; 1e-4 also
  // dropped the informative core-speed sensors s8 and s13, whose noise is 3e-5 of their level).
  double constant_relative_std = 1e-6;
};

// The learned parameters, exposed for the model blob and for tests.
struct RegimeParts {
  std::vector<double> setting_mean;            // per setting
  std::vector<double> setting_scale;           // per setting, > 0
  std::vector<std::vector<double>> centroids;  // per regime, in standardised setting space
  std::vector<std::vector<double>> sensor_mean;  // [regime][sensor], all sensors
  std::vector<std::vector<double>> sensor_std;   // [regime][sensor], > 0
  std::vector<size_t> kept_sensors;            // indices of the sensors kept, increasing
};

class RegimeNormalizer {
 public:
  // Fits on all rows of `units`. kInvalidArgument when every sensor is constant or when
  // options are out of range.
  static Result<RegimeNormalizer> Fit(const std::vector<UnitSeries>& units, const RegimeOptions& options);
  // Rebuilds from saved parts; kCorruption when they are inconsistent.
  static Result<RegimeNormalizer> FromParts(RegimeParts parts);

  // REQUIRES: settings.size() == setting_count().
  size_t AssignRegime(std::span<const double> settings) const;
  // Writes the z-scores of the kept sensors to `out`.
  // REQUIRES: sizes match setting_count(), sensor_count(), kept_sensors().size().
  void Normalize(std::span<const double> settings, std::span<const double> sensors, std::span<double> out) const;

  size_t regime_count() const { return parts_.centroids.size(); }
  size_t setting_count() const { return parts_.setting_mean.size(); }
  size_t sensor_count() const { return parts_.sensor_mean.empty() ? 0 : parts_.sensor_mean.front().size(); }
  const std::vector<size_t>& kept_sensors() const { return parts_.kept_sensors; }
  const RegimeParts& parts() const { return parts_; }

 private:
  explicit RegimeNormalizer(RegimeParts parts) : parts_(std::move(parts)) {}
  RegimeParts parts_;
};

}  // namespace zhizao::analytics::rul
