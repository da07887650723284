// Test doubles shared by the connectors' tests (Modbus, MQTT/Sparkplug, OPC UA):
//
// - RecordingSink, a connect::TagSink that keeps the tags and samples a connector hands it. It is
//   a double of zhizao's own interface, not a stand-in for a peer: the peers are real.
// - WaitFor, a bounded poll for a condition that another thread makes true.
//
// In namespace zhizao::testing, next to PeerProcess, and not in zhizao::connect::testing: inside
// zhizao::connect::*, that name would hide zhizao::testing, so `testing::FreePort` would no
// longer compile in any test that includes this header.
#pragma once

#include <chrono>
#include <concepts>
#include <map>
#include <mutex>
#include <optional>
#include <span>
#include <string>
#include <thread>
#include <vector>

#include "common/batch.h"
#include "common/check.h"
#include "common/status.h"
#include "connect/tag_sink.h"

namespace zhizao::testing {

// Keeps every tag spec and sample it is given, in memory, for the test to inspect.
//
// EnsureTags makes two of the checks that the catalog behind CatalogTagSink makes, so that a
// connector meets those refusals in a test as it would in the server:
//   - InvalidArgument for a path without '/' (a catalog path is an asset path + "/" + a name);
//   - FailedPrecondition for a tag that exists with another data type.
// A refused call creates none of its tags (the catalog does it in one transaction). A tag that
// exists keeps its first spec. Ids are 1, 2, 3, ... in the order the paths are first seen.
//
// Write aborts (ZZ_CHECK) on a point for an id EnsureTags never returned: a connector bug.
//
// Thread-safe: connectors call it from their own threads while the test polls it.
class RecordingSink final : public connect::TagSink {
 public:
  struct Sample {
    Point point;
    std::string text;  // the value of a string point; "" for other types
  };

  Result<std::vector<TagId>> EnsureTags(std::span<const connect::TagSpec> specs) override {
    std::lock_guard lock(mu_);
    const size_t known_before = specs_.size();
    std::vector<TagId> ids;
    for (const connect::TagSpec& spec : specs) {
      Result<TagId> id = EnsureTagLocked(spec);
      if (!id.ok()) {
        ForgetTagsAfterLocked(known_before);
        return id.status();
      }
      ids.push_back(*id);
    }
    return ids;
  }

  Status Write(const Batch& batch) override {
    std::lock_guard lock(mu_);
    for (const Point& point : batch.points) {
      ZZ_CHECK(point.tag >= 1 && point.tag <= samples_.size(), "a point for a tag id EnsureTags never returned");
      std::string text = point.value.type() == DataType::kString ? std::string(batch.StringOf(point.value)) : "";
      samples_[point.tag - 1].push_back({point, std::move(text)});
      ++sample_count_;
    }
    return Status::Ok();
  }

  // The spec of the tag at `path` as first ensured, or nullopt if it was never ensured.
  std::optional<connect::TagSpec> Spec(const std::string& path) const {
    std::lock_guard lock(mu_);
    auto it = ids_.find(path);
    if (it == ids_.end()) return std::nullopt;
    return specs_[it->second - 1];
  }

  // Every sample of the tag at `path` so far, in arrival order; empty for an unknown path.
  std::vector<Sample> SamplesOf(const std::string& path) const {
    std::lock_guard lock(mu_);
    auto it = ids_.find(path);
    return it == ids_.end() ? std::vector<Sample>() : samples_[it->second - 1];
  }

  // The points of SamplesOf(path), for tests that need no string values.
  std::vector<Point> PointsOf(const std::string& path) const {
    std::vector<Point> points;
    for (const Sample& sample : SamplesOf(path)) points.push_back(sample.point);
    return points;
  }

  // The latest point of the tag at `path`, or nullopt before the first.
  std::optional<Point> LastOf(const std::string& path) const {
    std::lock_guard lock(mu_);
    auto it = ids_.find(path);
    if (it == ids_.end() || samples_[it->second - 1].empty()) return std::nullopt;
    return samples_[it->second - 1].back().point;
  }

  // The number of samples of all tags so far.
  size_t sample_count() const {
    std::lock_guard lock(mu_);
    return sample_count_;
  }

 private:
  Result<TagId> EnsureTagLocked(const connect::TagSpec& spec) {
    if (spec.path.find('/') == std::string::npos) {
      return Status::InvalidArgument("tag path '" + spec.path + "' names no asset");
    }
    auto it = ids_.find(spec.path);
    if (it != ids_.end()) {
      if (specs_[it->second - 1].type != spec.type) {
        return Status::FailedPrecondition("tag '" + spec.path + "' exists with another data type");
      }
      return it->second;
    }
    specs_.push_back(spec);
    samples_.emplace_back();
    const auto id = static_cast<TagId>(specs_.size());
    ids_.emplace(spec.path, id);
    return id;
  }

  // Undoes the tags made since there were `count` (they have no samples yet).
  void ForgetTagsAfterLocked(size_t count) {
    while (specs_.size() > count) {
      ids_.erase(specs_.back().path);
      specs_.pop_back();
      samples_.pop_back();
    }
  }

  mutable std::mutex mu_;
  std::vector<connect::TagSpec> specs_;       // GUARDED_BY(mu_); the tag with id i at i - 1
  std::map<std::string, TagId> ids_;          // GUARDED_BY(mu_); by path
  std::vector<std::vector<Sample>> samples_;  // GUARDED_BY(mu_); the tag with id i at i - 1
  size_t sample_count_ = 0;                   // GUARDED_BY(mu_)
};

// Polls `condition` every 10 ms until it holds or `timeout` has passed; returns whether it held.
// The condition is evaluated once more after the timeout, so a slow last step is not missed.
// Default: 15 s, generous because the peers' tests run on loaded CI machines and under ASan; a
// passing test never waits that long.
template <typename Condition>
  requires std::predicate<Condition&>
bool WaitFor(Condition condition, std::chrono::milliseconds timeout = std::chrono::seconds(15)) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (!condition()) {
    if (std::chrono::steady_clock::now() >= deadline) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  return true;
}

}  // namespace zhizao::testing
