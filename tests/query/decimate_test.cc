#include "query/decimate.h"

#include <gtest/gtest.h>

#include "query_test_util.h"

namespace zhizao::query {
namespace {

using testing::FakeSource;
using testing::kSec;

TEST(DecimateTest, KeepsFirstLastAndEveryBucketsExtremes) {
  std::mt19937_64 rng(11);
  FakeSource source;
  testing::AddRandomSeries(source, 1, 0, 20'000, rng, 50, /*with_nan=*/false);
  const int64_t from = 1000 * kSec, to = 30'000 * kSec;
  auto d = Decimate(source, 1, from, to, 300, {.quality = QualityPolicy::kAll});
  ASSERT_TRUE(d.ok()) << d.status().ToString();
  EXPECT_EQ(d->bucket_width_ns, (to - from + 1 + 299) / 300);
  EXPECT_LE(d->buckets.size(), 300u);
  storage::SeriesSamples all;
  ASSERT_TRUE(source.Read(1, from, to, &all).ok());
  std::vector<TimedValue> points;
  int64_t samples = 0;
  for (const DecimatedBucket& b : d->buckets) {
    std::vector<TimedValue> p = b.Points();
    EXPECT_LE(p.size(), 4u);
    EXPECT_GE(p.front().ts_ns, b.start_ns);
    EXPECT_LT(p.back().ts_ns, b.start_ns + d->bucket_width_ns);
    points.insert(points.end(), p.begin(), p.end());
    samples += b.state.samples;
  }
  EXPECT_EQ(samples, static_cast<int64_t>(all.size()));
  ASSERT_FALSE(points.empty());
  EXPECT_EQ(points.front().ts_ns, all.ts_ns.front());
  EXPECT_EQ(points.back().ts_ns, all.ts_ns.back());
  EXPECT_EQ(points.back().value, all.f64.back());
  auto by_value = [](const TimedValue& a, const TimedValue& b) { return a.value < b.value; };
  EXPECT_EQ(std::min_element(points.begin(), points.end(), by_value)->value,
            *std::min_element(all.f64.begin(), all.f64.end()));
  EXPECT_EQ(std::max_element(points.begin(), points.end(), by_value)->value,
            *std::max_element(all.f64.begin(), all.f64.end()));
  for (size_t i = 1; i < points.size(); ++i) EXPECT_LT(points[i - 1].ts_ns, points[i].ts_ns);
}

TEST(DecimateTest, ReportsNonGoodSamplesAndBucketsOfOnlyBadData) {
  FakeSource source;
  source.AddF64(1, 0, 1);
  source.AddF64(1, 1 * kSec, 100, status_codes::kBadSensorFailure);  // a spike of a failed sensor
  source.AddF64(1, 2 * kSec, 2, status_codes::kUncertain);
  source.AddF64(1, 5 * kSec, 0, status_codes::kBadNoCommunication);
  auto d = Decimate(source, 1, 0, 9 * kSec, 2, {});
  ASSERT_TRUE(d.ok());
  ASSERT_EQ(d->buckets.size(), 2u);
  EXPECT_EQ(d->buckets[0].state.samples, 3);
  EXPECT_EQ(d->buckets[0].state.non_good, 2);
  EXPECT_EQ(d->buckets[0].state.bad, 1);
  EXPECT_EQ(d->buckets[0].state.max, 2);
  EXPECT_EQ(d->buckets[1].state.count, 0);
  EXPECT_EQ(d->buckets[1].state.non_good, 1);
  EXPECT_EQ(d->buckets[1].state.bad, 1);
  EXPECT_TRUE(d->buckets[1].Points().empty());
}

TEST(DecimateTest, RefusesStringsAndTooManyBuckets) {
  FakeSource source;
  auto& s = source.Series(2, DataType::kString);
  s.ts_ns = {1};
  s.status = {0};
  s.str = {"on"};
  auto strings = Decimate(source, 2, 0, 10, 5, {});
  EXPECT_EQ(strings.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(strings.status().message().find("cannot decimate tag 2: tag 2 holds strings"), std::string::npos);
  auto many = Decimate(source, 2, 0, 1000, 300, {.max_points_returned = 1000});
  EXPECT_EQ(many.status().message(), "query would return more than 1000 points (max_points_returned)");
  EXPECT_EQ(Decimate(source, 2, 0, 1000, 0, {}).status().code(), StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace zhizao::query
