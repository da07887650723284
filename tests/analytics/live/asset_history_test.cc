#include "analytics/live/asset_history.h"

#include <gtest/gtest.h>

#include <cmath>

#include "query/query_test_util.h"

namespace zhizao::analytics::live {
namespace {

constexpr int64_t kSecond = 1'000'000'000;

TEST(ReadGridRows, ARowHoldsTheLastGoodValueThatArrivedBeforeIt) {
  query::testing::FakeSource source;
  // Tag 1 every second at .5; tag 2 every 2 s at .0 (a sample on a row's time is not in it),
  // with a bad sample at 6 s (the good value before it stays held) and silent from 8 s on
  // (held on, as a tag reported by exception would be).
  for (int64_t t = 0; t < 12; ++t) source.AddF64(1, t * kSecond + kSecond / 2, static_cast<double>(t));
  for (int64_t t = 0; t < 8; t += 2) source.AddF64(2, t * kSecond, 100.0 + static_cast<double>(t), t == 6 ? 0x80000000u : 0);
  const TagId tags[] = {1, 2};
  GridRows rows = ReadGridRows(source, tags, {.from_ns = 0, .to_ns = 12 * kSecond, .stale_rows = 3}).value();
  ASSERT_EQ(rows.cols, 2u);
  ASSERT_EQ(rows.rows_ns.size(), 11u);  // rows at 1..11 s
  for (size_t r = 0; r < rows.rows_ns.size(); ++r) {
    const int64_t t = static_cast<int64_t>(r) + 1;
    EXPECT_EQ(rows.rows_ns[r], t * kSecond);
    EXPECT_EQ(rows.values[r * 2], static_cast<double>(t - 1)) << t;
    const int64_t held = t <= 2 ? 0 : t <= 4 ? 2 : 4;
    EXPECT_EQ(rows.values[r * 2 + 1], 100.0 + static_cast<double>(held)) << t;
  }
}

TEST(ReadGridRows, AStretchWithNothingHeardIsLeftOut) {
  query::testing::FakeSource source;
  for (int64_t t : {0, 1, 2, 10, 11}) {  // nothing between 2 and 10 s
    source.AddF64(1, t * kSecond + kSecond / 2, 1.0);
    source.AddF64(2, t * kSecond + kSecond / 2, 2.0);
  }
  const TagId tags[] = {1, 2};
  GridRows rows = ReadGridRows(source, tags, {.from_ns = 0, .to_ns = 12 * kSecond, .stale_rows = 3}).value();
  // Heard until 2.5 + 5 s (five of the tags' 1 s intervals, more than the 3 s floor), then from 10.5 s.
  EXPECT_EQ(rows.rows_ns, (std::vector<int64_t>{1 * kSecond, 2 * kSecond, 3 * kSecond, 4 * kSecond, 5 * kSecond,
                                                 6 * kSecond, 7 * kSecond, 11 * kSecond}));
}

// A gauge measuring one part every 100 s is heard for five of its intervals after each: its rows
// are held between parts (before its second part its interval is not known: the 60 s floor).
TEST(ReadGridRows, ATagReportingEveryFewMinutesIsHeldBetweenItsSamples) {
  query::testing::FakeSource source;
  for (int64_t t = 0; t < 1000; t += 100) {
    source.AddF64(1, t * kSecond + kSecond / 2, 1.0);
    source.AddF64(2, t * kSecond + kSecond / 2, 2.0);
  }
  const TagId tags[] = {1, 2};
  GridRows rows = ReadGridRows(source, tags, {.from_ns = 0, .to_ns = 1000 * kSecond}).value();
  std::vector<int64_t> expected;
  for (int64_t t = 1; t < 1000; ++t) {
    if (t <= 60 || t > 100) expected.push_back(t * kSecond);
  }
  EXPECT_EQ(rows.rows_ns, expected);
}

TEST(ReadGridRows, DaysAreReadOneAtATimeAndAHeldValueCrossesThem) {
  query::testing::FakeSource source;
  const int64_t day = 86'400 * kSecond;
  source.AddF64(1, day - kSecond / 2, 7.0);  // read with the first day, held into the second
  source.AddF64(1, day + 5 * kSecond + kSecond / 2, 9.0);
  source.AddF64(2, day - kSecond / 2, 8.0);
  const TagId tags[] = {1, 2};
  GridRows rows = ReadGridRows(source, tags, {.from_ns = 0, .to_ns = day + 10 * kSecond}).value();
  EXPECT_EQ(source.reads, 4);  // two days of each tag
  ASSERT_EQ(rows.rows_ns.size(), 10u);  // 24:00:00 .. 24:00:09
  for (size_t r = 0; r < 10; ++r) {
    EXPECT_EQ(rows.rows_ns[r], day + static_cast<int64_t>(r) * kSecond);
    EXPECT_EQ(rows.values[r * 2], r <= 5 ? 7.0 : 9.0) << r;
    EXPECT_EQ(rows.values[r * 2 + 1], 8.0) << r;
  }
}

TEST(ReadGridRows, TooLongARangeOrNoGridIsRefusedAndAStopEndsTheReads) {
  query::testing::FakeSource source;
  const TagId tags[] = {1};
  EXPECT_EQ(ReadGridRows(source, tags, {.from_ns = 0, .to_ns = (int64_t{1} << 27) * kSecond}).status().code(),
            StatusCode::kInvalidArgument);
  EXPECT_EQ(ReadGridRows(source, tags, {.from_ns = 0, .to_ns = kSecond, .grid_ns = 0}).status().code(),
            StatusCode::kInvalidArgument);
  std::atomic<bool> stop{true};
  EXPECT_EQ(ReadGridRows(source, tags, {.from_ns = 0, .to_ns = 10 * kSecond}, &stop).status().code(),
            StatusCode::kUnavailable);
}

}  // namespace
}  // namespace zhizao::analytics::live
