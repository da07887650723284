#include "analytics/registry/row_grid.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <random>
#include <tuple>
#include <vector>

namespace zhizao::analytics::registry {
namespace {

constexpr int64_t kSec = 1'000'000'000;

struct Seen {
  int64_t ts_ns;
  bool complete;
  std::vector<double> values;
  bool operator==(const Seen&) const = default;
};

struct Recorder {
  std::vector<Seen> rows;
  RowGrid::Sink Sink() {
    return [this](const GridRow& r) { rows.push_back({r.ts_ns, r.complete, {r.values.begin(), r.values.end()}}); };
  }
};

TEST(RowGridTest, ARowHoldsEachTagsLastSampleAtOrBeforeItsTime) {
  Recorder rec;
  RowGrid grid(2, kSec, 10 * kSec, rec.Sink());
  grid.Add(0, 0, 1.0);  // the grid starts at the first sample's time, rounded up
  grid.Add(1, 300'000'000, 10.0);
  grid.Add(0, kSec, 2.0);  // exactly on the grid: it belongs to row 1 s
  // Both tags have passed 0 s. Tag 1's first sample came after it, so its cell is empty.
  ASSERT_EQ(rec.rows.size(), 1u);
  EXPECT_EQ(rec.rows[0], (Seen{0, false, {1.0, 0.0}}));
  grid.Add(1, 1'500'000'000, 11.0);
  EXPECT_EQ(rec.rows.size(), 1u) << "tag 0 is at 1 s, not past it";
  grid.Add(0, 2 * kSec, 3.0);
  ASSERT_EQ(rec.rows.size(), 2u);
  EXPECT_EQ(rec.rows[1], (Seen{kSec, true, {2.0, 10.0}}));
}

TEST(RowGridTest, RowsDoNotDependOnHowTheTagsInterleave) {
  std::mt19937_64 rng(7);
  // Three tags sampled at different rates with jitter.
  std::vector<std::tuple<size_t, int64_t, double>> samples;
  for (size_t tag = 0; tag < 3; ++tag) {
    int64_t ts = static_cast<int64_t>(tag) * 100'000'000;
    for (int i = 0; i < 400; ++i) {
      ts += (tag + 1) * 400'000'000 + static_cast<int64_t>(rng() % 200'000'000);
      samples.emplace_back(tag, ts, static_cast<double>(rng() % 1000));
    }
  }
  auto in_time_order = samples;
  std::stable_sort(in_time_order.begin(), in_time_order.end(),
                   [](const auto& a, const auto& b) { return std::get<1>(a) < std::get<1>(b); });
  Recorder ordered;
  RowGrid a(3, kSec, 10 * kSec, ordered.Sink());
  for (auto [tag, ts, v] : in_time_order) a.Add(tag, ts, v);

  // Arrival order as a live stream gives it: each tag's samples in order, batches of tags
  // interleaved at random, one tag lagging up to 3 s behind the others.
  std::vector<std::tuple<size_t, int64_t, double>> arrival = in_time_order;
  for (auto& s : arrival) {
    if (std::get<0>(s) == 2) std::get<1>(s) += 3 * kSec;  // sort key only
  }
  std::vector<size_t> order(arrival.size());
  for (size_t i = 0; i < order.size(); ++i) order[i] = i;
  std::stable_sort(order.begin(), order.end(),
                   [&](size_t x, size_t y) { return std::get<1>(arrival[x]) < std::get<1>(arrival[y]); });
  Recorder shuffled;
  RowGrid b(3, kSec, 10 * kSec, shuffled.Sink());
  for (size_t i : order) b.Add(std::get<0>(in_time_order[i]), std::get<1>(in_time_order[i]), std::get<2>(in_time_order[i]));

  ASSERT_GT(ordered.rows.size(), 100u);
  ASSERT_EQ(shuffled.rows.size(), ordered.rows.size());
  for (size_t i = 0; i < shuffled.rows.size(); ++i) ASSERT_EQ(shuffled.rows[i], ordered.rows[i]) << "row " << i;
}

TEST(RowGridTest, ASilentTagGoesStaleAndHoldsNothingBackPastMaxAge) {
  Recorder rec;
  RowGrid grid(2, kSec, 5 * kSec, rec.Sink());
  grid.Add(1, 0, 7.0);
  for (int s = 0; s <= 20; ++s) grid.Add(0, s * kSec, s);
  // Tag 1 spoke once at 0 s: rows up to 5 s are complete, later ones stale; rows are emitted
  // no more than max_age behind the newest sample.
  ASSERT_EQ(rec.rows.size(), 15u);  // rows 0..14 s: 20 s - 14 s > 5 s
  EXPECT_TRUE(rec.rows[5].complete);
  EXPECT_EQ(rec.rows[5].values, (std::vector<double>{5, 7}));
  EXPECT_FALSE(rec.rows[6].complete);
  EXPECT_FALSE(rec.rows[14].complete);
}

TEST(RowGridTest, AStretchWhereEveryTagIsSilentCostsOneRow) {
  Recorder rec;
  RowGrid grid(2, kSec, 5 * kSec, rec.Sink());
  for (int s = 0; s < 3; ++s) {
    grid.Add(0, s * kSec, 1);
    grid.Add(1, s * kSec, 2);
  }
  const int64_t later = 86'400 * kSec;
  for (int s = 0; s < 3; ++s) {
    grid.Add(0, later + s * kSec, 1);
    grid.Add(1, later + s * kSec, 2);
  }
  // Rows 0..7 s (the last fresh one is 7 s, 5 s after 2 s), one stale row at 8 s, then the
  // grid resumes at the day-later samples.
  size_t incomplete = 0;
  for (const Seen& r : rec.rows) incomplete += !r.complete;
  EXPECT_EQ(incomplete, 1u);
  EXPECT_LT(rec.rows.size(), 20u);
  EXPECT_EQ(rec.rows.back().ts_ns, later + kSec);
}

TEST(RowGridTest, OlderAndRepeatedTimestampsAreIgnored) {
  Recorder rec;
  RowGrid grid(1, kSec, 5 * kSec, rec.Sink());
  grid.Add(0, 0, 1);
  grid.Add(0, 2 * kSec, 3);
  grid.Add(0, kSec, 99);       // older than the newest: ignored
  grid.Add(0, 2 * kSec, 98);   // repeated: ignored
  grid.Add(0, 3 * kSec, 4);
  ASSERT_EQ(rec.rows.size(), 3u);
  EXPECT_EQ(rec.rows[1].values[0], 1.0);  // row 1 s: the last sample at or before it is 0 s
  EXPECT_EQ(rec.rows[2].values[0], 3.0);
}

}  // namespace
}  // namespace zhizao::analytics::registry
