// Shared by the query tests: in-memory sources that count what they are asked for, random
// series, and a brute-force reference of every aggregate written straight from its definition.
#pragma once

#include <algorithm>
#include <cmath>
#include <map>
#include <optional>
#include <random>
#include <string>
#include <vector>

#include "query/aggregate.h"
#include "query/sample_source.h"

namespace zhizao::query::testing {

constexpr int64_t kSec = 1'000'000'000;

// Series in memory. Thread-compatible (tests are single-threaded).
class FakeSource : public SampleSource {
 public:
  storage::SeriesSamples& Series(TagId tag, DataType type = DataType::kFloat64) {
    storage::SeriesSamples& s = series_[tag];
    s.type = type;
    return s;
  }
  void AddF64(TagId tag, int64_t ts, double v, uint32_t status = 0) {
    auto& s = Series(tag);
    s.ts_ns.push_back(ts);
    s.status.push_back(status);
    s.f64.push_back(v);
  }

  Status Read(TagId tag, int64_t from, int64_t to, storage::SeriesSamples* out) const override {
    ++reads;
    auto it = series_.find(tag);
    if (it == series_.end()) return Status::Ok();
    const storage::SeriesSamples& s = it->second;
    out->type = s.type;
    auto lo = std::lower_bound(s.ts_ns.begin(), s.ts_ns.end(), from) - s.ts_ns.begin();
    auto hi = std::upper_bound(s.ts_ns.begin(), s.ts_ns.end(), to) - s.ts_ns.begin();
    for (auto i = lo; i < hi; ++i) {
      out->ts_ns.push_back(s.ts_ns[i]);
      out->status.push_back(s.status[i]);
      if (s.type == DataType::kFloat64) out->f64.push_back(s.f64[i]);
      if (s.type == DataType::kInt64 || s.type == DataType::kBool) out->i64.push_back(s.i64[i]);
      if (s.type == DataType::kString) out->str.push_back(s.str[i]);
    }
    largest_read = std::max<int64_t>(largest_read, hi - lo);
    return Status::Ok();
  }
  // The newest sample, as the engine keeps it (float64 and int64 series).
  Result<std::optional<storage::LastSample>> Last(TagId tag) const override {
    ++lasts;
    auto it = series_.find(tag);
    if (it == series_.end() || it->second.size() == 0) return std::optional<storage::LastSample>();
    const storage::SeriesSamples& s = it->second;
    size_t i = s.size() - 1;
    Value value = s.type == DataType::kFloat64 ? Value::Float64(s.f64[i]) : Value::Int64(s.i64[i]);
    return std::optional<storage::LastSample>(storage::LastSample{s.ts_ns[i], s.status[i], value, {}});
  }

  mutable int64_t reads = 0;
  mutable int64_t lasts = 0;
  mutable int64_t largest_read = 0;

