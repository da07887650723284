#include "analytics/live/asset_history.h"

#include <algorithm>
#include <cmath>
#include <limits>

namespace zhizao::analytics::live {
namespace {

constexpr int64_t kDayNs = 86'400'000'000'000;
constexpr int64_t kMaxRows = int64_t{1} << 26;

// Fills column `col` of the rows whose time t has from < t <= to with `value`.
void Hold(const GridSpec& spec, int64_t first_row_ns, size_t rows, size_t cols, size_t col, int64_t from, int64_t to,
          double value, std::vector<double>& values) {
  if (to < first_row_ns) return;
  const int64_t lo = from < first_row_ns ? 0 : (from - first_row_ns) / spec.grid_ns + 1;
  const int64_t hi = std::min<int64_t>((to - first_row_ns) / spec.grid_ns, static_cast<int64_t>(rows) - 1);
  for (int64_t r = lo; r <= hi; ++r) values[static_cast<size_t>(r) * cols + col] = value;
}

}  // namespace

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
  const int64_t stale_ns = spec.stale_rows * spec.grid_ns;
  storage::SeriesSamples day;
  for (size_t c = 0; c < cols; ++c) {
    int64_t held_ts = INT64_MIN;
    double held = 0;
    for (int64_t from = spec.from_ns; from < spec.to_ns; from += kDayNs) {
      if (cancel != nullptr && cancel->load(std::memory_order_relaxed)) return Status::Unavailable("stopped");
      day.Clear();
      ZZ_RETURN_IF_ERROR(history.Read(tags[c], from, std::min(from + kDayNs, spec.to_ns) - 1, &day));
      if (day.type != DataType::kFloat64) break;  // the model reads float64 tags only
      for (size_t i = 0; i < day.size(); ++i) {
        if (day.status[i] != 0) continue;  // a bad or uncertain sample leaves the last good one held
        if (held_ts != INT64_MIN) {
          Hold(spec, first_row_ns, static_cast<size_t>(rows), cols, c, held_ts,
               std::min(day.ts_ns[i], held_ts + stale_ns), held, out.values);
        }
        held_ts = day.ts_ns[i];
        held = day.f64[i];
      }
    }
    if (held_ts != INT64_MIN) {
      Hold(spec, first_row_ns, static_cast<size_t>(rows), cols, c, held_ts, held_ts + stale_ns, held, out.values);
    }
  }
  // Rows with every column held, compacted in place.
  size_t kept = 0;
  for (size_t r = 0; r < static_cast<size_t>(rows); ++r) {
    const double* row = &out.values[r * cols];
    if (std::any_of(row, row + cols, [](double v) { return std::isnan(v); })) continue;
    std::copy_n(row, cols, &out.values[kept * cols]);
    out.rows_ns.push_back(first_row_ns + static_cast<int64_t>(r) * spec.grid_ns);
    ++kept;
  }
  out.values.resize(kept * cols);
  out.values.shrink_to_fit();
  return out;
}

}  // namespace zhizao::analytics::live
