#include "analytics/detect/cusum.h"

#include <algorithm>
#include <cmath>

namespace zhizao::analytics::detect {
namespace {
constexpr double kMadToSigma = 1.2533;  // sigma / E|x - mu| for a normal distribution
// The scale never falls below this fraction of |mu| (or of 1), so a constant series does not
// divide by zero; any real change on it then reads as a large shift, as it should.
constexpr double kMinRelativeScale = 1e-9;
constexpr double kMaxZ = 1e6;
constexpr double kFastAlpha = 0.2;
constexpr double kRateAlpha = 1e-3;

// Two-sided in-control ARL by Siegmund's approximation, ARL1 = (e^(2kb) - 2kb - 1) / (2k^2) per
// side with b = h + 1.166, halved for two sides.
double DesignAlarmRate(double k, double h) {
  const double b = h + 1.166, x = 2 * k * b;
  const double one_side = (std::exp(x) - x - 1) / (2 * k * k);
  return 2 / std::max(one_side, 1.0);
}
}  // namespace

Cusum::Cusum(const CusumOptions& options)
    : opt_(options), mute_rate_(options.mute_factor * DesignAlarmRate(options.k, options.h)) {}

bool Cusum::muted() const { return alarm_rate_ > mute_rate_; }

void Cusum::Learn(double x) {
  const auto warm = static_cast<uint64_t>(opt_.warmup);
  const double a_mu = since_reset_ < warm ? 1.0 / static_cast<double>(since_reset_ + 1) : opt_.alpha;
  const double a_s = n_ < warm ? 1.0 / static_cast<double>(n_ + 1) : opt_.alpha;
  const double dev = std::fabs(x - mu_);
  mu_ += a_mu * (x - mu_);
  if (n_ > 0) s_ += a_s * (kMadToSigma * dev - s_);
}

double Cusum::Update(double x) {
  if (n_ == 0) mu_ = fast_ = x;
  fast_ += kFastAlpha * (x - fast_);
  ++n_;
  if (since_reset_ < static_cast<uint64_t>(opt_.warmup)) {
    Learn(x);
    ++since_reset_;
    return 0;
  }
  const double floor = kMinRelativeScale * std::max(1.0, std::fabs(mu_));
  const double z = std::clamp((x - mu_) / std::max(s_, floor), -kMaxZ, kMaxZ);
  hi_ = std::max(0.0, hi_ + z - opt_.k);
  lo_ = std::max(0.0, lo_ - z - opt_.k);
  const double s = std::max(hi_, lo_);
  const bool alarm = s > opt_.h;
  alarm_rate_ += kRateAlpha * ((alarm ? 1.0 : 0.0) - alarm_rate_);
  const double score = muted() ? 0.0 : std::clamp(s / (2 * opt_.h), 0.0, 1.0);
  if (alarm) {
    hi_ = lo_ = 0;
    mu_ = fast_;  // restart from the recent level and re-learn it
    since_reset_ = 0;
  } else if (s < opt_.h / 2) {
    Learn(x);
    ++since_reset_;
  }
  return score;
}

void Cusum::Save(StateWriter& w) const {
  w.F64(mu_);
  w.F64(s_);
  w.F64(hi_);
  w.F64(lo_);
  w.U64(n_);
  w.F64(fast_);
  w.F64(alarm_rate_);
  w.U64(since_reset_);
}

bool Cusum::Load(StateReader& r) {
  return r.F64(mu_) && r.F64(s_) && r.F64(hi_) && r.F64(lo_) && r.U64(n_) && r.F64(fast_) && r.F64(alarm_rate_) &&
         r.U64(since_reset_) && std::isfinite(mu_) && std::isfinite(fast_) && s_ >= 0 && hi_ >= 0 && lo_ >= 0 &&
         alarm_rate_ >= 0;
}

}  // namespace zhizao::analytics::detect
