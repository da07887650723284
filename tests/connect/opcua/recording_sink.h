// A TagSink of our own that keeps what a connector hands it, for tests. (A test double of
// zhizao's own interface, not a stand-in for a peer.)
#pragma once

#include <chrono>
#include <functional>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "connect/tag_sink.h"

namespace zhizao::connect::opcua {

// Thread-safe.
class RecordingSink final : public TagSink {
 public:
  Result<std::vector<TagId>> EnsureTags(std::span<const TagSpec> specs) override {
    std::lock_guard lock(mu_);
    std::vector<TagId> ids;
    for (const TagSpec& spec : specs) {
      auto it = std::find_if(specs_.begin(), specs_.end(), [&](const TagSpec& s) { return s.path == spec.path; });
      if (it == specs_.end()) {
        specs_.push_back(spec);
        it = specs_.end() - 1;
      }
      ids.push_back(static_cast<TagId>(it - specs_.begin() + 1));
    }
    return ids;
  }

  Status Write(const Batch& batch) override {
    std::lock_guard lock(mu_);
    batches_.push_back(batch);
    return Status::Ok();
  }

  // The spec of the tag at `path`, or nullptr.
  std::optional<TagSpec> Spec(const std::string& path) {
    std::lock_guard lock(mu_);
    for (const TagSpec& s : specs_) {
      if (s.path == path) return s;
    }
    return std::nullopt;
  }
  TagId IdOf(const std::string& path) {
    std::lock_guard lock(mu_);
    for (size_t i = 0; i < specs_.size(); ++i) {
      if (specs_[i].path == path) return static_cast<TagId>(i + 1);
    }
    return 0;
  }

  struct Sample {
    Point point;
    std::string text;  // of a string value
  };
  // Every sample of `tag` so far, in arrival order.
  std::vector<Sample> SamplesOf(TagId tag) {
    std::lock_guard lock(mu_);
    std::vector<Sample> out;
    for (const Batch& batch : batches_) {
      for (const Point& p : batch.points) {
        if (p.tag != tag) continue;
        out.push_back({p, p.value.type() == DataType::kString ? std::string(batch.StringOf(p.value)) : ""});
      }
    }
    return out;
  }
  size_t PointCount() {
    std::lock_guard lock(mu_);
    size_t n = 0;
    for (const Batch& b : batches_) n += b.size();
    return n;
  }

 private:
  std::mutex mu_;
  std::vector<TagSpec> specs_;  // GUARDED_BY(mu_); id = index + 1
  std::vector<Batch> batches_;  // GUARDED_BY(mu_)
};

// Polls `done` every 20 ms until it holds or `timeout` passes; returns its last answer.
inline bool WaitFor(const std::function<bool()>& done, std::chrono::milliseconds timeout) {
  const auto until = std::chrono::steady_clock::now() + timeout;
  while (std::chrono::steady_clock::now() < until) {
    if (done()) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  return done();
}

}  // namespace zhizao::connect::opcua
