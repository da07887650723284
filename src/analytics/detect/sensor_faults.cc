#include "analytics/detect/sensor_faults.h"

#include <algorithm>
#include <cmath>

namespace zhizao::analytics::detect {
namespace {
constexpr double kAlpha = 0.02;  // weight of a sample in the learnt usual values (~50 samples)
constexpr double kMinRelative = 1e-9;

// 0 below `limit`, 0.5 at it, 1 at twice it.
double Ramp(double ratio_to_limit) {
  if (!(ratio_to_limit >= 1)) return 0;
  return std::min(1.0, 0.5 * ratio_to_limit);
}

double Floor(double scale, double level) { return std::max(scale, kMinRelative * std::max(1.0, std::fabs(level))); }
}  // namespace

double SensorFaults::StuckScore() const {
  if (!ever_changed_ || n_ < static_cast<uint64_t>(opt_.warmup)) return 0;
  const double limit =
      std::max(static_cast<double>(opt_.stuck_min_run), opt_.stuck_factor * static_cast<double>(longest_run_));
  return Ramp(static_cast<double>(run_) / limit);
}

double SensorFaults::GapScore(double gap_s) const {
  if (n_ < static_cast<uint64_t>(opt_.warmup) || interval_s_ <= 0) return 0;
  return Ramp(gap_s / (opt_.dropout_factor * interval_s_));
}

double SensorFaults::DropoutScore(int64_t now_ns) const {
  if (n_ == 0 || now_ns <= last_ts_) return 0;
  return GapScore(static_cast<double>(now_ns - last_ts_) * 1e-9);
}

void SensorFaults::Learn(double x, double gap_s, double rate) {
  const double a = n_ < static_cast<uint64_t>(opt_.warmup) ? 1.0 / static_cast<double>(n_ + 1) : kAlpha;
  dev_ += a * (std::fabs(x - level_) - dev_);
  level_ += a * (x - level_);
  if (gap_s > 0) {
    // A long gap must not teach that gaps are usual: learn at most twice the current interval.
    const double g = interval_s_ > 0 ? std::min(gap_s, 2 * interval_s_) : gap_s;
    interval_s_ += (interval_s_ > 0 ? a : 1.0) * (g - interval_s_);
    rate_ += a * (std::min(rate, rate_ > 0 ? 4 * rate_ : rate) - rate_);
  }
}

SensorFaultScores SensorFaults::Update(int64_t ts_ns, double x) {
  SensorFaultScores s;
  s.out_of_range = (x < opt_.low || x > opt_.high) ? 1.0 : 0.0;
  if (n_ == 0) {
    level_ = last_x_ = x;
    last_ts_ = ts_ns;
    n_ = 1;
    run_ = 1;
    return s;
  }
  const double time_s = ts_ns > last_ts_ ? static_cast<double>(ts_ns - last_ts_) * 1e-9 : 0.0;
  // An unknown gap is neither a dropout nor an interval to learn; the rate across it is still a
  // lower bound of the true one, so a given rate limit holds.
  const double gap_s = gap_unknown_ ? 0.0 : time_s;
  gap_unknown_ = false;
  const double rate = time_s > 0 ? std::fabs(x - last_x_) / time_s : 0.0;
  if (x == last_x_) {
    ++run_;
  } else {
    if (StuckScore() < 0.5) longest_run_ = std::max(longest_run_, run_);
    run_ = 1;
    ever_changed_ = true;
  }
  s.stuck = StuckScore();
  s.dropout = GapScore(gap_s);
  if (n_ >= static_cast<uint64_t>(opt_.warmup)) {
    s.spike = Ramp(std::fabs(x - level_) / (opt_.spike_sigmas * Floor(dev_, level_)));
    const double usual = rate_ > 0 ? opt_.roc_factor * rate_ : 0;
    s.rate = usual > 0 ? Ramp(rate / usual) : 0.0;
  }
  s.rate = std::max(s.rate, Ramp(rate / opt_.max_rate_per_s));  // a given limit holds from the start
  if (s.spike < 0.5) Learn(x, gap_s, rate);
  last_x_ = x;
  if (ts_ns > last_ts_) last_ts_ = ts_ns;
  ++n_;
  return s;
}

void SensorFaults::Save(StateWriter& w) const {
  w.U64(n_);
  w.I64(last_ts_);
  w.F64(last_x_);
  w.U64(run_);
  w.U64(longest_run_);
  w.U8(ever_changed_ ? 1 : 0);
  w.F64(interval_s_);
  w.F64(level_);
  w.F64(dev_);
  w.F64(rate_);
}

bool SensorFaults::Load(StateReader& r) {
  uint8_t changed = 0;
  if (!(r.U64(n_) && r.I64(last_ts_) && r.F64(last_x_) && r.U64(run_) && r.U64(longest_run_) && r.U8(changed) &&
        r.F64(interval_s_) && r.F64(level_) && r.F64(dev_) && r.F64(rate_)))
    return false;
  ever_changed_ = changed == 1;
  return changed <= 1 && interval_s_ >= 0 && dev_ >= 0 && rate_ >= 0 && std::isfinite(level_);
}

}  // namespace zhizao::analytics::detect
