// The summary a sealed chunk carries of its numeric samples (format 2, docs/formats/chunk.md,
// "Summary"), so that an aggregate whose window covers the whole chunk folds the summary
// instead of decoding the values.
//
// What it counts follows the query module's default quality policy: every sample counts in
// `samples`, Uncertain and Bad ones also in `uncertain` and `bad`; the value statistics cover
// the samples that are neither Bad nor NaN (Good and Uncertain). ±Inf are folded as what they
// are. Values of int64 and bool chunks are taken as doubles. Ties keep the earliest sample for
// min, max and first, the latest for last, as the query's fold does. String chunks carry no
// summary.
//
// Plain values; not thread-safe.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "common/status.h"

namespace zhizao::storage {

struct SeriesSamples;

struct ChunkSummary {
  uint32_t samples = 0;    // every sample of the chunk
  uint32_t uncertain = 0;  // samples of Uncertain severity
  uint32_t bad = 0;        // samples of Bad severity
  uint32_t count = 0;      // samples folded into the fields below: not Bad, not NaN

  // Valid when count > 0. m2 is the sum of squared deviations from the mean.
  double sum = 0;
  double m2 = 0;
  double min = 0;
  double max = 0;
  double first = 0;
  double last = 0;
  int64_t first_ts = 0;  // timestamps (ns) of the samples that gave first, last, min and max
  int64_t last_ts = 0;
  int64_t min_ts = 0;
  int64_t max_ts = 0;

  // Folds samples [begin, end) of `s`, which follow every sample folded before.
  // REQUIRES: s.type is not kString; begin <= end <= s.size().
  void Add(const SeriesSamples& s, size_t begin, size_t end);
};

namespace encoding {

// Appends the summary's bytes; timestamps are written as offsets into the chunk's range.
// REQUIRES: the summary's times lie in [chunk_first_ts, chunk_last_ts].
void EncodeSummary(const ChunkSummary& summary, int64_t chunk_first_ts, int64_t chunk_last_ts, std::string* out);

// Parses a summary of exactly `bytes` for a chunk of `chunk_count` samples over
// [chunk_first_ts, chunk_last_ts]. Corruption when malformed or inconsistent with the chunk.
Status DecodeSummary(std::string_view bytes, uint32_t chunk_count, int64_t chunk_first_ts, int64_t chunk_last_ts,
                     ChunkSummary* summary);

}  // namespace encoding
}  // namespace zhizao::storage
