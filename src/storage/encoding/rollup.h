// The rollup of a sealed numeric chunk: per 1-minute bucket of its samples (aligned to the
// epoch), the statistics an aggregate folds, so that a query whose windows are whole minutes
// folds buckets instead of decoding samples. Byte layout in docs/formats/rollup.md.
//
// The statistics follow the chunk summary's quality policy (chunk_summary.h): every sample
// counts in `samples`, Uncertain and Bad ones also in `non_good`, Bad ones in `bad` too; the
// value statistics cover the samples that are neither Bad nor NaN. Values of int64 and bool chunks are taken as
// doubles. Ties keep the earliest sample for min, max and first, the latest for last. The sum
// is exact when the values are decimal (it is the sum of their mantissas), so it may differ
// from a double-by-double sum of the same samples in the last bits. No m2: stddev decodes.
//
// Free functions; thread-safe.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"
#include "storage/encoding/series_samples.h"

namespace zhizao::storage {

inline constexpr int64_t kRollupBucketNs = int64_t{60} * 1'000'000'000;

struct RollupBucket {
  int64_t start_ns = 0;   // a multiple of kRollupBucketNs; the bucket is [start, start + 1 min)
  uint32_t samples = 0;   // every sample of the chunk in the bucket
  uint32_t non_good = 0;  // samples of Uncertain or Bad severity
  uint32_t bad = 0;       // of those, samples of Bad severity
  // False only for a bucket of a version-1 record that holds non-good samples: that version
  // counted Uncertain and Bad together, so there `bad` is unknown (and 0).
  bool bad_counted = true;
  uint32_t count = 0;     // samples folded below: not Bad, not NaN

  // Valid when count > 0.
  double sum = 0;
  double min = 0;
  double max = 0;
  double first = 0;
  double last = 0;
  int64_t first_ts = 0;  // timestamps (ns) of the samples that gave first, last, min and max
  int64_t last_ts = 0;
  int64_t min_ts = 0;
  int64_t max_ts = 0;
};

namespace encoding {

// Appends the rollup record of a chunk's samples to *out and returns true, or returns false
// (appending nothing) when the chunk gets none: a string chunk, one whose samples span more
// than 1,024 buckets, one with fewer than 4 samples per bucket on average (a bucket would cost
// about what decoding its samples does), or one whose record would exceed `max_bytes` (the
// store's disk budget for rollups: a quarter of the chunk's bytes).
// REQUIRES: `chunk` holds a whole sealed chunk's samples: in time order, distinct times.
bool EncodeRollup(const SeriesSamples& chunk, size_t max_bytes, std::string* out);

// Parses the rollup record `bytes` of a chunk of `chunk_count` samples over
// [chunk_first_ts, chunk_last_ts] into *buckets (replacing them), in time order.
// Corruption on a bad checksum or bytes that are malformed or inconsistent with the chunk.
Status DecodeRollup(std::string_view bytes, uint32_t chunk_count, int64_t chunk_first_ts, int64_t chunk_last_ts,
                    std::vector<RollupBucket>* buckets);

}  // namespace encoding
}  // namespace zhizao::storage
