#include "analytics/detect/novelty_likelihood.h"

#include <algorithm>
#include <cmath>

namespace zhizao::analytics::detect {

NoveltyLikelihood::NoveltyLikelihood(const LikelihoodOptions& options) : opt_(options) {
  opt_.short_window = std::clamp(opt_.short_window, 1, kMaxShortWindow);
  opt_.long_window = std::max(opt_.long_window, 2.0);
  opt_.min_samples = std::max(opt_.min_samples, 1);
  opt_.alarm_p = std::clamp(opt_.alarm_p, 1e-300, 0.5);
  opt_.min_variance = std::max(opt_.min_variance, 1e-12);
  ring_.assign(static_cast<size_t>(opt_.short_window), 0.0);
}

double NoveltyLikelihood::Update(double raw) {
  raw = std::clamp(raw, 0.0, 1.0);
  sum_ += raw - ring_[static_cast<size_t>(head_)];
  ring_[static_cast<size_t>(head_)] = raw;
  head_ = (head_ + 1) % opt_.short_window;
  if (filled_ < opt_.short_window) {
    ++filled_;
    if (filled_ < opt_.short_window) return 0;
  }
  const double m = std::max(sum_, 0.0) / opt_.short_window;
  // Score against the distribution learnt so far, then learn this average (HTM does the same).
  double score = 0;
  // At or below the usual rate nothing is unusual: score 0 without the tail (one-sided test;
  // it also spares the erfc and log on most samples).
  if (n_ >= opt_.min_samples && m > mean_) {
    const double z = (m - mean_) / std::sqrt(std::max(var_, opt_.min_variance));
    const double tail = std::max(0.5 * std::erfc(z / std::sqrt(2.0)), 1e-300);
    score = std::clamp(0.5 * std::log(tail) / std::log(opt_.alarm_p), 0.0, 1.0);
  }
  n_ = std::min(n_ + 1, opt_.long_window);
  const double a = 1.0 / n_;
  const double d = m - mean_;
  mean_ += a * d;
  var_ = (1 - a) * (var_ + a * d * d);
  return score;
}

void NoveltyLikelihood::Save(StateWriter& w) const {
  for (int i = 0; i < opt_.short_window; ++i) w.F64(ring_[static_cast<size_t>(i)]);
  w.U32(static_cast<uint32_t>(head_));
  w.U32(static_cast<uint32_t>(filled_));
  w.F64(sum_);
  w.F64(n_);
  w.F64(mean_);
  w.F64(var_);
}

bool NoveltyLikelihood::Load(StateReader& r) {
  for (int i = 0; i < opt_.short_window; ++i) {
    double& v = ring_[static_cast<size_t>(i)];
    if (!r.F64(v) || !(v >= 0 && v <= 1)) return false;
  }
  uint32_t head = 0, filled = 0;
  if (!r.U32(head) || !r.U32(filled) || head >= static_cast<uint32_t>(opt_.short_window) ||
      filled > static_cast<uint32_t>(opt_.short_window))
    return false;
  head_ = static_cast<int>(head);
  filled_ = static_cast<int>(filled);
  if (!r.F64(sum_) || !r.F64(n_) || !r.F64(mean_) || !r.F64(var_)) return false;
  return std::isfinite(sum_) && std::fabs(sum_) <= kMaxShortWindow + 1 && n_ >= 0 && n_ <= opt_.long_window &&
         std::isfinite(mean_) && std::isfinite(var_) && var_ >= 0;
}

}  // namespace zhizao::analytics::detect
