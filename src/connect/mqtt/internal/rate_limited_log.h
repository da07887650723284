// Logs a connector's repeated complaints at most once per interval, saying how many it held
// back, so that a broker flooding bad payloads cannot flood the log. Thread-safe.
#pragma once

#include <chrono>
#include <cstdint>
#include <mutex>
#include <string>
#include <string_view>

namespace zhizao::connect::mqtt {

class RateLimitedLog {
 public:
  RateLimitedLog(std::string connector, std::chrono::seconds interval) : connector_(std::move(connector)), interval_(interval) {}

  const std::string& connector() const { return connector_; }

  // Logs a warning "connector <name>: <message>" unless one was logged less than an interval ago.
  void Warn(std::string_view message);

 private:
  const std::string connector_;
  const std::chrono::steady_clock::duration interval_;
  std::mutex mu_;
  std::chrono::steady_clock::time_point last_{};  // GUARDED_BY(mu_)
  uint64_t held_back_ = 0;                         // GUARDED_BY(mu_)
};

}  // namespace zhizao::connect::mqtt
