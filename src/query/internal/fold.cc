#include "query/internal/fold.h"

#include <cmath>

namespace zhizao::query::internal {
namespace {

bool IsGood(uint32_t status) { return SeverityOf(status) == QualitySeverity::kGood; }
bool IsBad(uint32_t status) { return SeverityOf(status) == QualitySeverity::kBad; }

// Counts the non-good and bad samples of a run into s.
void CountQuality(const uint32_t* status, size_t begin, size_t end, WindowState& s) {
  for (size_t i = begin; i < end; ++i) {
    s.non_good += IsGood(status[i]) ? 0 : 1;
    s.bad += IsBad(status[i]) ? 1 : 0;
  }
}

// Plain data is all Good: one check of the run spares the status test per sample.
bool AllGood(const NumericRun& run) {
  uint32_t any = 0;
  for (size_t i = 0; i < run.size; ++i) any |= run.status[i] >> 30;
  return any == 0;
}

}  // namespace

namespace {

// The hot loop of every aggregate, instantiated once for runs of all-Good samples (the common
// case: no status test per sample) and once with the quality filter. Locals, not the state's
// fields, so that they stay in registers.
template <typename Folds>
void FoldRun(const NumericRun& run, Folds folds, bool need_m2, std::vector<double>* kept, WindowState& s) {
  const double* v = run.values;
  size_t i = 0;
  while (i < run.size && !folds(i)) ++i;
  if (i == run.size) return;
  size_t min_i = i, max_i = i, first_i = i, last_i = i;
  double min = v[i], max = v[i], sum = v[i];
  int64_t count = 1;
  for (++i; i < run.size; ++i) {
    if (!folds(i)) continue;
    const double x = v[i];
    if (x < min) {
      min = x;
      min_i = i;
    }
    if (x > max) {
      max = x;
      max_i = i;
    }
    sum += x;
    ++count;
    last_i = i;
  }
  s.count = count;
  s.sum = sum;
  s.min = min;
  s.max = max;
  s.first = v[first_i];
  s.last = v[last_i];
  s.min_ts = run.ts_ns[min_i];
  s.max_ts = run.ts_ns[max_i];
  s.first_ts = run.ts_ns[first_i];
  s.last_ts = run.ts_ns[last_i];
  // Deviations from this run's own mean, merged later by Chan's formula: stable where a running
  // sum of squares would cancel (a 1e6 bar signal with 1e-3 noise).
  if (need_m2 && count > 1) {
    const double mean = sum / static_cast<double>(count);
    for (size_t k = first_i; k <= last_i; ++k) {
      if (folds(k)) s.m2 += (v[k] - mean) * (v[k] - mean);
    }
  }
  if (kept != nullptr) {
    for (size_t k = first_i; k <= last_i; ++k) {
      if (folds(k)) kept->push_back(v[k]);
    }
  }
}

}  // namespace

WindowState SummarizeNumeric(const NumericRun& run, QualityPolicy policy, bool need_m2, std::vector<double>* kept) {
  WindowState s;
  s.samples = static_cast<int64_t>(run.size);
  const double* v = run.values;
  if (AllGood(run)) {
    FoldRun(run, [v](size_t i) { return !std::isnan(v[i]); }, need_m2, kept, s);
    return s;
  }
  CountQuality(run.status, 0, run.size, s);
  FoldRun(run, [&](size_t i) { return !std::isnan(v[i]) && Includes(policy, run.status[i]); }, need_m2, kept, s);
  return s;
}

WindowState SummarizeStrings(const storage::SeriesSamples& samples, size_t begin, size_t end, QualityPolicy policy) {
  WindowState s;
  s.samples = static_cast<int64_t>(end - begin);
  CountQuality(samples.status.data(), begin, end, s);
  size_t first = end, last = end;
  for (size_t i = begin; i < end; ++i) {
    if (!Includes(policy, samples.status[i])) continue;
    if (first == end) first = i;
    last = i;
    ++s.count;
  }
  if (s.count > 0) {
    s.first_ts = samples.ts_ns[first];
    s.first_str = samples.str[first];
    s.last_ts = samples.ts_ns[last];
    s.last_str = samples.str[last];
  }
  return s;
}

const double* NumericValues(const storage::SeriesSamples& samples, std::vector<double>& scratch) {
  if (samples.type == DataType::kFloat64) return samples.f64.data();
  scratch.resize(samples.i64.size());
  for (size_t i = 0; i < samples.i64.size(); ++i) scratch[i] = static_cast<double>(samples.i64[i]);
  return scratch.data();
}

}  // namespace zhizao::query::internal
