#include "analytics/detect/gpd.h"

#include <algorithm>
#include <cmath>

namespace zhizao::analytics::detect {
namespace {
// No bounded tails: a negative shape puts a hard end on the distribution, which a few hundred
// excesses cannot support, and every value past it would alarm. The exponential (0) is the
// lightest tail we assume: conservative, fewer false alarms than nominal on light tails.
constexpr double kMinGamma = 0.0;
constexpr double kMaxGamma = 0.45;
constexpr double kTinyGamma = 1e-9;
}  // namespace

void GpdTail::AddExcess(double y) {
  w_ = w_ * decay_ + 1;
  s1_ = s1_ * decay_ + y;
  s2_ = s2_ * decay_ + y * y;
}

double GpdTail::gamma() const {
  if (w_ <= 0) return 0;
  const double m = s1_ / w_;
  const double v = std::max(s2_ / w_ - m * m, 0.0);
  if (v <= 0 || m <= 0) return kMinGamma;  // all excesses equal: the tightest tail we allow
  return std::clamp(0.5 * (1 - m * m / v), kMinGamma, kMaxGamma);
}

double GpdTail::sigma() const {
  if (w_ <= 0) return 0;
  // With gamma clamped, sigma = m (1 - gamma) keeps the fitted mean equal to the sample mean.
  const double m = s1_ / w_;
  return std::max(m * (1 - gamma()), 0.0);
}

double GpdTail::Survival(double y) const {
  const double g = gamma(), s = sigma();
  if (s <= 0) return y <= 0 ? 1.0 : 0.0;
  if (std::fabs(g) < kTinyGamma) return std::exp(-y / s);
  const double base = 1 + g * y / s;
  if (base <= 0) return 0;
  return std::pow(base, -1 / g);
}

double GpdTail::Quantile(double p) const {
  const double g = gamma(), s = sigma();
  if (std::fabs(g) < kTinyGamma) return -s * std::log(p);
  return s / g * (std::pow(p, -g) - 1);
}

void GpdTail::Save(StateWriter& w) const {
  w.F64(w_);
  w.F64(s1_);
  w.F64(s2_);
}

bool GpdTail::Load(StateReader& r) {
  return r.F64(w_) && r.F64(s1_) && r.F64(s2_) && std::isfinite(w_) && std::isfinite(s1_) && std::isfinite(s2_) &&
         w_ >= 0;
}

}  // namespace zhizao::analytics::detect
