// Reconnect delays: doubling from `min` to `max`, each drawn uniformly from [delay/2, delay] so
// that connectors that lost the same device do not all return at the same instant.
// Not thread-safe.
#pragma once

#include <algorithm>
#include <chrono>
#include <random>

namespace zhizao::connect::modbus {

class Backoff {
 public:
  Backoff(std::chrono::milliseconds min, std::chrono::milliseconds max)
      : min_(min), max_(max), next_(min), rng_(std::random_device{}()) {}

  std::chrono::milliseconds Next() {
    std::uniform_int_distribution<int64_t> draw(next_.count() / 2, next_.count());
    std::chrono::milliseconds delay(draw(rng_));
    next_ = std::min(next_ * 2, max_);
    return delay;
  }
  void Reset() { next_ = min_; }

 private:
  const std::chrono::milliseconds min_, max_;
  std::chrono::milliseconds next_;
  std::minstd_rand rng_;
};

}  // namespace zhizao::connect::modbus
