// Percentiles of a connector's recent timings (poll latency, poll-period jitter).
#pragma once

#include <array>
#include <cstdint>
#include <mutex>

namespace zhizao::connect {

struct TimingSummary {
  uint64_t count = 0;  // observations since creation
  double p50_ms = 0;   // over the last TimingWindow::kCapacity observations
  double p99_ms = 0;
  double max_ms = 0;
};

// The last kCapacity observations, in milliseconds. Thread-safe.
class TimingWindow {
 public:
  static constexpr size_t kCapacity = 4096;

  void Observe(double ms);
  // Sorts a copy: O(kCapacity log kCapacity), for status reads, not per observation.
  TimingSummary Summary() const;

 private:
  mutable std::mutex mu_;
  std::array<float, kCapacity> recent_{};  // GUARDED_BY(mu_), a ring
  uint64_t count_ = 0;                     // GUARDED_BY(mu_)
};

}  // namespace zhizao::connect
