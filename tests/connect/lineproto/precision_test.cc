#include "connect/lineproto/precision.h"

#include <gtest/gtest.h>

namespace zhizao::connect::lineproto {
namespace {

TEST(PrecisionTest, AcceptsTheSpellingsOfInfluxDb1And2) {
  const struct {
    const char* text;
    Precision precision;
  } cases[] = {{"", Precision::kNanosecond},  {"n", Precision::kNanosecond}, {"ns", Precision::kNanosecond},
               {"u", Precision::kMicrosecond}, {"us", Precision::kMicrosecond}, {"ms", Precision::kMillisecond},
               {"s", Precision::kSecond},      {"m", Precision::kMinute},       {"h", Precision::kHour}};
  for (const auto& c : cases) {
    Result<Precision> parsed = ParsePrecision(c.text);
    ASSERT_TRUE(parsed.ok()) << c.text;
    EXPECT_EQ(*parsed, c.precision) << c.text;
  }
}

TEST(PrecisionTest, RejectsOtherSpellingsWithInfluxDbsMessage) {
  for (const char* text : {"NS", "µ", "µs", "sec", "rfc3339", "mn", " s"}) {
    Result<Precision> parsed = ParsePrecision(text);
    ASSERT_FALSE(parsed.ok()) << text;
    EXPECT_EQ(parsed.status().code(), StatusCode::kInvalidArgument);
    EXPECT_EQ(parsed.status().message(), std::string("invalid precision \"") + text + "\" (use ns, us, ms, s, m or h)");
  }
}

TEST(PrecisionTest, NamesAndUnits) {
  EXPECT_EQ(PrecisionName(Precision::kMicrosecond), "us");
  EXPECT_EQ(NanosPerUnit(Precision::kNanosecond), 1);
  EXPECT_EQ(NanosPerUnit(Precision::kMillisecond), 1'000'000);
  EXPECT_EQ(NanosPerUnit(Precision::kHour), 3'600'000'000'000);
}

}  // namespace
}  // namespace zhizao::connect::lineproto
