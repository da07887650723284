#include "connect/mqtt/internal/rate_limited_log.h"

#include <spdlog/spdlog.h>

namespace zhizao::connect::mqtt {

void RateLimitedLog::Warn(std::string_view message) {
  uint64_t held_back = 0;
  {
    std::lock_guard lock(mu_);
    auto now = std::chrono::steady_clock::now();
    if (last_ != std::chrono::steady_clock::time_point{} && now - last_ < interval_) {
      ++held_back_;
      return;
    }
    last_ = now;
    held_back = std::exchange(held_back_, 0);
  }
  if (held_back == 0) {
    spdlog::warn("connector {}: {}", connector_, message);
  } else {
    spdlog::warn("connector {}: {} ({} similar messages held back)", connector_, message, held_back);
  }
}

}  // namespace zhizao::connect::mqtt
