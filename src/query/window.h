// Time windows and the state folded over each one.
//
// Windows are aligned to the epoch like InfluxQL's GROUP BY time(width, offset): window k holds
// [k*width + offset, (k+1)*width + offset), for every integer k, negative times included. A row
// is stamped with its window's start even when the query's range cuts the window short.
//
// WindowState is the unit of folding. Raw samples are summarised run by run (the samples of one
// window within one slice) and each run is Merge()d into its window; a rollup store keeps one
// WindowState per series and rollup period (1 min, 1 h), and a query over rollups Merge()s
// those rows into its windows the same way, then finalises the same cells. Every field is
// exactly mergeable: counts and sums add, min/max/first/last compare, and m2 (the sum of
// squared deviations from the mean) combines by Chan, Golub and LeVeque's formula, which is
// also what keeps stddev accurate where a plain sum of squares would cancel. Median and
// percentile are not mergeable: they need the raw values, so a rollup can never answer them.
//
// Plain values; not thread-safe.
#pragma once

#include <cstdint>
#include <string>

#include "common/status.h"

namespace zhizao::query {

// Query ranges are clamped to this magnitude (about ±146 years around 1970) so that window
// arithmetic cannot overflow.
inline constexpr int64_t kMaxAbsTimestampNs = (int64_t{1} << 62) - 1;

struct WindowSpec {
  int64_t width_ns = 0;   // REQUIRES: 0 < width_ns <= kMaxAbsTimestampNs
  int64_t offset_ns = 0;  // shifts the grid; any value, taken modulo width_ns

  // InvalidArgument unless width_ns is in range.
  Status Validate() const;
  // The index k of the window holding ts_ns. REQUIRES: |ts_ns| <= kMaxAbsTimestampNs.
  int64_t IndexOf(int64_t ts_ns) const;
  int64_t StartOf(int64_t index) const;
};

struct WindowState {
  int64_t samples = 0;   // every sample in the window, any quality
  int64_t non_good = 0;  // samples whose status is Uncertain or Bad (folded or not)
  int64_t bad = 0;       // of those, samples whose status is Bad
  int64_t count = 0;     // samples folded into the fields below (see QualityPolicy; NaN never)

  // Valid when count > 0. Numbers come from float64, int64 and bool (0/1) series; an int64
  // beyond 2^53 loses precision. Ties keep the earliest folded sample for min, max and first,
  // the latest for last.
  double sum = 0;
  double m2 = 0;
  double min = 0;
  double max = 0;
  double first = 0;
  double last = 0;
  int64_t min_ts = 0;
  int64_t max_ts = 0;
  int64_t first_ts = 0;
  int64_t last_ts = 0;
  std::string first_str;  // string series: the texts of first and last
  std::string last_str;

  double mean() const { return sum / static_cast<double>(count); }

  // Folds `other` into this, as if its samples had been folded after this one's.
  void Merge(const WindowState& other);
};

}  // namespace zhizao::query
