// Control limits from the distributions (MacGregor & Kourti 1995; Jackson & Mudholkar 1979; Box 1954).
#include <boost/math/distributions/chi_squared.hpp>
#include <boost/math/distributions/fisher_f.hpp>
#include <boost/math/distributions/normal.hpp>
#include <algorithm>
#include <cmath>

#include "analytics/multivariate/internal/model_data.h"

namespace zhizao::analytics::multivariate::internal {

double HotellingLimit(size_t k, size_t n, double confidence) {
  const double kd = static_cast<double>(k), nd = static_cast<double>(n);
  const boost::math::fisher_f_distribution<double> f(kd, nd - kd);
  return kd * (nd * nd - 1) / (nd * (nd - kd)) * boost::math::quantile(f, confidence);
}

double EmpiricalQuantile(std::vector<double> values, double confidence) {
  const size_t at = std::min(values.size() - 1,
                             static_cast<size_t>(std::ceil(confidence * static_cast<double>(values.size()))) - 1);
  std::nth_element(values.begin(), values.begin() + static_cast<std::ptrdiff_t>(at), values.end());
  return values[at];
}

double ChiSquaredLimit(double degrees, double confidence) {
  return boost::math::quantile(boost::math::chi_squared_distribution<double>(degrees), confidence);
}

double SpeLimit(const Eigen::VectorXd& residual_eigenvalues, double confidence) {
  const Eigen::VectorXd l = residual_eigenvalues.cwiseMax(0.0);
  const double t1 = l.sum(), t2 = l.array().square().sum(), t3 = l.array().cube().sum();
  if (t1 <= 0 || t2 <= 0) return 1e-12;  // nothing left in the residual: any deviation is one
  const double h0 = 1 - 2 * t1 * t3 / (3 * t2 * t2);
  if (h0 < 0.05) {
    // Very unequal residual eigenvalues make Jackson–Mudholkar's exponent blow up; Box's (1954)
    // g·χ²(h), with matched mean and variance, stays valid.
    const double g = t2 / t1, h = t1 * t1 / t2;
    return g * boost::math::quantile(boost::math::chi_squared_distribution<double>(h), confidence);
  }
  const double c = boost::math::quantile(boost::math::normal_distribution<double>(), confidence);
  const double inner = c * std::sqrt(2 * t2 * h0 * h0) / t1 + 1 + t2 * h0 * (h0 - 1) / (t1 * t1);
  return t1 * std::pow(inner, 1 / h0);
}

}  // namespace zhizao::analytics::multivariate::internal
