#include "connect/timing_window.h"

#include <algorithm>
#include <vector>

namespace zhizao::connect {

void TimingWindow::Observe(double ms) {
  std::lock_guard lock(mu_);
  recent_[count_ % kCapacity] = static_cast<float>(ms);
  ++count_;
}

TimingSummary TimingWindow::Summary() const {
  std::vector<float> sorted;
  TimingSummary summary;
  {
    std::lock_guard lock(mu_);
    summary.count = count_;
    sorted.assign(recent_.begin(), recent_.begin() + static_cast<ptrdiff_t>(std::min<uint64_t>(count_, kCapacity)));
  }
  if (sorted.empty()) return summary;
  std::sort(sorted.begin(), sorted.end());
  // Nearest rank: the smallest value with at least p% of the observations at or below it.
  auto rank = [&](double p) {
    size_t index = static_cast<size_t>(p * static_cast<double>(sorted.size()) + 0.999999);
    return static_cast<double>(sorted[std::clamp<size_t>(index, 1, sorted.size()) - 1]);
  };
  summary.p50_ms = rank(0.50);
  summary.p99_ms = rank(0.99);
  summary.max_ms = sorted.back();
  return summary;
}

}  // namespace zhizao::connect
