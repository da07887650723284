// Windowed aggregates over one series or many, streamed window by window.
//
//   AggregateQuery q{.tags = {7}, .from_ns = a, .to_ns = b, .window = {.width_ns = 60 * kSec},
//                    .functions = {{AggregateFn::kMean}, {AggregateFn::kPercentile, 95}}};
//   ZZ_ASSIGN_OR_RETURN(auto cursor, AggregateCursor::Open(source, q, options));
//   WindowRow row;
//   while (true) {
//     ZZ_ASSIGN_OR_RETURN(bool more, cursor->Next(&row));
//     if (!more) break;
//     ... row.start_ns, row.cells[0], row.cells[1], row.state.non_good ...
//   }
//
// Semantics follow InfluxDB 1.x where it defines them: stddev is the sample standard deviation
// (n - 1), null under two samples; median averages the two middle values of an even count;
// percentile(p) is the nearest rank, the value at 1-based rank floor(n * p / 100 + 0.5) of the
// sorted values, null when that rank is 0 (p = 0, or a small p over few values); count is 0 in
// an empty window, every other function null. Which samples enter the values: QueryOptions::quality;
// NaN never does (one NaN from a float register would poison a day's mean; InfluxDB cannot
// store NaN at all), it is only counted in WindowState::samples.
//
// Memory: the samples of one slice of one series (QueryOptions::slice_points), the open windows
// of a slice, and for median and percentile the folded values of each open window.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <variant>
#include <vector>

#include "common/batch.h"
#include "common/status.h"
#include "query/query_options.h"
#include "query/sample_source.h"
#include "query/window.h"

namespace zhizao::query {

enum class AggregateFn : uint8_t {
  kMean, kMin, kMax, kSum, kCount, kFirst, kLast, kStddev, kSpread, kMedian, kPercentile,
};

// "mean", "min", ..., "percentile".
std::string_view AggregateFnName(AggregateFn fn);
Result<AggregateFn> ParseAggregateFn(std::string_view name);
// True for count, first and last: the functions that apply to string series.
bool AppliesToStrings(AggregateFn fn);

struct AggregateSpec {
  AggregateFn fn = AggregateFn::kMean;
  double percentile = 50;  // kPercentile only; REQUIRES: 0 <= percentile <= 100
};

// One function's result in one window: null, a number, or a text (first/last of strings).
using Cell = std::variant<std::monostate, double, std::string>;

struct AggregateQuery {
  std::vector<TagId> tags;  // REQUIRES: not empty, no 0
  int64_t from_ns = 0;      // inclusive, clamped to ±kMaxAbsTimestampNs
  int64_t to_ns = 0;        // inclusive
  WindowSpec window;
  std::vector<AggregateSpec> functions;  // REQUIRES: not empty
  // A row per tag and window. Default: true.
  bool per_series = true;
  // A row per window over the samples of all tags together (WindowRow::tag 0): the mean of all
  // samples of all tags, not the mean of per-tag means. Default: false.
  bool combined = false;
  // Also rows for windows without any sample (state.samples == 0), as InfluxQL's fill() needs.
  // Default: false.
  bool emit_empty = false;
};

struct WindowRow {
  TagId tag = 0;  // 0 for a combined row
  int64_t start_ns = 0;
  WindowState state;
  std::vector<Cell> cells;  // one per AggregateQuery::functions, in order
};

// Reads and folds lazily: each Next() reads only as many slices as it needs.
// Row order: slice by slice; within a slice, the per-series rows of each tag in the order of
// AggregateQuery::tags, then the combined rows. The rows of one tag (or the combined rows) are
// in time order.
// Not thread-safe. REQUIRES: the source outlives the cursor.
class AggregateCursor {
 public:
  // InvalidArgument for a malformed query (no tag, tag 0, no function, bad window, from > to,
  // percentile outside [0, 100]); ResourceExhausted when the windows times output series
  // exceed options.max_points_returned.
  static Result<std::unique_ptr<AggregateCursor>> Open(const SampleSource& source, AggregateQuery query,
                                                       const QueryOptions& options);
  ~AggregateCursor();

  // True with the next row in *row; false at the end. Errors: the source's; InvalidArgument
  // when a series holds strings and a function needs numbers, or when tags mix strings and
  // numbers; ResourceExhausted past options.max_points_scanned. After an error, the cursor
  // is spent.
  Result<bool> Next(WindowRow* row);

  const QueryStats& stats() const;

 private:
  class Impl;  // internal/aggregate_cursor_impl.h
  explicit AggregateCursor(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

// Runs `cursor` to its end, handing each row to `sink`; stops at the first error of either.
Status ForEachRow(AggregateCursor& cursor, const std::function<Status(const WindowRow&)>& sink);

}  // namespace zhizao::query
