// Min/max-preserving decimation of one series for charts (M4: Jugel et al., VLDB 2014): per
// pixel-column bucket the first, last, min and max samples with their timestamps, so a line
// drawn through them looks exactly like one drawn through every sample, including each spike.
#pragma once

#include <cstdint>
#include <vector>

#include "common/batch.h"
#include "common/status.h"
#include "query/query_options.h"
#include "query/sample_source.h"
#include "query/window.h"

namespace zhizao::query {

struct TimedValue {
  int64_t ts_ns = 0;
  double value = 0;
};

struct DecimatedBucket {
  int64_t start_ns = 0;
  // first/last/min/max with their timestamps over the samples options.quality admits; samples
  // and non_good over all. A bucket whose samples were all excluded has count 0: the chart can
  // draw a gap and say why.
  WindowState state;

  // The distinct samples among first, min, max and last, in time order (none if count is 0).
  std::vector<TimedValue> Points() const;
};

struct Decimation {
  int64_t bucket_width_ns = 0;
  std::vector<DecimatedBucket> buckets;  // in time order; buckets without samples are left out
};

// Splits [from_ns, to_ns] into `buckets` buckets of ceil(range / buckets) ns starting at from_ns
// (the last one may be cut short) and keeps M4 per bucket. Buckets of an hour or more are
// rounded up to whole minutes and laid on the minute grid instead (the first then starts up to a
// minute before from_ns; still at most `buckets` of them), so that 1-minute rollups serve them. InvalidArgument for tag 0,
// buckets < 1, from_ns > to_ns or a string series; ResourceExhausted when 4 points per bucket
// exceed options.max_points_returned or the scan options.max_points_scanned.
// Memory: the buckets and one slice. Thread-safe if the source is.
Result<Decimation> Decimate(const SampleSource& source, TagId tag, int64_t from_ns, int64_t to_ns, int64_t buckets,
                            const QueryOptions& options, QueryStats* stats = nullptr);

}  // namespace zhizao::query
