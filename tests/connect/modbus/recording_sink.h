// A TagSink that keeps what a connector hands over, for tests: a test double of our own
// interface. Thread-safe.
#pragma once

#include <chrono>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "connect/tag_sink.h"

namespace zhizao::connect::modbus {

class RecordingSink final : public TagSink {
 public:
  Result<std::vector<TagId>> EnsureTags(std::span<const TagSpec> specs) override {
    std::lock_guard lock(mu_);
    std::vector<TagId> ids;
    for (const TagSpec& spec : specs) {
      auto [it, added] = ids_.emplace(spec.path, static_cast<TagId>(ids_.size() + 1));
      specs_[spec.path] = spec;
      paths_[it->second] = spec.path;
      ids.push_back(it->second);
    }
    return ids;
  }

  Status Write(const Batch& batch) override {
    std::lock_guard lock(mu_);
    for (const Point& point : batch.points) points_[paths_.at(point.tag)].push_back(point);
    return Status::Ok();
  }

  std::vector<Point> PointsOf(const std::string& path) {
    std::lock_guard lock(mu_);
    auto it = points_.find(path);
    return it == points_.end() ? std::vector<Point>() : it->second;
  }

  std::optional<Point> LastOf(const std::string& path) {
    std::lock_guard lock(mu_);
    auto it = points_.find(path);
    if (it == points_.end() || it->second.empty()) return std::nullopt;
    return it->second.back();
  }

  std::optional<TagSpec> SpecOf(const std::string& path) {
    std::lock_guard lock(mu_);
    auto it = specs_.find(path);
    if (it == specs_.end()) return std::nullopt;
    return it->second;
  }

 private:
  std::mutex mu_;
  std::map<std::string, TagId> ids_;              // GUARDED_BY(mu_)
  std::map<TagId, std::string> paths_;            // GUARDED_BY(mu_)
  std::map<std::string, TagSpec> specs_;          // GUARDED_BY(mu_)
  std::map<std::string, std::vector<Point>> points_;  // GUARDED_BY(mu_)
};

// Polls `condition` every 10 ms until it holds or `limit` passes; returns whether it held.
template <typename Condition>
bool WaitFor(Condition condition, std::chrono::milliseconds limit = std::chrono::seconds(10)) {
  auto deadline = std::chrono::steady_clock::now() + limit;
  while (!condition()) {
    if (std::chrono::steady_clock::now() > deadline) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  return true;
}

}  // namespace zhizao::connect::modbus
