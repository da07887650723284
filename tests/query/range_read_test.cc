#include "query/range_read.h"

#include <gtest/gtest.h>

#include "query_test_util.h"

namespace zhizao::query {
namespace {

using testing::FakeSource;
using testing::kSec;

TEST(ReadRangeTest, PagesConcatenateToTheWholeRange) {
  std::mt19937_64 rng(5);
  FakeSource source;
  testing::AddRandomSeries(source, 1, -1000 * kSec, 3000, rng);
  storage::SeriesSamples all;
  ASSERT_TRUE(source.Read(1, -500 * kSec, 4000 * kSec, &all).ok());
  std::vector<int64_t> ts;
  std::optional<int64_t> from = -500 * kSec;
  int pages = 0;
  while (from) {
    auto page = ReadRange(source, 1, *from, 4000 * kSec, 250, {.first_slice_ns = 100 * kSec});
    ASSERT_TRUE(page.ok()) << page.status().ToString();
    EXPECT_LE(page->samples.size(), 250u);
    EXPECT_EQ(page->samples.f64.size(), page->samples.size());
    ts.insert(ts.end(), page->samples.ts_ns.begin(), page->samples.ts_ns.end());
    from = page->next_from_ns;
    ++pages;
  }
  EXPECT_EQ(ts, all.ts_ns);
  EXPECT_EQ(pages, static_cast<int>((all.size() + 249) / 250));
}

TEST(ReadRangeTest, KeepsStringsAndStatusesAndStopsAtTheEnd) {
  FakeSource source;
  auto& s = source.Series(2, DataType::kString);
  for (int i = 0; i < 10; ++i) {
    s.ts_ns.push_back(i * kSec);
    s.status.push_back(i == 3 ? status_codes::kBad : 0);
    s.str.push_back(std::string(1, static_cast<char>('a' + i)));
  }
  auto page = ReadRange(source, 2, 2 * kSec, 20 * kSec, 100, {});
  ASSERT_TRUE(page.ok());
  EXPECT_EQ(page->samples.type, DataType::kString);
  EXPECT_EQ(page->samples.str.front(), "c");
  EXPECT_EQ(page->samples.status[1], status_codes::kBad);
  EXPECT_FALSE(page->next_from_ns.has_value());
  auto empty = ReadRange(source, 99, 0, 10, 5, {});
  ASSERT_TRUE(empty.ok());
  EXPECT_EQ(empty->samples.size(), 0u);
}

TEST(ReadRangeTest, RefusesBadArgumentsAndOversizedPages) {
  FakeSource source;
  for (int i = 0; i < 100; ++i) source.AddF64(1, i * kSec, i);
  EXPECT_EQ(ReadRange(source, 1, 0, 10, 0, {}).status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(ReadRange(source, 1, 10, 0, 5, {}).status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(ReadRange(source, 0, 0, 10, 5, {}).status().code(), StatusCode::kInvalidArgument);
  auto big = ReadRange(source, 1, 0, 100 * kSec, 11, {.max_points_returned = 10});
  EXPECT_EQ(big.status().message(), "query would return more than 10 points (max_points_returned)");
  auto scan = ReadRange(source, 1, 0, 100 * kSec, 100, {.max_points_scanned = 50});
  EXPECT_EQ(scan.status().message(), "query would scan more than 50 points (max_points_scanned)");
}

}  // namespace
}  // namespace zhizao::query
