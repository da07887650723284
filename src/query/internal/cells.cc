#include "query/internal/cells.h"

#include <algorithm>
#include <cmath>

namespace zhizao::query::internal {
namespace {

// InfluxDB's median: the middle value, or the mean of the two middle values.
Cell Median(std::vector<double>& v) {
  if (v.empty()) return {};
  const auto mid = v.begin() + static_cast<std::ptrdiff_t>(v.size() / 2);
  std::nth_element(v.begin(), mid, v.end());
  if (v.size() % 2 == 1) return *mid;
  const double lo = *std::max_element(v.begin(), mid);
  return lo + (*mid - lo) / 2;
}

// InfluxDB's nearest rank; no value when the rank falls outside 1..n.
Cell Percentile(std::vector<double>& v, double p) {
  const double rank = std::floor(static_cast<double>(v.size()) * p / 100.0 + 0.5);
  if (rank < 1 || rank > static_cast<double>(v.size())) return {};
  const auto at = v.begin() + static_cast<std::ptrdiff_t>(rank) - 1;
  std::nth_element(v.begin(), at, v.end());
  return *at;
}

}  // namespace

Cell Finalize(const AggregateSpec& spec, const WindowState& s, bool text, std::vector<double>& values) {
  if (spec.fn == AggregateFn::kCount) return static_cast<double>(s.count);
  if (s.count == 0) return {};
  switch (spec.fn) {
    case AggregateFn::kMean: return s.mean();
    case AggregateFn::kMin: return s.min;
    case AggregateFn::kMax: return s.max;
    case AggregateFn::kSum: return s.sum;
    case AggregateFn::kFirst: return text ? Cell(s.first_str) : Cell(s.first);
    case AggregateFn::kLast: return text ? Cell(s.last_str) : Cell(s.last);
    case AggregateFn::kStddev:
      return s.count < 2 ? Cell() : Cell(std::sqrt(s.m2 / static_cast<double>(s.count - 1)));
    case AggregateFn::kSpread: return s.max - s.min;
    case AggregateFn::kMedian: return Median(values);
    case AggregateFn::kPercentile: return Percentile(values, spec.percentile);
    case AggregateFn::kCount: break;
  }
  return {};
}

}  // namespace zhizao::query::internal
