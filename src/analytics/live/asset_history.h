// An asset's stored history as the rows its per-asset model learns from (asset_models.h): the
// float64 tags' good samples on a fixed grid, each row holding the last good value of each tag
// that arrived before the row's time, as the live path builds its rows.
//
// As live, a tag's value is held until its next sample however long that takes (a tag reported
// by exception is silent while it does not change), and a row is left out when no tag of the
// asset was heard from (any sample, of any quality) lately: within `stale_rows` grid steps, or
// five of the tag's usual intervals for a tag that reports more slowly (SampleCadence): a gap in
// the history is not filled. A row with a tag never heard from yet is left out too.
// Reads one day at a time, so memory is the rows (rows × tags × 8 bytes) and a day of one tag's
// samples. Thread-safe as the source is: a plain function.
#pragma once

#include <atomic>
#include <cstdint>
#include <span>
#include <vector>

#include "common/batch.h"
#include "common/status.h"
#include "query/sample_source.h"

namespace zhizao::analytics::live {

// How long after its latest sample a tag still counts as reporting: five of its usual intervals
// between samples (samples less than `grid_ns` apart count as one), at least `floor_ns` and at
// most 15 min (so one sample after a silence fills at most 900 rows of a 1 s grid). The interval
// is an average in which a gap counts at most twice the interval so far, so one outage barely
// moves it. A gauge measuring a part every ~165 s reports for ~14 min after each; a 1 Hz tag for
// the floor. Not thread-safe.
class SampleCadence {
 public:
  explicit SampleCadence(int64_t grid_ns) : grid_ns_(grid_ns) {}
  void Note(int64_t ts_ns);  // a sample, in time order
  int64_t QuietAfterNs(int64_t floor_ns) const;

 private:
  int64_t grid_ns_;
  int64_t last_ns_ = INT64_MIN;
  double interval_ns_ = 0;
};

struct GridRows {
  size_t cols = 0;
  std::vector<double> values;   // row-major, cols per row
  std::vector<int64_t> rows_ns;  // each row's grid time, increasing
};

struct GridSpec {
  int64_t from_ns = 0;  // the first row is the first grid time after from_ns
  int64_t to_ns = 0;    // rows before to_ns
  int64_t grid_ns = 1'000'000'000;  // Default: 1 s
  int64_t stale_rows = 60;          // the floor of SampleCadence, in grid steps. Default: 60
};

// The rows of `tags` over the spec's range. Errors: InvalidArgument for a range of more than
// 2^26 rows or a grid not positive; Unavailable when `cancel` turns true between reads; the
// source's own errors.
Result<GridRows> ReadGridRows(const query::SampleSource& history, std::span<const TagId> tags, const GridSpec& spec,
                              const std::atomic<bool>* cancel = nullptr);

}  // namespace zhizao::analytics::live
