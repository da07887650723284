#include "query/window.h"

#include <gtest/gtest.h>

#include <cmath>
#include <random>
#include <vector>

#include "query/internal/fold.h"

namespace zhizao::query {
namespace {

TEST(WindowSpecTest, IndexesTheEpochGridWithOffsetForNegativeTimes) {
  WindowSpec w{.width_ns = 10, .offset_ns = 3};
  EXPECT_EQ(w.IndexOf(3), 0);
  EXPECT_EQ(w.IndexOf(12), 0);
  EXPECT_EQ(w.IndexOf(13), 1);
  EXPECT_EQ(w.IndexOf(2), -1);
  EXPECT_EQ(w.IndexOf(-7), -1);
  EXPECT_EQ(w.IndexOf(-8), -2);
  EXPECT_EQ(w.StartOf(-2), -17);
  // Offsets are taken modulo the width, negative ones included.
  EXPECT_EQ((WindowSpec{.width_ns = 10, .offset_ns = -7}).StartOf(0), 3);
  EXPECT_EQ((WindowSpec{.width_ns = 10, .offset_ns = 23}).StartOf(0), 3);
  // The ends of the clamped range do not overflow.
  WindowSpec wide{.width_ns = kMaxAbsTimestampNs, .offset_ns = 0};
  EXPECT_EQ(wide.IndexOf(kMaxAbsTimestampNs), 1);
  EXPECT_EQ(wide.IndexOf(-kMaxAbsTimestampNs), -1);
  EXPECT_FALSE((WindowSpec{.width_ns = 0}).Validate().ok());
  EXPECT_TRUE(wide.Validate().ok());
}

WindowState Summarize(const std::vector<double>& v, int64_t first_ts) {
  std::vector<int64_t> ts;
  std::vector<uint32_t> status(v.size(), 0);
  for (size_t i = 0; i < v.size(); ++i) ts.push_back(first_ts + static_cast<int64_t>(i));
  return internal::SummarizeNumeric({ts.data(), status.data(), v.data(), v.size()}, QualityPolicy::kAll, true, nullptr);
}

// What a rollup store relies on: merging the states of parts equals summarising the whole.
TEST(WindowStateTest, MergingPartsEqualsSummarisingTheWhole) {
  std::mt19937_64 rng(3);
  std::normal_distribution<double> value(1e6, 1);
  std::vector<double> all;
  for (int i = 0; i < 1000; ++i) all.push_back(value(rng));
  WindowState whole = Summarize(all, 0);
  WindowState merged;
  for (size_t at = 0; at < all.size();) {
    size_t n = std::min<size_t>(all.size() - at, 1 + rng() % 90);
    merged.Merge(Summarize(std::vector<double>(all.begin() + static_cast<long>(at), all.begin() + static_cast<long>(at + n)),
                           static_cast<int64_t>(at)));
    at += n;
  }
  EXPECT_EQ(merged.count, whole.count);
  EXPECT_EQ(merged.samples, whole.samples);
  EXPECT_NEAR(merged.sum, whole.sum, 1e-6);
  EXPECT_NEAR(merged.m2, whole.m2, 1e-9 * whole.m2);
  EXPECT_EQ(merged.min, whole.min);
  EXPECT_EQ(merged.min_ts, whole.min_ts);
  EXPECT_EQ(merged.max_ts, whole.max_ts);
  EXPECT_EQ(merged.first, all.front());
  EXPECT_EQ(merged.last, all.back());
  EXPECT_EQ(merged.last_ts, 999);
}

TEST(WindowStateTest, MergingAnEmptyStateKeepsOnlyItsCounts) {
  WindowState s = Summarize({1, 2, 3}, 10);
  WindowState only_bad;
  only_bad.samples = 2;
  only_bad.non_good = 2;
  only_bad.bad = 2;
  s.Merge(only_bad);
  EXPECT_EQ(s.count, 3);
  EXPECT_EQ(s.samples, 5);
  EXPECT_EQ(s.non_good, 2);
  EXPECT_EQ(s.bad, 2);
  only_bad.Merge(Summarize({4}, 0));
  EXPECT_EQ(only_bad.count, 1);
  EXPECT_EQ(only_bad.samples, 3);
  EXPECT_EQ(only_bad.bad, 2);
  EXPECT_EQ(only_bad.first, 4);
}

}  // namespace
}  // namespace zhizao::query
