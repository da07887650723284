// Cuts a query's range into time slices that each hold about QueryOptions::slice_points samples
// of one series, and reads them while counting against the query's limits.
// Not thread-safe; one per query.
#pragma once

#include <cstdint>
#include <utility>
#include <vector>

#include "query/query_options.h"
#include "query/sample_source.h"

namespace zhizao::query::internal {

class Slicer {
 public:
  // REQUIRES: from_ns <= to_ns.
  Slicer(int64_t from_ns, int64_t to_ns, const QueryOptions& options);

  bool done() const { return next_from_ > to_; }
  int64_t to_ns() const { return to_; }

  // The next slice [from, to] of the range. `densest` is the largest number of samples one series
  // had in the previous slice; it scales this slice's span. REQUIRES: !done().
  std::pair<int64_t, int64_t> Next(int64_t densest);

 private:
  int64_t next_from_;
  int64_t to_;
  int64_t target_points_;
  double span_ns_;
  bool first_ = true;
};

// Clears `out`, reads [from, to] of `tag` into it, and adds the read to `stats`.
// ResourceExhausted when the points scanned so far exceed options.max_points_scanned.
Status ReadCounted(const SampleSource& source, TagId tag, int64_t from_ns, int64_t to_ns,
                   const QueryOptions& options, QueryStats& stats, storage::SeriesSamples* out);

// ReadCounted through SampleSource::ReadSummarized; also clears `summaries` first. Summarized
// samples are counted in stats.points_summarized, not against max_points_scanned: they cost
// no decoding. With `take_buckets`, reads through SampleSource::ReadRollups into `buckets`
// (cleared first), counted the same way.
Status ReadCountedSummarized(const SampleSource& source, TagId tag, int64_t from_ns, int64_t to_ns,
                             const storage::SummaryFilter& take, const QueryOptions& options, QueryStats& stats,
                             storage::SeriesSamples* out, std::vector<storage::SummarizedChunk>* summaries,
                             const storage::RollupFilter* take_buckets = nullptr,
                             std::vector<storage::RollupBucket>* buckets = nullptr);

}  // namespace zhizao::query::internal
