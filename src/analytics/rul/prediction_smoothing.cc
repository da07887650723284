#include "analytics/rul/prediction_smoothing.h"

#include <algorithm>

namespace zhizao::analytics::rul {

std::vector<double> ShiftedAverage(std::span<const int64_t> cycles, std::span<const double> values, int count) {
  std::vector<double> out(values.begin(), values.end());
  if (count <= 1) return out;
  for (size_t i = 0; i < values.size(); ++i) {
    const size_t n = std::min(i + 1, static_cast<size_t>(count));
    double sum = 0;
    for (size_t j = 0; j < n; ++j) sum += values[i - j] - static_cast<double>(cycles[i] - cycles[i - j]);
    out[i] = sum / static_cast<double>(n);
  }
  return out;
}

}  // namespace zhizao::analytics::rul
