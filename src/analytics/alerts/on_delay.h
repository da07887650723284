// An on-delay after ISA-18.2: a source that has no active event opens one only when enough
// alarming samples fall within a window, so one stray sample is not an alert.
#pragma once

#include <cstdint>
#include <deque>

namespace zhizao::analytics::alerts {

// Not thread-safe: one per source, owned with its AlarmTracker.
class OnDelay {
 public:
  // REQUIRES: samples >= 1, window_ns >= 0.
  OnDelay(int samples, int64_t window_ns) : samples_(samples), window_ns_(window_ns) {}

  // Records an alarming sample at ts_ns; true when it is the samples-th within the window (the
  // count then starts again).
  bool Confirm(int64_t ts_ns) {
    alarms_ns_.push_back(ts_ns);
    while (!alarms_ns_.empty() &&
           (alarms_ns_.front() < ts_ns - window_ns_ || static_cast<int>(alarms_ns_.size()) > samples_)) {
      alarms_ns_.pop_front();
    }
    if (static_cast<int>(alarms_ns_.size()) < samples_) return false;
    alarms_ns_.clear();
    return true;
  }

 private:
  int samples_;
  int64_t window_ns_;
  std::deque<int64_t> alarms_ns_;  // at most samples_ entries
};

}  // namespace zhizao::analytics::alerts
