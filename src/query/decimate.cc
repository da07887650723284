#include "query/decimate.h"

#include <algorithm>

#include "query/aggregate.h"

namespace zhizao::query {
namespace {

constexpr int64_t kMinuteNs = int64_t{60} * 1'000'000'000;

int64_t FloorToMinute(int64_t ts) { return ts / kMinuteNs * kMinuteNs - (ts % kMinuteNs < 0 ? kMinuteNs : 0); }

// The grid of the buckets: `width` from `from`, or, for buckets of an hour or more, whole minutes
// on the minute grid, so that the cursor folds 1-minute rollups (docs/formats/rollup.md) instead
// of decoding; that grid is kept only if it still needs no more than `buckets` buckets.
WindowSpec BucketGrid(int64_t from, int64_t to, int64_t width, int64_t buckets) {
  const WindowSpec exact{.width_ns = std::max<int64_t>(1, width), .offset_ns = from};
  if (width < 60 * kMinuteNs) return exact;
  const WindowSpec minutes{.width_ns = (width + kMinuteNs - 1) / kMinuteNs * kMinuteNs, .offset_ns = FloorToMinute(from)};
  return minutes.IndexOf(to) - minutes.IndexOf(from) < buckets ? minutes : exact;
}

}  // namespace

std::vector<TimedValue> DecimatedBucket::Points() const {
  std::vector<TimedValue> points;
  if (state.count == 0) return points;
  points = {{state.first_ts, state.first}, {state.min_ts, state.min}, {state.max_ts, state.max},
            {state.last_ts, state.last}};
  std::sort(points.begin(), points.end(), [](const TimedValue& a, const TimedValue& b) { return a.ts_ns < b.ts_ns; });
  points.erase(std::unique(points.begin(), points.end(),
                           [](const TimedValue& a, const TimedValue& b) { return a.ts_ns == b.ts_ns; }),
               points.end());
  return points;
}

Result<Decimation> Decimate(const SampleSource& source, TagId tag, int64_t from_ns, int64_t to_ns, int64_t buckets,
                            const QueryOptions& options, QueryStats* stats) {
  if (buckets < 1) return Status::InvalidArgument("decimation needs at least 1 bucket, not " + std::to_string(buckets));
  if (buckets > options.max_points_returned / 4) {
    return LimitExceeded("return", options.max_points_returned, "max_points_returned");
  }
  from_ns = std::max(from_ns, -kMaxAbsTimestampNs);
  to_ns = std::min(to_ns, kMaxAbsTimestampNs);
  Decimation out;
  WindowSpec grid{.width_ns = 1, .offset_ns = from_ns};
  if (from_ns <= to_ns) {
    const int64_t range = to_ns - from_ns + 1;
    grid = BucketGrid(from_ns, to_ns, range / buckets + (range % buckets != 0 ? 1 : 0), buckets);
    out.bucket_width_ns = grid.width_ns;
  }
  // min and max need numbers: the cursor refuses a string series with a message naming them.
  AggregateQuery query{.tags = {tag}, .from_ns = from_ns, .to_ns = to_ns, .window = grid,
                       .functions = {{AggregateFn::kMin}, {AggregateFn::kMax}}};
  ZZ_ASSIGN_OR_RETURN(std::unique_ptr<AggregateCursor> cursor, AggregateCursor::Open(source, std::move(query), options));
  Status done = ForEachRow(*cursor, [&](const WindowRow& row) {
    out.buckets.push_back({row.start_ns, row.state});
    return Status::Ok();
  });
  if (stats != nullptr) *stats = cursor->stats();
  ZZ_RETURN_IF_ERROR(done.WithContext("cannot decimate tag " + std::to_string(tag)));
  return out;
}

}  // namespace zhizao::query
