#include "analytics/spc/normality.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <vector>

#include "analytics/spc/stats.h"

namespace zhizao::analytics::spc {
namespace {

// Keeps ln() finite for points far in the tails.
double ClampProbability(double p) { return std::clamp(p, 1e-300, 1.0 - 1e-16); }

// D'Agostino and Stephens' (1986) approximations of the p-value of A*2. The first one's quadratic
// turns upward past A*2 ≈ 153, so beyond 10 (where it gives about 1e-24) the p-value is 0.
double PValue(double a) {
  if (a >= 10) return 0.0;
  if (a >= 0.6) return std::exp(1.2937 - 5.709 * a + 0.0186 * a * a);
  if (a >= 0.34) return std::exp(0.9177 - 4.279 * a - 1.38 * a * a);
  if (a >= 0.2) return 1.0 - std::exp(-8.318 + 42.796 * a - 59.938 * a * a);
  return 1.0 - std::exp(-13.436 + 101.14 * a - 223.73 * a * a);
}

std::string Note(const NormalityCheck& c) {
  char buf[256];
  std::snprintf(buf, sizeof buf,
                c.normal_rejected
                    ? "Anderson-Darling A*2 = %.3f (p = %.4f): the data do not look normal, so the capability "
                      "indices and their intervals may mislead."
                    : "Anderson-Darling A*2 = %.3f (p = %.4f): no evidence against normality at the 5%% level.",
                c.adjusted, c.p_value);
  std::string note = buf;
  if (c.n < 8) note += " With fewer than 8 values the test has little power.";
  return note;
}

}  // namespace

NormalityCheck AndersonDarling(std::span<const double> values) {
  NormalityCheck c;
  c.n = values.size();
  if (c.n < 3) {
    c.note = "Normality not tested: fewer than 3 values.";
    return c;
  }
  const double mean = Mean(values), s = StdDev(values);
  if (!(s > 0)) {
    c.note = "Normality not tested: the values do not vary.";
    return c;
  }
  std::vector<double> sorted(values.begin(), values.end());
  std::sort(sorted.begin(), sorted.end());
  const double n = static_cast<double>(c.n);
  double sum = 0;
  for (std::size_t i = 0; i < c.n; ++i) {
    const double lo = ClampProbability(0.5 * std::erfc(-(sorted[i] - mean) / s / std::sqrt(2.0)));
    const double hi = ClampProbability(0.5 * std::erfc(-(sorted[c.n - 1 - i] - mean) / s / std::sqrt(2.0)));
    sum += (2.0 * static_cast<double>(i) + 1.0) * (std::log(lo) + std::log(1.0 - hi));
  }
  c.anderson_darling = -n - sum / n;
  c.adjusted = c.anderson_darling * (1.0 + 0.75 / n + 2.25 / (n * n));
  c.p_value = std::clamp(PValue(c.adjusted), 0.0, 1.0);
  c.normal_rejected = c.p_value < 0.05;
  c.note = Note(c);
  return c;
}

}  // namespace zhizao::analytics::spc
