// Tabular CUSUM (Page 1954; Montgomery ISQC §9.1; NIST/SEMATECH e-Handbook §6.3.2.3).
//
//   C+_t = max(0, C+_{t-1} + x_t - (target + K)),  C-_t = max(0, C-_{t-1} + (target - K) - x_t)
//   K = k·sigma, H = h·sigma; a signal when C+ > H or C- > H.
// x_t is the plotted statistic (individual value or subgroup mean) and `sigma` its
// standard deviation. The sums are not reset after a signal, as in the e-Handbook's table:
// a caller that acts on a signal starts a new chart. Only rule 1 (beyond H) applies.
// Thread safety: CusumChart is not thread-safe; memory O(1).
#pragma once

#include <utility>

#include "analytics/spc/types.h"
#include "common/status.h"

namespace zhizao::analytics::spc {

struct CusumParams {
  double target = 0.0;  // the in-control mean
  double sigma = 0.0;   // standard deviation of the plotted statistic; > 0
  double k = 0.5;       // reference value in sigma: half the shift to detect. Default: 0.5
  double h = 5.0;       // decision interval in sigma. Default: 5 (ARL0 ≈ 465 with k = 0.5)
};

Status Validate(const CusumParams& p);

class CusumChart {
 public:
  // REQUIRES: Validate(params).ok().
  explicit CusumChart(const CusumParams& params) : params_(params) {}

  // Returns the C+ point and the C- point for x: value = the sum (>= 0), center = lcl = 0,
  // ucl = H, sigma = 0 (no zone rules).
  std::pair<ChartPoint, ChartPoint> Push(double x);
  const CusumParams& params() const { return params_; }

 private:
  CusumParams params_;
  double upper_ = 0.0, lower_ = 0.0;
  std::size_t count_ = 0;
};

}  // namespace zhizao::analytics::spc
