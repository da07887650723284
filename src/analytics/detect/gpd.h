// Generalized Pareto tail fitted by the method of moments, with exponential forgetting.
//
// SPOT/DSPOT (Siffer et al., KDD 2017) model the excesses Y = X - t over a high threshold t with
// a GPD(gamma, sigma). We fit by the method of moments (Hosking & Wallis 1987):
//   gamma = (1 - m^2/v) / 2,  sigma = m (m^2/v + 1) / 2     (m, v: mean and variance of Y)
// chosen over Grimshaw's maximum-likelihood trick because it needs only running sums, so an
// update is O(1) time and memory. Its known limit (biased when gamma >= 1/2, i.e. very heavy
// tails) is handled by clamping gamma to [0, 0.45]; gamma < 0 (a bounded tail) is not
// allowed either, see gpd.cc. Sums decay by (1 - 1/horizon) per excess
// so that the fit follows slow changes with bounded weight. Not thread-safe.
#pragma once

#include <cstdint>

#include "analytics/detect/state_codec.h"

namespace zhizao::analytics::detect {

class GpdTail {
 public:
  explicit GpdTail(double horizon = 256) : decay_(1.0 - 1.0 / horizon) {}

  void AddExcess(double y);
  // Shape and scale of the current fit; valid once count() > 0.
  double gamma() const;
  double sigma() const;
  double count() const { return w_; }

  // P(Y > y) given an excess exists; 0 beyond a bounded tail's end.
  double Survival(double y) const;
  // The excess y with Survival(y) = p (0 < p <= 1).
  double Quantile(double p) const;

  void Save(StateWriter& w) const;
  bool Load(StateReader& r);

 private:
  double decay_;
  double w_ = 0, s1_ = 0, s2_ = 0;  // decayed count, sum of y, sum of y^2
};

}  // namespace zhizao::analytics::detect
