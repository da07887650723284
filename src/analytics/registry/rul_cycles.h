// Turns an asset's stored history into the rows a RUL model reads: one row per cycle, each input
// tag's mean over the cycle. Training and serving both build their rows here, so a served
// prediction sees the rows the model was trained on.
//
// Cycles are aligned on an origin (the version's training-range start): cycle k covers
// [origin + k*cycle, origin + (k+1)*cycle). A cycle in which some tag has no good sample is left
// out (the model allows gaps in the cycle numbers); a cycle is only built once it has ended.
//
// Pure functions over a SampleSource; thread-safe as the source is.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "analytics/rul/rul_row.h"
#include "common/batch.h"
#include "common/status.h"
#include "query/sample_source.h"

namespace zhizao::analytics::registry {

struct CycleRange {
  int64_t origin_ns = 0;  // cycle 0 starts here
  int64_t cycle_ns = 0;   // REQUIRES: > 0
  int64_t from_ns = 0;    // only cycles starting at or after from_ns ...
  int64_t to_ns = 0;      // ... and ending at or before to_ns
};

// The index of the cycle holding ts_ns (floor division; ts may precede the origin).
int64_t CycleOf(int64_t origin_ns, int64_t cycle_ns, int64_t ts_ns);
// The start of cycle k.
inline int64_t CycleStart(int64_t origin_ns, int64_t cycle_ns, int64_t k) { return origin_ns + k * cycle_ns; }

// One row per complete cycle of `tags` (one asset's inputs, in the model's order) in `range`,
// in cycle order: unit = `unit`, cycle = the cycle index, sensors = the tags' means.
// Errors: InvalidArgument for cycle_ns <= 0; those of the source.
Result<std::vector<rul::Row>> ReadCycles(const query::SampleSource& history, std::span<const TagId> tags,
                                         const CycleRange& range, int64_t unit);

}  // namespace zhizao::analytics::registry
