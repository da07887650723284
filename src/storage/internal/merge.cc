#include "storage/internal/merge.h"

#include "storage/internal/samples_util.h"

#include <algorithm>

namespace zhizao::storage {
namespace {

// True when the sources, taken by sequence, already follow each other in time: the common
// case of chunks written in order.
bool Disjoint(const std::vector<std::pair<uint64_t, SeriesSamples>>& sources) {
  int64_t last = INT64_MIN;
  bool first = true;
  for (const auto& [seq, samples] : sources) {
    if (samples.size() == 0) continue;
    if (!first && samples.ts_ns.front() <= last) return false;
    last = samples.ts_ns.back();
    first = false;
  }
  return true;
}

}  // namespace

void MergeSources(std::vector<std::pair<uint64_t, SeriesSamples>>& sources, SeriesSamples* out) {
  std::stable_sort(sources.begin(), sources.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
  if (Disjoint(sources)) {
    for (auto& [seq, samples] : sources) MoveAllSamples(*out, std::move(samples));
    return;
  }
  struct Ref {
    int64_t ts;
    uint32_t source;  // index in `sources`, which is ordered by sequence
    uint32_t index;
  };
  std::vector<Ref> refs;
  for (uint32_t s = 0; s < sources.size(); ++s) {
    for (uint32_t i = 0; i < sources[s].second.size(); ++i) refs.push_back({sources[s].second.ts_ns[i], s, i});
  }
  std::sort(refs.begin(), refs.end(),
            [](const Ref& a, const Ref& b) { return a.ts != b.ts ? a.ts < b.ts : a.source < b.source; });
  for (size_t k = 0; k < refs.size(); ++k) {
    if (k + 1 < refs.size() && refs[k + 1].ts == refs[k].ts) continue;  // a later write follows
    AppendSample(*out, sources[refs[k].source].second, refs[k].index);
  }
}

}  // namespace zhizao::storage