 private:
  std::map<TagId, storage::SeriesSamples> series_;
};

struct RefSample {
  int64_t ts = 0;
  uint32_t status = 0;
  double value = 0;
};

// Samples of `tag` as a flat list.
inline std::vector<RefSample> Flatten(const storage::SeriesSamples& s) {
  std::vector<RefSample> out;
  for (size_t i = 0; i < s.size(); ++i) {
    double v = s.type == DataType::kFloat64 ? s.f64[i] : static_cast<double>(s.i64[i]);
    out.push_back({s.ts_ns[i], s.status[i], v});
  }
  return out;
}

// A random float64 series: irregular steps, values around `level`, some non-good statuses
// and NaNs, timestamps from `start` (may be negative).
inline void AddRandomSeries(FakeSource& source, TagId tag, int64_t start, int n, std::mt19937_64& rng,
                            double level = 100, bool with_nan = true) {
  std::uniform_int_distribution<int64_t> step(1, 3 * kSec);
  std::normal_distribution<double> noise(0, 5);
  std::uniform_int_distribution<int> pick(0, 99);
  int64_t ts = start;
  for (int i = 0; i < n; ++i) {
    ts += step(rng);
    int p = pick(rng);
    uint32_t status = p < 80 ? status_codes::kGood
                      : p < 88 ? status_codes::kUncertainLastUsableValue
                      : p < 96 ? status_codes::kBadSensorFailure
                               : 0x00A00000;  // Good_LocalOverride: good, with a reason
    double v = with_nan && pick(rng) < 2 ? std::nan("") : level + noise(rng);
    source.AddF64(tag, ts, v, status);
  }
}

struct RefWindow {
  int64_t samples = 0, non_good = 0, bad = 0;
  std::vector<double> values;  // folded, in time order
};

// Windows of `spec` over [from, to] by definition: every sample tested one by one.
inline std::map<int64_t, RefWindow> RefWindows(const std::vector<RefSample>& samples, WindowSpec spec, int64_t from,
                                               int64_t to, QualityPolicy policy) {
  std::map<int64_t, RefWindow> out;
  const int64_t off = ((spec.offset_ns % spec.width_ns) + spec.width_ns) % spec.width_ns;
  for (const RefSample& s : samples) {
    if (s.ts < from || s.ts > to) continue;
    // Window start: the largest start <= ts on the grid off + k * width.
    int64_t k = (s.ts - off) / spec.width_ns;
    if (k * spec.width_ns + off > s.ts) --k;
    RefWindow& w = out[k * spec.width_ns + off];
    ++w.samples;
    if (SeverityOf(s.status) != QualitySeverity::kGood) ++w.non_good;
    if (SeverityOf(s.status) == QualitySeverity::kBad) ++w.bad;
    if (Includes(policy, s.status) && !std::isnan(s.value)) w.values.push_back(s.value);
  }
  return out;
}

// Every function from its textbook definition (InfluxDB 1.x's where it has one).
inline std::optional<double> RefCell(const AggregateSpec& spec, std::vector<double> v) {
  const double n = static_cast<double>(v.size());
  if (spec.fn == AggregateFn::kCount) return n;
  if (v.empty()) return std::nullopt;
  double sum = 0;
  for (double x : v) sum += x;
  std::vector<double> sorted = v;
  std::sort(sorted.begin(), sorted.end());
  switch (spec.fn) {
    case AggregateFn::kMean: return sum / n;
    case AggregateFn::kMin: return sorted.front();
    case AggregateFn::kMax: return sorted.back();
    case AggregateFn::kSum: return sum;
    case AggregateFn::kFirst: return v.front();
    case AggregateFn::kLast: return v.back();
    case AggregateFn::kSpread: return sorted.back() - sorted.front();
    case AggregateFn::kStddev: {
      if (v.size() < 2) return std::nullopt;
      double mean = sum / n, var = 0;
      for (double x : v) var += (x - mean) * (x - mean);
      return std::sqrt(var / (n - 1));
    }
    case AggregateFn::kMedian: {
      size_t m = v.size() / 2;
      return v.size() % 2 == 1 ? sorted[m] : sorted[m - 1] + (sorted[m] - sorted[m - 1]) / 2;
    }
    case AggregateFn::kPercentile: {
      int rank = static_cast<int>(std::floor(n * spec.percentile / 100.0 + 0.5));
      if (rank < 1 || rank > static_cast<int>(v.size())) return std::nullopt;
      return sorted[static_cast<size_t>(rank - 1)];
    }
    case AggregateFn::kCount: break;
  }
  return std::nullopt;
}

inline std::vector<AggregateSpec> AllFunctions() {
  return {{AggregateFn::kMean},   {AggregateFn::kMin},        {AggregateFn::kMax},
          {AggregateFn::kSum},    {AggregateFn::kCount},      {AggregateFn::kFirst},
          {AggregateFn::kLast},   {AggregateFn::kStddev},     {AggregateFn::kSpread},
          {AggregateFn::kMedian}, {AggregateFn::kPercentile, 0}, {AggregateFn::kPercentile, 10},
          {AggregateFn::kPercentile, 95}, {AggregateFn::kPercentile, 100}};
}

// Runs a query to its end; fails the test on error.
inline std::vector<WindowRow> RunQuery(const SampleSource& source, const AggregateQuery& q,
                                       const QueryOptions& options = {}, QueryStats* stats = nullptr) {
  std::vector<WindowRow> rows;
  auto cursor = AggregateCursor::Open(source, q, options);
  if (!cursor.ok()) {
    ADD_FAILURE() << cursor.status().ToString();
    return rows;
  }
  Status s = ForEachRow(**cursor, [&](const WindowRow& row) {
    rows.push_back(row);
    return Status::Ok();
  });
  EXPECT_TRUE(s.ok()) << s.ToString();
  if (stats != nullptr) *stats = (*cursor)->stats();
  return rows;
}

inline Status QueryStatus(const SampleSource& source, const AggregateQuery& q, const QueryOptions& options = {}) {
  auto cursor = AggregateCursor::Open(source, q, options);
  if (!cursor.ok()) return cursor.status();
  return ForEachRow(**cursor, [](const WindowRow&) { return Status::Ok(); });
}

inline std::optional<double> Num(const Cell& c) {
  if (const double* d = std::get_if<double>(&c)) return *d;
  return std::nullopt;
}

}  // namespace zhizao::query::testing
