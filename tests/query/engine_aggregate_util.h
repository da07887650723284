// What the aggregate tests against a real engine share: a source that reads through
// Engine::Read only (the decode-everything reference), and comparison of rows.
//
// Tolerance: counts, quality counts, min, max, first, last and their times match exactly;
// sum and mean within 1e-9 relative (plus 1e-9 absolute), stddev within 1e-7 relative (plus 1e-9
// absolute): the paths add the same values in another grouping. A window with ±Inf has a
// non-finite sum, mean and stddev on both paths; sum and mean match exactly then (IEEE: any
// Inf gives Inf, both signs give NaN), stddev may be Inf on one path and NaN on the other.
#pragma once

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <optional>
#include <utility>

#include "query/aggregate.h"
#include "storage/engine.h"

namespace zhizao::query {

inline constexpr int64_t kSec = 1'000'000'000;
inline constexpr int64_t kStart = int64_t{1'795'867'200} * kSec;  // 2026-11-28T12:00:00Z
inline constexpr uint32_t kUncertain = 0x40000000;
inline constexpr uint32_t kBad = 0x80000000;

// Reads through Engine::Read only: the decode-everything path.
class DecodeOnlySource final : public SampleSource {
 public:
  explicit DecodeOnlySource(const storage::Engine& engine) : engine_(engine) {}
  Status Read(TagId tag, int64_t from, int64_t to, storage::SeriesSamples* out) const override {
    return engine_.Read(tag, from, to, out);
  }
  Result<std::optional<storage::LastSample>> Last(TagId tag) const override { return engine_.Last(tag); }

 private:
  const storage::Engine& engine_;
};

using Rows = std::map<std::pair<TagId, int64_t>, WindowRow>;

inline Rows RunQuery(const SampleSource& source, const AggregateQuery& q, const QueryOptions& options, QueryStats* stats) {
  auto cursor = AggregateCursor::Open(source, q, options);
  EXPECT_TRUE(cursor.ok()) << cursor.status().ToString();
  Rows rows;
  Status s = ForEachRow(**cursor, [&](const WindowRow& row) {
    EXPECT_TRUE(rows.emplace(std::make_pair(row.tag, row.start_ns), row).second) << "one row per tag and window";
    return Status::Ok();
  });
  EXPECT_TRUE(s.ok()) << s.ToString();
  *stats = (*cursor)->stats();
  return rows;
}

inline bool Close(double want, double got, double relative) {
  if (!std::isfinite(want) || !std::isfinite(got)) return std::isnan(want) ? std::isnan(got) : want == got;
  return std::abs(want - got) <= 1e-9 + relative * std::max(std::abs(want), std::abs(got));
}

inline void ExpectSameRow(const WindowRow& want, const WindowRow& got, const AggregateQuery& q) {
  const WindowState& a = want.state;
  const WindowState& b = got.state;
  EXPECT_EQ(a.samples, b.samples);
  EXPECT_EQ(a.non_good, b.non_good);
  EXPECT_EQ(a.bad, b.bad);
  ASSERT_EQ(a.count, b.count);
  if (a.count > 0) {
    EXPECT_EQ(a.min, b.min);
    EXPECT_EQ(a.max, b.max);
    EXPECT_EQ(a.first, b.first);
    EXPECT_EQ(a.last, b.last);
    EXPECT_EQ(a.min_ts, b.min_ts);
    EXPECT_EQ(a.max_ts, b.max_ts);
    EXPECT_EQ(a.first_ts, b.first_ts);
    EXPECT_EQ(a.last_ts, b.last_ts);
    EXPECT_TRUE(Close(a.sum, b.sum, 1e-9)) << a.sum << " vs " << b.sum;
  }
  ASSERT_EQ(want.cells.size(), got.cells.size());
  for (size_t f = 0; f < want.cells.size(); ++f) {
    ASSERT_EQ(want.cells[f].index(), got.cells[f].index()) << AggregateFnName(q.functions[f].fn);
    if (want.cells[f].index() != 1) continue;
    const double x = std::get<double>(want.cells[f]), y = std::get<double>(got.cells[f]);
    if (q.functions[f].fn == AggregateFn::kStddev && !(std::isfinite(x) && std::isfinite(y))) {
      EXPECT_EQ(std::isfinite(x), std::isfinite(y)) << "stddev";
      continue;
    }
    EXPECT_TRUE(Close(x, y, q.functions[f].fn == AggregateFn::kStddev ? 1e-7 : 1e-9))
        << AggregateFnName(q.functions[f].fn) << ": " << x << " vs " << y;
  }
}

}  // namespace zhizao::query
