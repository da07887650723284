// Two-sided tabular CUSUM on the standardised value (Page 1954; Montgomery, SQC 8th ed. §9.1).
//
//   z = (x - mu) / s,  S+ = max(0, S+ + z - k),  S- = max(0, S- - z - k),  alarm when S > h.
// mu and s (a robust scale: 1.2533 x the mean absolute deviation) follow the series by an
// exponentially weighted average while no shift is building up (both sums below h/2), so the
// detector adapts to slow drift but not to the shift it is measuring. After an alarm the sums
// are reset, mu restarts from the recent level (a fast average) and is re-learnt for `warmup`
// samples, silently: the new level becomes normal.
// CUSUM assumes an in-control mean that is constant between shifts. A cycling or trending tag
// breaks that and would alarm every few samples; so the detector checks its premise online: when
// its own alarm rate (an exponential average over ~1000 samples) exceeds mute_factor x its
// design rate 1/ARL0, it scores 0 ("muted") until the rate falls back. O(1) time and memory.
// Not thread-safe.
#pragma once

#include <cstdint>

#include "analytics/detect/state_codec.h"

namespace zhizao::analytics::detect {

struct CusumOptions {
  // Reference value k and decision interval h in units of s. Default: k = 0.5 (tuned to a
  // 1-sigma shift) and h = 8: by Siegmund's approximation an in-control ARL of ~9,600 samples
  // (two-sided) instead of the ~465 of the textbook h = 5, which on a 1 Hz tag would be a false
  // alarm every 8 minutes; a 1.5-sigma shift is still found in ~9 samples.
  double k = 0.5;
  double h = 8;
  // Weight of a new sample in mu and s. Default: 0.01 (a memory of ~100 samples).
  double alpha = 0.01;
  // Samples before the first score, and after each alarm. Default: 30.
  int warmup = 30;
  // Mute when alarms come this many times more often than the in-control ARL allows.
  // Default: 10.
  double mute_factor = 10;
};

class Cusum {
 public:
  explicit Cusum(const CusumOptions& options = {});

  // Feeds one finite value; returns max(S+, S-) / (2h) clamped to [0, 1] (0.5 at the alarm).
  double Update(double x);

  double mean() const { return mu_; }
  bool muted() const;
  double scale() const { return s_; }

  void Save(StateWriter& w) const;
  bool Load(StateReader& r);

 private:
  void Learn(double x);
  CusumOptions opt_;
  double mute_rate_;  // alarm rate above which the detector is muted (from k, h, mute_factor)
  double mu_ = 0, s_ = 0, hi_ = 0, lo_ = 0;
  double fast_ = 0;        // fast average of x: the level to restart from after an alarm
  double alarm_rate_ = 0;  // exponential average of the alarm indicator
  uint64_t n_ = 0;
  uint64_t since_reset_ = 0;
};

}  // namespace zhizao::analytics::detect
