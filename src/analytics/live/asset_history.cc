#include "analytics/live/asset_history.h"

#include <algorithm>
#include <cmath>
#include <limits>

namespace zhizao::analytics::live {
namespace {

constexpr int64_t kDayNs = 86'400'000'000'000;
constexpr int64_t kMaxRows = int64_t{1} << 26;

// The grid's rows r with from < time(r) <= to, clamped to [0, rows).
struct RowRange {
  int64_t lo = 0, hi = -1;  // inclusive
};
RowRange RowsAfter(const GridSpec& spec, int64_t first_row_ns, int64_t rows, int64_t from, int64_t to) {
  if (to < first_row_ns) return {};
  return {.lo = from < first_row_ns ? 0 : (from - first_row_ns) / spec.grid_ns + 1,
          .hi = std::min<int64_t>((to - first_row_ns) / spec.grid_ns, rows - 1)};
}

}  // namespace

void SampleCadence::Note(int64_t ts_ns) {
  if (last_ns_ != INT64_MIN && ts_ns - last_ns_ < grid_ns_) return;  // the same moment
  if (last_ns_ != INT64_MIN) {
    const auto gap = static_cast<double>(ts_ns - last_ns_);
    interval_ns_ = interval_ns_ == 0 ? gap : interval_ns_ + 0.05 * (std::min(gap, 2 * interval_ns_) - interval_ns_);
  }
  last_ns_ = ts_ns;
}

int64_t SampleCadence::QuietAfterNs(int64_t floor_ns) const {
  constexpr double kLongestNs = 900e9;
  return std::max<int64_t>(floor_ns, static_cast<int64_t>(std::min(5 * interval_ns_, kLongestNs)));
}

Result<GridRows> ReadGridRows(const query::SampleSource& history, std::span<const TagId> tags, const GridSpec& spec,
                              const std::atomic<bool>* cancel) {
  if (spec.grid_ns <= 0) return Status::InvalidArgument("the grid must be positive");
  const int64_t first_row_ns = (spec.from_ns / spec.grid_ns + 1) * spec.grid_ns;
  if (spec.to_ns <= first_row_ns) return GridRows{.cols = tags.size()};
  const int64_t rows = (spec.to_ns - 1 - first_row_ns) / spec.grid_ns + 1;
  if (rows > kMaxRows) return Status::InvalidArgument("more than 2^26 rows asked for");
  const size_t cols = tags.size();
  GridRows out{.cols = cols};
  out.values.assign(static_cast<size_t>(rows) * cols, std::numeric_limits<double>::quiet_NaN());
  std::vector<uint8_t> heard(static_cast<size_t>(rows), 0);  // a sample of any tag arrived lately
  const int64_t stale_ns = spec.stale_rows * spec.grid_ns;
  for (size_t c = 0; c < cols; ++c) {
    int64_t held_ts = INT64_MIN;
    double held = 0;
    SampleCadence cadence(spec.grid_ns);
    int64_t marked_to = -1;  // rows already marked heard from this tag's samples
    // Holds the last good value up to `until`, and marks the rows that follow a sample closely.
    auto hold = [&](int64_t until) {
      const RowRange r = RowsAfter(spec, first_row_ns, rows, held_ts, until);
      for (int64_t i = r.lo; i <= r.hi; ++i) out.values[static_cast<size_t>(i) * cols + c] = held;
    };
    storage::SeriesSamples day;
    for (int64_t from = spec.from_ns; from < spec.to_ns; from += kDayNs) {
      if (cancel != nullptr && cancel->load(std::memory_order_relaxed)) return Status::Unavailable("stopped");
      day.Clear();
      ZZ_RETURN_IF_ERROR(history.Read(tags[c], from, std::min(from + kDayNs, spec.to_ns) - 1, &day));
      if (day.type != DataType::kFloat64) break;  // the model reads float64 tags only
      for (size_t i = 0; i < day.size(); ++i) {
        cadence.Note(day.ts_ns[i]);
        const RowRange near =
            RowsAfter(spec, first_row_ns, rows, day.ts_ns[i], day.ts_ns[i] + cadence.QuietAfterNs(stale_ns));
        for (int64_t r = std::max(near.lo, marked_to + 1); r <= near.hi; ++r) heard[static_cast<size_t>(r)] = 1;
        marked_to = std::max(marked_to, near.hi);
        if (day.status[i] != 0) continue;  // a bad or uncertain sample leaves the last good one held
        if (held_ts != INT64_MIN) hold(day.ts_ns[i]);
        held_ts = day.ts_ns[i];
        held = day.f64[i];
      }
    }
    if (held_ts != INT64_MIN) hold(spec.to_ns);
  }
  // Rows with every column held and the asset heard from, compacted in place.
  size_t kept = 0;
  for (size_t r = 0; r < static_cast<size_t>(rows); ++r) {
    const double* row = &out.values[r * cols];
    if (!heard[r] || std::any_of(row, row + cols, [](double v) { return std::isnan(v); })) continue;
    std::copy_n(row, cols, &out.values[kept * cols]);
    out.rows_ns.push_back(first_row_ns + static_cast<int64_t>(r) * spec.grid_ns);
    ++kept;
  }
  out.values.resize(kept * cols);
  out.values.shrink_to_fit();
  return out;
}

}  // namespace zhizao::analytics::live
