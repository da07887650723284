// Sensor-fault rules for one tag: stuck, spike, dropout, out of range, rate of change.
//
// Each rule compares the sample with what this tag usually does (learnt online, O(1) state) and
// scores in [0, 1], 0.5 at the rule's alarm level and 1 at twice as far. Rules stay silent
// during the first `warmup` samples. A series that has been constant since its first sample is
// taken to be a setpoint and is never called stuck. Not thread-safe.
#pragma once

#include <cstdint>
#include <limits>

#include "analytics/detect/state_codec.h"

namespace zhizao::analytics::detect {

struct SensorFaultOptions {
  // Engineering limits; outside them the out-of-range score is 1. Default: none (+-inf).
  double low = -std::numeric_limits<double>::infinity();
  double high = std::numeric_limits<double>::infinity();
  // Largest credible |dvalue/dt| in units per second. Default: none.
  double max_rate_per_s = std::numeric_limits<double>::infinity();
  // Stuck alarms when a run of equal values reaches max(stuck_min_run, stuck_factor x the
  // longest earlier run). Default: 30 samples and 3x: a live process moves within 30 samples
  // and repeats of a quantised value rarely last 3x longer than ever before.
  int stuck_min_run = 30;
  double stuck_factor = 3;
  // Dropout alarms when the gap reaches dropout_factor x the usual interval. Default: 5.
  double dropout_factor = 5;
  // Spike alarms at spike_sigmas robust deviations from the recent level. Default: 8 (far past
  // the extreme-value range of DSPOT, so a spike is a gross error, not a tail event).
  double spike_sigmas = 8;
  // Rate of change alarms at roc_factor x the usual |dvalue/dt|. Default: 10.
  double roc_factor = 10;
  // Samples before rules that learn the usual behaviour may fire. Default: 30.
  int warmup = 30;
};

struct SensorFaultScores {
  double stuck = 0, spike = 0, dropout = 0, out_of_range = 0, rate = 0;
};

class SensorFaults {
 public:
  explicit SensorFaults(const SensorFaultOptions& options = {}) : opt_(options) {}

  // Feeds one finite value at ts_ns (nanoseconds; non-increasing timestamps count as no gap).
  SensorFaultScores Update(int64_t ts_ns, double x);

  // The dropout score of a tag whose last sample is older than now_ns; for timers.
  double DropoutScore(int64_t now_ns) const;
  // The next Update does not judge (or learn from) its gap since the last sample: samples of the
  // tag may have been lost on the way to the detectors, so the gap says nothing of the sensor.
  void ForgetGap() { gap_unknown_ = true; }
  double usual_interval_s() const { return interval_s_; }
  const SensorFaultOptions& options() const { return opt_; }

  void Save(StateWriter& w) const;
  bool Load(StateReader& r);

 private:
  double StuckScore() const;
  double GapScore(double gap_s) const;
  void Learn(double x, double gap_s, double rate);

  SensorFaultOptions opt_;
  uint64_t n_ = 0;
  int64_t last_ts_ = 0;
  double last_x_ = 0;
  uint64_t run_ = 0, longest_run_ = 0;
  bool ever_changed_ = false;
  bool gap_unknown_ = false;  // not saved: a restart begins with no gap anyway
  double interval_s_ = 0, level_ = 0, dev_ = 0, rate_ = 0;
};

}  // namespace zhizao::analytics::detect
