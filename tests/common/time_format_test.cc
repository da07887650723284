#include "common/time_format.h"

#include <gtest/gtest.h>

namespace zhizao {
namespace {

TEST(TimeFormatTest, FormatsWithTrimmedFraction) {
  EXPECT_EQ(FormatRfc3339(0), "1970-01-01T00:00:00Z");
  EXPECT_EQ(FormatRfc3339(1'795'867'200'123'000'000), "2026-11-28T12:00:00.123Z");
  EXPECT_EQ(FormatRfc3339(-1), "1969-12-31T23:59:59.999999999Z");
}

TEST(TimeFormatTest, ParsesZoneOffsetsAndFractions) {
  EXPECT_EQ(*ParseRfc3339("2026-11-28T12:00:00.123Z"), 1'795'867'200'123'000'000);
  EXPECT_EQ(*ParseRfc3339("2026-11-28T20:00:00+08:00"), 1'795'867'200'000'000'000);
  EXPECT_EQ(*ParseRfc3339("1970-01-01T00:00:00.000000001Z"), 1);
}

TEST(TimeFormatTest, RoundTrips) {
  for (int64_t ts : {int64_t{0}, int64_t{1}, int64_t{1'795'867'200'123'456'789}, int64_t{-86'400'000'000'001}}) {
    EXPECT_EQ(*ParseRfc3339(FormatRfc3339(ts)), ts) << ts;
  }
}

TEST(TimeFormatTest, TimesBeyondNanosecondTimestampsAreOutOfRange) {
  EXPECT_EQ(*ParseRfc3339("2262-04-11T23:47:16.854775807Z"), INT64_MAX);
  for (const char* far : {"2262-04-11T23:47:16.854775808Z", "9999-12-31T23:59:59Z", "1600-01-01T00:00:00Z"}) {
    EXPECT_EQ(ParseRfc3339(far).status().code(), StatusCode::kOutOfRange) << far;
  }
}

TEST(TimeFormatTest, RejectsMalformed) {
  for (const char* bad : {"", "2026-11-28", "2026-13-01T00:00:00Z", "2026-02-30T00:00:00Z",
                          "2026-11-28T12:00:00", "2026-11-28T12:00:00.Z", "2026-11-28T12:00:00Zjunk",
                          "2026-11-28T25:00:00Z"}) {
    EXPECT_FALSE(ParseRfc3339(bad).ok()) << bad;
  }
}

}  // namespace
}  // namespace zhizao
