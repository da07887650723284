// Features of a unit's recent history, computed on regime-normalised sensors.
//
// For each kept sensor, at the cycle being described (the "end" of the window):
//   mean    mean over the trailing window (options.window cycles, end included)
//   recent  mean over the last options.recent cycles (noise-reduced current value)
//   slope   least-squares slope over the window, per cycle (uses the cycle numbers, so gaps count)
//   ewma    exponentially weighted mean over the whole history, weight options.ewma_alpha
//   drift   ewma minus the mean of the unit's first options.baseline cycles: how far this unit has
//           moved from its own start, which removes unit-to-unit manufacturing offsets
//   lmean, lslope  (only when options.long_window > 0) mean and slope over the trailing
//           long_window cycles (the rows that exist when the history is shorter): the
//           degradation trend over a span where the 30-cycle slope is mostly noise
// then one feature for the whole unit: age, the cycles since its first row (cycle - first + 1).
// Feature order: sensor-major (s0.mean, s0.recent, s0.slope, s0.ewma, s0.drift[, s0.lmean,
// s0.lslope], s1.mean, ...), age last.
//
// Thread-safe (pure functions).
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace zhizao::analytics::rul {

struct FeatureOptions {
  int window = 30;          // cycles. Default: 30 (the common C-MAPSS protocol).
  int recent = 5;           // cycles. Default: 5.
  double ewma_alpha = 0.1;  // Default: 0.1 (a memory of about 10 cycles).
  int baseline = 20;        // cycles. Default: 20.
  int long_window = 0;      // cycles; 0: no long-window features. Default: 0.
};

// Features per kept sensor for these options (5, or 7 with a long window).
size_t FeaturesPerSensor(const FeatureOptions& options);

// A unit's normalised history: values[t][j] is kept sensor j at cycles[t]; cycles increase.
struct NormalizedUnit {
  std::vector<int64_t> cycles;
  std::vector<std::vector<double>> values;
};

// Features at every end index in [first_end, size): result[i] describes end = first_end + i.
// REQUIRES: options valid (window, recent, baseline >= 1; long_window >= 0; 0 < ewma_alpha <= 1);
// first_end <= size.
// A window that would reach before the first row uses the rows that exist.
std::vector<std::vector<float>> ExtractFeatures(const NormalizedUnit& unit, const FeatureOptions& options,
                                                size_t first_end);

// "s<index>.<kind>" for each kept sensor index, then "age".
std::vector<std::string> FeatureNames(const std::vector<size_t>& kept_sensors, const FeatureOptions& options);

}  // namespace zhizao::analytics::rul
