// EWMA chart (Roberts 1959; Montgomery ISQC §9.2; NIST/SEMATECH e-Handbook §6.3.2.4).
//
//   z_t = λ·x_t + (1 - λ)·z_{t-1},  z_0 = target
//   sigma_z(t) = sigma·sqrt(λ/(2-λ)·(1 - (1-λ)^{2t}))     (exact, time-varying)
//   limits     = target ± L·sigma_z(t); asymptotic when exact_limits is false
// x_t is the plotted statistic: an individual value, or the mean of a subgroup; `sigma` is
// the standard deviation of that statistic (sigma/sqrt(n) for means of n).
// Only rule 1 (beyond the limits) applies: EWMA points are autocorrelated by design.
// Thread safety: EwmaChart is not thread-safe; memory O(1).
#pragma once

#include <span>

#include "analytics/spc/types.h"
#include "common/status.h"

namespace zhizao::analytics::spc {

struct EwmaParams {
  double target = 0.0;   // center line and z_0
  double sigma = 0.0;    // standard deviation of the plotted statistic; > 0
  double lambda = 0.2;   // weight of the newest point, in (0, 1]. Default: 0.2
  double width = 3.0;    // L, limit width in sigma_z. Default: 3
  bool exact_limits = true;  // time-varying limits for early points. Default: true
};

Status Validate(const EwmaParams& p);

enum class SigmaMethod {
  kMovingRange,  // MR̄ / d2(2): within (short-term) variation. Montgomery's choice.
  kSampleStdDev, // sample s (n - 1): the NIST e-Handbook example's choice.
};

// Phase I: target = mean of the baseline, sigma by `method`. Errors: < 2 values, NaN, zero
// variation.
Result<EwmaParams> EstimateEwma(std::span<const double> baseline, double lambda, double width,
                                SigmaMethod method = SigmaMethod::kMovingRange);

class EwmaChart {
 public:
  // REQUIRES: Validate(params).ok().
  explicit EwmaChart(const EwmaParams& params) : params_(params), z_(params.target) {}

  // Plots x (already a subgroup mean if subgrouped) as point `index`.
  ChartPoint Push(double x);
  const EwmaParams& params() const { return params_; }

 private:
  EwmaParams params_;
  double z_;
  std::size_t count_ = 0;
};

}  // namespace zhizao::analytics::spc
