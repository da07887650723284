#include "analytics/spc/stats.h"

#include <algorithm>
#include <cmath>
#include <numeric>

namespace zhizao::analytics::spc {

double Mean(std::span<const double> v) {
  return std::accumulate(v.begin(), v.end(), 0.0) / static_cast<double>(v.size());
}

double Range(std::span<const double> v) {
  auto [lo, hi] = std::minmax_element(v.begin(), v.end());
  return *hi - *lo;
}

double StdDev(std::span<const double> v) {
  const double m = Mean(v);
  double ss = 0;
  for (double x : v) ss += (x - m) * (x - m);
  return std::sqrt(ss / static_cast<double>(v.size() - 1));
}

}  // namespace zhizao::analytics::spc
