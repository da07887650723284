#include "api/series_params.h"

#include <gtest/gtest.h>

#include <limits>

#include "common/time_format.h"
#include "query/window.h"

namespace zhizao::api {
namespace {

constexpr int64_t kSec = 1'000'000'000;
constexpr int64_t kNow = 1'795'860'000 * kSec;  // 2026-11-28T10:00:00Z

HttpRequest WithQuery(const std::string& target) {
  HttpRequest r;
  EXPECT_TRUE(ParseTarget(target, r.path, r.query).ok());
  return r;
}

TEST(SeriesParamsTest, TimesInEverySpelling) {
  EXPECT_EQ(*ParseTimeParam("2026-11-28T10:00:00Z", kNow, "from"), kNow);
  EXPECT_EQ(*ParseTimeParam("2026-11-28T18:00:00.5+08:00", kNow, "from"), kNow + kSec / 2);
  EXPECT_EQ(*ParseTimeParam("1795860000000", kNow, "from"), kNow);
  EXPECT_EQ(*ParseTimeParam("-1000", kNow, "from"), -kSec);
  EXPECT_EQ(*ParseTimeParam("now", kNow, "from"), kNow);
  EXPECT_EQ(*ParseTimeParam("now-1h", kNow, "from"), kNow - 3600 * kSec);
  EXPECT_EQ(*ParseTimeParam("now+1h30m", kNow, "from"), kNow + 5400 * kSec);
  EXPECT_EQ(*ParseTimeParam("now-1000w", kNow, "from"), kNow - int64_t{1000} * 7 * 86400 * kSec);
}

TEST(SeriesParamsTest, BadTimesNameTheParameter) {
  for (const char* bad : {"yesterday", "now-", "now*1h", "now-1y", "2026-13-01T00:00:00Z", "12a", "", "99999999999999999"}) {
    Result<int64_t> t = ParseTimeParam(bad, kNow, "to");
    ASSERT_EQ(t.status().code(), StatusCode::kInvalidArgument) << bad;
    EXPECT_TRUE(t.status().message().starts_with("parameter to")) << t.status().message();
  }
}

TEST(SeriesParamsTest, TimesAreClamped) {
  EXPECT_EQ(*ParseTimeParam("now+7000w", kNow, "to"), query::kMaxAbsTimestampNs);
  EXPECT_EQ(*ParseTimeParam("now-7000w", -kNow, "from"), -query::kMaxAbsTimestampNs);
}

TEST(SeriesParamsTest, Durations) {
  EXPECT_EQ(*ParseDuration("1m", "window"), 60 * kSec);
  EXPECT_EQ(*ParseDuration("1h30m", "window"), 5400 * kSec);
  EXPECT_EQ(*ParseDuration("500ms", "window"), kSec / 2);
  EXPECT_EQ(*ParseDuration("1d", "window"), 86400 * kSec);
  EXPECT_EQ(*ParseDuration("250us", "window"), 250'000);
  for (const char* bad : {"", "0s", "1", "m", "1x", "-1m", "1.5m", "99999999999999999999s", "1000000w"}) {
    Result<int64_t> d = ParseDuration(bad, "window");
    ASSERT_FALSE(d.ok()) << bad;
    EXPECT_TRUE(d.status().message().starts_with("parameter window")) << d.status().message();
  }
}

TEST(SeriesParamsTest, RangeDefaultsAndFromAfterToIs422) {
  TimeRange fallback = *TimeRangeParams(WithQuery("/x"), kNow, 3600 * kSec);
  EXPECT_EQ(fallback.to_ns, kNow);
  EXPECT_EQ(fallback.from_ns, kNow - 3600 * kSec);
  TimeRange given = *TimeRangeParams(WithQuery("/x?from=now-1d&to=now-1h"), kNow, kSec);
  EXPECT_EQ(given.from_ns, kNow - 86400 * kSec);
  EXPECT_EQ(given.to_ns, kNow - 3600 * kSec);
  Result<TimeRange> reversed = TimeRangeParams(WithQuery("/x?from=now&to=now-1m"), kNow, kSec);
  EXPECT_EQ(reversed.status().code(), StatusCode::kOutOfRange);  // 422: each bound is fine, the pair is not
  EXPECT_EQ(TimeRangeParams(WithQuery("/x?from=soon"), kNow, kSec).status().code(), StatusCode::kInvalidArgument);
}

TEST(SeriesParamsTest, EpochAndTimeJson) {
  EXPECT_EQ(*EpochParam(WithQuery("/x")), 0);
  EXPECT_EQ(*EpochParam(WithQuery("/x?epoch=ms")), 1'000'000);
  EXPECT_FALSE(EpochParam(WithQuery("/x?epoch=h")).ok());
  EXPECT_EQ(TimeJson(kNow + 1, 0), "2026-11-28T10:00:00.000000001Z");
  EXPECT_EQ(TimeJson(kNow + 1, 1'000'000), 1'795'860'000'000);
  EXPECT_EQ(TimeJson(kNow, 1'000'000'000), 1'795'860'000);
}

TEST(SeriesParamsTest, Functions) {
  std::vector<query::AggregateSpec> specs = *ParseFunctions("mean,max,percentile:95,percentile:99.9");
  ASSERT_EQ(specs.size(), 4u);
  EXPECT_EQ(specs[1].fn, query::AggregateFn::kMax);
  EXPECT_EQ(specs[2].percentile, 95);
  EXPECT_EQ(FunctionLabel(specs[2]), "percentile:95");
  EXPECT_EQ(FunctionLabel(specs[3]), "percentile:99.9");
  EXPECT_EQ(ParseFunctions("")->at(0).fn, query::AggregateFn::kMean);
  for (const char* bad : {"avg", "percentile", "percentile:101", "percentile:x", "mean:3", ","}) {
    Result<std::vector<query::AggregateSpec>> r = ParseFunctions(bad);
    ASSERT_FALSE(r.ok()) << bad;
    EXPECT_TRUE(r.status().message().starts_with("parameter fn")) << r.status().message();
  }
}

TEST(SeriesParamsTest, BoolsListsAndNumbers) {
  EXPECT_TRUE(*BoolParam(WithQuery("/x?combined=true"), "combined", false));
  EXPECT_FALSE(*BoolParam(WithQuery("/x"), "combined", false));
  EXPECT_FALSE(BoolParam(WithQuery("/x?combined=yes"), "combined", false).ok());
  EXPECT_EQ(SplitList("a,,b,"), (std::vector<std::string>{"a", "b"}));
  EXPECT_EQ(NumberJson(1.5), 1.5);
  EXPECT_EQ(NumberJson(std::numeric_limits<double>::quiet_NaN()), "NaN");
  EXPECT_EQ(NumberJson(-std::numeric_limits<double>::infinity()), "-Inf");
}

}  // namespace
}  // namespace zhizao::api
