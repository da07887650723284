// Summarises a run of samples (those of one window within one slice) into a WindowState, the
// one step that touches every sample; everything after works on states.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

#include "query/query_options.h"
#include "query/window.h"
#include "storage/encoding/series_samples.h"

namespace zhizao::query::internal {

struct NumericRun {
  const int64_t* ts_ns;
  const uint32_t* status;
  const double* values;
  size_t size;
};

// `need_m2`: compute WindowState::m2 (a second pass). `kept`, if not null, receives the
// folded values (for median and percentile).
WindowState SummarizeNumeric(const NumericRun& run, QualityPolicy policy, bool need_m2, std::vector<double>* kept);

// Samples [begin, end) of a string series: counts, first and last.
WindowState SummarizeStrings(const storage::SeriesSamples& samples, size_t begin, size_t end, QualityPolicy policy);

// The values of a float64, int64 or bool series as doubles: f64 itself, or `scratch` filled.
// REQUIRES: samples.type is not kString.
const double* NumericValues(const storage::SeriesSamples& samples, std::vector<double>& scratch);

}  // namespace zhizao::query::internal
