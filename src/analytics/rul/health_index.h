// A linear health index: ridge regression of the target (capped RUL, or the label) on the
// window features, fed to the ensemble members as one more feature (docs/analytics/rul.md).
//
// The trees split on one feature at a time; the index sums the slow drift of every sensor in one
// number, which the trees cannot form themselves. Alone it predicts worse than the trees (C-MAPSS
// FD001 cross-validated uncapped RMSE 15.9 against 11.6); as an input to every member it lowered
// the ensemble's to 10.7 (docs/analytics/cmapss.md; half the members with it: 10.9).
//
// Features are standardised (weighted mean and standard deviation; a constant feature keeps scale
// 1); the penalty is ridge × (sum of weights) on every standardised coefficient, none on the
// intercept; the output is clamped to [lower, upper].
// Immutable after Fit/FromParts; const methods are thread-safe. Internal to analytics/rul.
#pragma once

#include <span>
#include <vector>

#include "analytics/rul/booster.h"
#include "common/status.h"

namespace zhizao::analytics::rul {

struct HealthIndexParts {
  std::vector<double> mean;   // per feature
  std::vector<double> scale;  // per feature, > 0
  std::vector<double> coef;   // per standardised feature
  double intercept = 0;
  double lower = 0;           // clamp of the output; lower < upper (may be infinite)
  double upper = 0;
};

class HealthIndex {
 public:
  // REQUIRES: targets.size() == x.rows > 0, weights empty (all 1) or of size x.rows; ridge > 0.
  // kInternal when the solve fails (it cannot for ridge > 0 and finite inputs).
  static Result<HealthIndex> Fit(const FeatureMatrix& x, std::span<const double> targets,
                                 std::span<const float> weights, double ridge, double lower, double upper);
  // kCorruption when the sizes differ, a value is not finite (the clamp may be infinite), a scale
  // is not positive, or lower >= upper.
  static Result<HealthIndex> FromParts(HealthIndexParts parts);

  // One value per row. REQUIRES: x.cols == feature_count().
  std::vector<float> Apply(const FeatureMatrix& x) const;
  // x with the index appended as its last column.
  FeatureMatrix Append(const FeatureMatrix& x) const;

  size_t feature_count() const { return parts_.coef.size(); }
  const HealthIndexParts& parts() const { return parts_; }

 private:
  explicit HealthIndex(HealthIndexParts parts) : parts_(std::move(parts)) {}
  HealthIndexParts parts_;
};

}  // namespace zhizao::analytics::rul
