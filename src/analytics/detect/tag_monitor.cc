#include "analytics/detect/tag_monitor.h"

#include <algorithm>
#include <cmath>
#include <limits>

namespace zhizao::analytics::detect {
namespace {
constexpr double kLargest = 1e100;  // finite values are clamped to +-this for the statistics
constexpr double kAlarm = 0.5;
}  // namespace

struct TagMonitor::Scores {
  double by_bit[9] = {};  // indexed by the bit position of DetectorBit
};

TagMonitor::TagMonitor(const TagMonitorOptions& options)
    : opt_(options), dspot_(options.dspot), cusum_(options.cusum), faults_(options.faults) {
  if (opt_.enabled & kContext) context_ = std::make_unique<ContextDetector>(options.context);
  opt_.rest = std::max(opt_.rest, 0);
}

Verdict TagMonitor::Update(int64_t ts_ns, double value, uint32_t counted) {
  Scores s;
  if (!std::isfinite(value)) {
    s.by_bit[8] = 1.0;
  } else {
    const double x = std::clamp(value, -kLargest, kLargest);
    const SensorFaultScores f = faults_.Update(ts_ns, x);
    // The context detector is the costly one (a 16 KiB table, a third of the time): only when on.
    if (context_) s.by_bit[0] = context_->Update(x);
    s.by_bit[1] = dspot_.Update(x);
    s.by_bit[2] = cusum_.Update(x);
    s.by_bit[3] = f.stuck;
    s.by_bit[4] = f.spike;
    s.by_bit[5] = f.dropout;
    s.by_bit[6] = f.out_of_range;
    s.by_bit[7] = f.rate;
  }
  Verdict v = Combine(ts_ns, value, s, counted);
  ++samples_;
  if (ts_ns > last_ts_ || samples_ == 1) last_ts_ = ts_ns;
  return v;
}

Verdict TagMonitor::Combine(int64_t ts_ns, double value, const Scores& s, uint32_t counted) {
  Verdict v;
  v.value = value;
  v.gap_ns = samples_ > 0 && ts_ns > last_ts_ ? ts_ns - last_ts_ : 0;
  v.expected_low = dspot_.lower_bound();
  v.expected_high = dspot_.upper_bound();
  for (uint32_t i = 0; i < 9; ++i) {
    const uint32_t bit = 1u << i;
    if ((opt_.enabled & counted & bit) == 0) continue;
    const double score = s.by_bit[i];
    if (score >= kAlarm) v.fired |= bit;
    if (score > v.score) {
      v.score = score;
      v.top = bit;
    }
  }
  v.onset = quiet_ >= static_cast<uint64_t>(opt_.rest) ? v.score : 0.0;
  quiet_ = v.score >= kAlarm ? 0 : quiet_ + 1;
  return v;
}

}  // namespace zhizao::analytics::detect
