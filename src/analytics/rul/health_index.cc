#include "analytics/rul/health_index.h"

#include <Eigen/Dense>

#include <algorithm>
#include <cmath>

namespace zhizao::analytics::rul {
namespace {

using Index = Eigen::Index;

double WeightAt(std::span<const float> weights, size_t row) { return weights.empty() ? 1.0 : weights[row]; }

double At(const FeatureMatrix& x, size_t row, size_t col) { return x.values[row * x.cols + col]; }

// Weighted mean and standard deviation per column; a constant column keeps scale 1 so that its
// standardised value is 0 and its coefficient is shrunk to 0.
void Standardise(const FeatureMatrix& x, std::span<const float> w, double weight_sum, HealthIndexParts& p) {
  p.mean.assign(x.cols, 0.0), p.scale.assign(x.cols, 0.0);
  for (size_t i = 0; i < x.rows; ++i) {
    for (size_t j = 0; j < x.cols; ++j) p.mean[j] += WeightAt(w, i) * At(x, i, j);
  }
  for (double& m : p.mean) m /= weight_sum;
  for (size_t i = 0; i < x.rows; ++i) {
    for (size_t j = 0; j < x.cols; ++j) {
      const double d = At(x, i, j) - p.mean[j];
      p.scale[j] += WeightAt(w, i) * d * d;
    }
  }
  for (double& s : p.scale) s = s > 1e-24 * weight_sum ? std::sqrt(s / weight_sum) : 1.0;
}

}  // namespace

Result<HealthIndex> HealthIndex::Fit(const FeatureMatrix& x, std::span<const double> targets,
                                     std::span<const float> weights, double ridge, double lower, double upper) {
  double weight_sum = 0, target_mean = 0;
  for (size_t i = 0; i < x.rows; ++i) weight_sum += WeightAt(weights, i), target_mean += WeightAt(weights, i) * targets[i];
  target_mean /= weight_sum;
  HealthIndexParts p{.intercept = target_mean, .lower = lower, .upper = upper};
  Standardise(x, weights, weight_sum, p);
  const auto cols = static_cast<Index>(x.cols);
  Eigen::MatrixXd gram = Eigen::MatrixXd::Identity(cols, cols) * (ridge * weight_sum);
  Eigen::VectorXd rhs = Eigen::VectorXd::Zero(cols);
  Eigen::VectorXd z(cols);
  for (size_t i = 0; i < x.rows; ++i) {
    for (size_t j = 0; j < x.cols; ++j) z(static_cast<Index>(j)) = (At(x, i, j) - p.mean[j]) / p.scale[j];
    const double w = WeightAt(weights, i);
    gram.selfadjointView<Eigen::Lower>().rankUpdate(z, w);
    rhs += w * (targets[i] - target_mean) * z;
  }
  const Eigen::LDLT<Eigen::MatrixXd> solver(gram.selfadjointView<Eigen::Lower>());
  if (solver.info() != Eigen::Success) return Status::Internal("cannot fit the health index: singular system");
  const Eigen::VectorXd coef = solver.solve(rhs);
  p.coef.assign(coef.data(), coef.data() + coef.size());
  for (double c : p.coef) {
    if (!std::isfinite(c)) return Status::Internal("cannot fit the health index: a coefficient is not finite");
  }
  return HealthIndex(std::move(p));
}

Result<HealthIndex> HealthIndex::FromParts(HealthIndexParts p) {
  const size_t n = p.coef.size();
  if (n == 0 || p.mean.size() != n || p.scale.size() != n) {
    return Status::Corruption("health index has inconsistent sizes");
  }
  for (size_t j = 0; j < n; ++j) {
    if (!std::isfinite(p.mean[j]) || !std::isfinite(p.coef[j]) || !std::isfinite(p.scale[j]) || !(p.scale[j] > 0)) {
      return Status::Corruption("health index has a non-finite value or a non-positive scale");
    }
  }
  if (!std::isfinite(p.intercept) || std::isnan(p.lower) || std::isnan(p.upper) || !(p.lower < p.upper)) {
    return Status::Corruption("health index has an invalid intercept or clamp");
  }
  return HealthIndex(std::move(p));
}

std::vector<float> HealthIndex::Apply(const FeatureMatrix& x) const {
  std::vector<float> out(x.rows);
  for (size_t i = 0; i < x.rows; ++i) {
    double v = parts_.intercept;
    for (size_t j = 0; j < x.cols; ++j) v += (At(x, i, j) - parts_.mean[j]) / parts_.scale[j] * parts_.coef[j];
    out[i] = static_cast<float>(std::clamp(v, parts_.lower, parts_.upper));
  }
  return out;
}

FeatureMatrix HealthIndex::Append(const FeatureMatrix& x) const {
  const std::vector<float> index = Apply(x);
  FeatureMatrix out{.rows = x.rows, .cols = x.cols + 1, .values = {}};
  out.values.reserve(out.rows * out.cols);
  for (size_t i = 0; i < x.rows; ++i) {
    const auto row = x.values.begin() + static_cast<std::ptrdiff_t>(i * x.cols);
    out.values.insert(out.values.end(), row, row + static_cast<std::ptrdiff_t>(x.cols));
    out.values.push_back(index[i]);
  }
  return out;
}

}  // namespace zhizao::analytics::rul
