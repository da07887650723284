// Helpers for the simulator's tests: run a simulator for a while and keep only chosen tags.
#pragma once

#include <cstdint>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "common/batch.h"
#include "common/clock.h"
#include "connect/sim/simulator.h"

namespace zhizao::connect::sim::testing {

inline constexpr int64_t kMinuteNs = 60 * kNanosPerSecond;
inline constexpr int64_t kHourNs = 60 * kMinuteNs;

struct Sample {
  int64_t ts_ns;
  double value;
  uint32_t status;
};
using Series = std::vector<Sample>;

// The index of a tag by path (its TagId is index + 1 until BindTagIds); -1 if absent.
inline int TagIndex(const Simulator& sim, const std::string& path) {
  for (size_t i = 0; i < sim.tags().size(); ++i) {
    if (sim.tags()[i].path == path) return static_cast<int>(i);
  }
  return -1;
}

// Advances sim to until_ns in 10-minute steps, appending the samples of `paths` to `out`
// (keyed by path) and dropping the rest, so long runs stay small.
inline void Record(Simulator& sim, int64_t until_ns, const std::vector<std::string>& paths,
                   std::map<std::string, Series>& out) {
  std::map<TagId, std::string> wanted;
  for (const std::string& path : paths) wanted[static_cast<TagId>(TagIndex(sim, path) + 1)] = path;
  Batch batch;
  while (sim.now_ns() < until_ns) {
    batch.Clear();
    sim.AdvanceTo(std::min(until_ns, sim.now_ns() + 10 * kMinuteNs), batch);
    for (const Point& p : batch.points) {
      auto it = wanted.find(p.tag);
      if (it != wanted.end()) out[it->second].push_back({p.ts_ns, p.value.AsDouble(), p.status});
    }
  }
}

inline double Mean(const Series& s, int64_t from_ns, int64_t to_ns) {
  double sum = 0;
  int n = 0;
  for (const Sample& x : s) {
    if (x.ts_ns >= from_ns && x.ts_ns < to_ns) {
      sum += x.value;
      ++n;
    }
  }
  return n == 0 ? 0 : sum / n;
}

inline FaultRequest Request(const std::string& asset_path, FaultType type, double severity = 0.5,
                            int64_t duration_ns = 0, const std::string& tag_path = "") {
  FaultRequest request;
  request.asset_path = asset_path;
  request.type = type;
  request.severity = severity;
  request.duration_ns = duration_ns;
  request.tag_path = tag_path;
  return request;
}

inline double LastValue(const Series& s) { return s.empty() ? 0 : s.back().value; }

}  // namespace zhizao::connect::sim::testing
