// A TagSink that records what it is given (a test double of our own interface, not of a
// peer), and bounded polls, for the MQTT connectors' tests.
#pragma once

#include <chrono>
#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "common/batch.h"
#include "connect/tag_sink.h"

namespace zhizao::connect::mqtt {

// Thread-safe.
class RecordingSink final : public TagSink {
 public:
  struct Sample {
    std::string path;
    Point point;
    std::string text;  // of a string value
  };

  Result<std::vector<TagId>> EnsureTags(std::span<const TagSpec> specs) override {
    std::lock_guard lock(mu_);
    std::vector<TagId> ids;
    for (const TagSpec& spec : specs) {
      auto it = specs_.find(spec.path);
      if (it != specs_.end() && it->second.type != spec.type) {
        return Status::FailedPrecondition("tag '" + spec.path + "' has another type");
      }
      if (spec.path.find('/') == std::string::npos) return Status::InvalidArgument("no asset in '" + spec.path + "'");
      if (it == specs_.end()) {
        specs_[spec.path] = spec;
        paths_.push_back(spec.path);
      }
      ids.push_back(IdLocked(spec.path));
    }
    return ids;
  }

  Status Write(const Batch& batch) override {
    std::lock_guard lock(mu_);
    ++batches_;
    for (const Point& p : batch.points) {
      Sample s{paths_.at(p.tag - 1), p, ""};
      if (p.value.type() == DataType::kString) s.text = batch.StringOf(p.value);
      samples_.push_back(std::move(s));
    }
    return Status::Ok();
  }

  std::vector<Sample> SamplesOf(const std::string& path) const {
    std::lock_guard lock(mu_);
    std::vector<Sample> found;
    for (const Sample& s : samples_) {
      if (s.path == path) found.push_back(s);
    }
    return found;
  }
  std::optional<TagSpec> Spec(const std::string& path) const {
    std::lock_guard lock(mu_);
    auto it = specs_.find(path);
    if (it == specs_.end()) return std::nullopt;
    return it->second;
  }
  size_t sample_count() const {
    std::lock_guard lock(mu_);
    return samples_.size();
  }
  size_t batch_count() const {
    std::lock_guard lock(mu_);
    return batches_;
  }

 private:
  TagId IdLocked(const std::string& path) const {
    for (size_t i = 0; i < paths_.size(); ++i) {
      if (paths_[i] == path) return static_cast<TagId>(i + 1);
    }
    return 0;
  }

  mutable std::mutex mu_;
  std::map<std::string, TagSpec> specs_;  // GUARDED_BY(mu_)
  std::vector<std::string> paths_;        // GUARDED_BY(mu_), by id - 1
  std::vector<Sample> samples_;           // GUARDED_BY(mu_)
  size_t batches_ = 0;                    // GUARDED_BY(mu_)
};

// Polls `condition` every 20 ms for up to `timeout`.
inline bool WaitUntil(const std::function<bool()>& condition, std::chrono::milliseconds timeout = std::chrono::seconds(15)) {
  auto deadline = std::chrono::steady_clock::now() + timeout;
  while (std::chrono::steady_clock::now() < deadline) {
    if (condition()) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  return condition();
}

}  // namespace zhizao::connect::mqtt
