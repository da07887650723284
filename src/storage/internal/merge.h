// Merges the samples of one series read from several sources (chunks, head blocks, the
// out-of-order buffer) into time order, keeping for each timestamp the sample from the source
// with the highest write sequence (see series_head.h for why that is the last write).
#pragma once

#include <cstdint>
#include <utility>
#include <vector>

#include "storage/encoding/chunk.h"

namespace zhizao::storage {

// Each source: (sequence, samples in strictly increasing time). Appends the merge to `out`.
// REQUIRES: every source and `out` have the same type.
void MergeSources(std::vector<std::pair<uint64_t, SeriesSamples>>& sources, SeriesSamples* out);

}  // namespace zhizao::storage
