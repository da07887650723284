// An on-delay after ISA-18.2: a source that has no active event opens one only when enough
// alarming samples fall within a window, so one stray sample is not an alert.
#pragma once

#include <array>
#include <cstdint>
#include <memory>

namespace zhizao::analytics::alerts {

// Not thread-safe: one per source, owned with its AlarmTracker.
// There is one per watched tag (two, with its sensor health), so the recent alarms sit in a ring
// inside the object: a heap block is taken only when `samples` exceeds kInlineSamples.
class OnDelay {
 public:
  static constexpr int kInlineSamples = 6;  // the default confirm count is 5

  // REQUIRES: samples >= 1, window_ns >= 0.
  OnDelay(int samples, int64_t window_ns)
      : samples_(samples),
        window_ns_(window_ns),
        spilled_(samples > kInlineSamples ? std::make_unique<int64_t[]>(samples) : nullptr) {}

  // Records an alarming sample at ts_ns; true when it is the samples-th within the window (the
  // count then starts again).
  bool Confirm(int64_t ts_ns) { return Confirm(ts_ns, window_ns_); }
  // The same within window_ns instead of the constructor's window (a source sampled more slowly
  // than that window allows for `samples` samples asks for a longer one).
  bool Confirm(int64_t ts_ns, int64_t window_ns) {
    if (count_ == samples_) PopOldest();  // keep the newest samples_ alarms
    ring()[(first_ + count_) % samples_] = ts_ns;
    ++count_;
    while (count_ > 0 && ring()[first_] < ts_ns - window_ns) PopOldest();
    if (count_ < samples_) return false;
    first_ = 0;
    count_ = 0;
    return true;
  }

 private:
  int64_t* ring() { return spilled_ ? spilled_.get() : inline_.data(); }
  void PopOldest() {
    first_ = (first_ + 1) % samples_;
    --count_;
  }

  int samples_;
  int first_ = 0;  // the oldest alarm's slot in ring()
  int count_ = 0;  // alarms held, at most samples_, oldest first
  int64_t window_ns_;  // the default window
  std::array<int64_t, kInlineSamples> inline_{};  // the ring while samples_ <= kInlineSamples
  std::unique_ptr<int64_t[]> spilled_;          // ... and beyond
};

}  // namespace zhizao::analytics::alerts
