#include "analytics/spc/constants.h"

#include <cmath>
#include <map>
#include <mutex>
#include <string>
#include <vector>

namespace zhizao::analytics::spc {
namespace {

// Grid for the range integrals. The integrands are smooth and decay like the normal tails,
// so Simpson's rule at h = 0.05 on [-8, 8] already agrees with h = 0.025 on [-9, 9] to 1e-12
// for n = 2..1000 (and with the n = 2 closed forms to 1e-15).
constexpr double kStep = 0.05;
constexpr double kLow = -8.0;
constexpr int kPoints = 321;  // kLow .. +8 inclusive; odd, as Simpson's rule needs

double Phi(double x) { return 0.5 * std::erfc(-x / std::sqrt(2.0)); }

double SimpsonWeight(int i, int count) {
  if (i == 0 || i == count - 1) return 1.0;
  return (i % 2 == 1) ? 4.0 : 2.0;
}

// Φ on the grid extended by one full grid length, so that Φ(x_i + w_j) = table[i + j].
std::vector<double> PhiTable() {
  std::vector<double> table(2 * kPoints);
  for (int i = 0; i < 2 * kPoints; ++i) table[i] = Phi(kLow + kStep * i);
  return table;
}

// d2 = E[W] = ∫ 1 - Φ(x)^n - (1 - Φ(x))^n dx.
double RangeMean(int n, const std::vector<double>& phi) {
  double sum = 0;
  for (int i = 0; i < kPoints; ++i) {
    double f = 1.0 - std::pow(phi[i], n) - std::pow(1.0 - phi[i], n);
    sum += SimpsonWeight(i, kPoints) * f;
  }
  return sum * kStep / 3.0;
}

// E[W²] = 2 ∫∫_{x<y} 1 - Φ(y)^n - (1-Φ(x))^n + (Φ(y)-Φ(x))^n dx dy, with y = x + w, w >= 0:
// P(min <= x and max >= y) integrated over the triangle x < y.
double RangeSecondMoment(int n, const std::vector<double>& phi) {
  double sum = 0;
  for (int i = 0; i < kPoints; ++i) {
    double inner = 0;
    const double lower_tail = std::pow(1.0 - phi[i], n);
    for (int j = 0; j < kPoints; ++j) {
      const double up = phi[i + j];
      double f = 1.0 - std::pow(up, n) - lower_tail + std::pow(up - phi[i], n);
      inner += SimpsonWeight(j, kPoints) * f;
    }
    sum += SimpsonWeight(i, kPoints) * inner;
  }
  return 2.0 * sum * (kStep / 3.0) * (kStep / 3.0);
}

ControlConstants Compute(int n) {
  static const std::vector<double> phi = PhiTable();
  ControlConstants k;
  k.n = n;
  k.d2 = RangeMean(n, phi);
  k.d3 = std::sqrt(RangeSecondMoment(n, phi) - k.d2 * k.d2);
  k.c4 = C4(n);
  const double root_n = std::sqrt(static_cast<double>(n));
  k.a2 = 3.0 / (k.d2 * root_n);
  k.a3 = 3.0 / (k.c4 * root_n);
  const double s_spread = 3.0 * std::sqrt(1.0 - k.c4 * k.c4) / k.c4;
  k.b3 = std::max(0.0, 1.0 - s_spread);
  k.b4 = 1.0 + s_spread;
  k.d3_factor = std::max(0.0, 1.0 - 3.0 * k.d3 / k.d2);
  k.d4_factor = 1.0 + 3.0 * k.d3 / k.d2;
  return k;
}

}  // namespace

double C4(int n) {
  const double m = static_cast<double>(n);
  return std::sqrt(2.0 / (m - 1.0)) * std::exp(std::lgamma(m / 2.0) - std::lgamma((m - 1.0) / 2.0));
}

Result<ControlConstants> ConstantsFor(int n) {
  if (n < 2 || n > kMaxSubgroupSize) {
    return Status::InvalidArgument("cannot compute control constants: subgroup size " + std::to_string(n) +
                                   " is outside [2, " + std::to_string(kMaxSubgroupSize) + "]");
  }
  static std::mutex mu;
  static std::map<int, ControlConstants> cache;
  std::lock_guard<std::mutex> lock(mu);
  auto it = cache.find(n);
  if (it == cache.end()) it = cache.emplace(n, Compute(n)).first;
  return it->second;
}

}  // namespace zhizao::analytics::spc
