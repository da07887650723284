// The float fast path must be exactly what std::from_chars gives (correct rounding).
#include "connect/lineproto/internal/number_parse.h"

#include <gtest/gtest.h>

#include <bit>
#include <cmath>
#include <charconv>
#include <random>
#include <string>

namespace zhizao::connect::lineproto::internal {
namespace {

// The double ParseNumber reads from `text`, which must be a valid float.
double Parse(const std::string& text) {
  FieldValue value;
  std::string reason;
  const char* end = ParseNumber(text.data(), text.data() + text.size(), &value, &reason);
  EXPECT_EQ(end, text.data() + text.size()) << text << ": " << reason;
  return end == nullptr ? -1 : std::get<double>(value);
}

void ExpectSameAsFromChars(const std::string& text) {
  double expected = 0;
  auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), expected);
  ASSERT_TRUE(ec == std::errc() && ptr == text.data() + text.size()) << text;
  ASSERT_EQ(std::bit_cast<uint64_t>(Parse(text)), std::bit_cast<uint64_t>(expected)) << text;
}

// A random decimal of the shapes plants and clients write: 1 to 20 digits, a point anywhere
// (or none), sometimes an exponent, sometimes a sign.
std::string RandomDecimal(std::mt19937_64& rng) {
  std::string text = rng() % 4 == 0 ? "-" : "";
  const int digits = 1 + static_cast<int>(rng() % 20);
  const int point = static_cast<int>(rng() % static_cast<uint64_t>(digits + 2)) - 1;  // -1: no point
  for (int i = 0; i < digits; ++i) {
    if (i == point) text += '.';
    text += static_cast<char>('0' + rng() % 10);
  }
  if (rng() % 4 == 0) text += "e" + std::to_string(static_cast<int>(rng() % 61) - 30);
  return text;
}

TEST(NumberParseTest, MatchesFromCharsOnMillionsOfRandomDecimals) {
  std::mt19937_64 rng(42);
  for (int i = 0; i < 3'000'000; ++i) ExpectSameAsFromChars(RandomDecimal(rng));
}

TEST(NumberParseTest, MatchesFromCharsOnRoundTripsOfRandomDoubles) {
  std::mt19937_64 rng(43);
  for (int i = 0; i < 1'000'000; ++i) {
    const double value = std::bit_cast<double>(rng());
    if (!std::isfinite(value)) continue;
    char buffer[64];
    char* end = std::to_chars(buffer, buffer + sizeof(buffer), value).ptr;
    const std::string text(buffer, static_cast<size_t>(end - buffer));
    ASSERT_EQ(std::bit_cast<uint64_t>(Parse(text)), std::bit_cast<uint64_t>(value)) << text;
  }
}

TEST(NumberParseTest, MatchesFromCharsAtTheFastPathsEdges) {
  for (const char* text :
       {"9007199254740992", "9007199254740993", "9007199254740991e22", "9007199254740993e22", "9007199254740991e-22",
        "9007199254740993e-22", "1e22", "1e23", "1e-22", "1e-23", "123456789e-30", "9999999999999999999",
        "99999999999999999999", "0.0000000000000000000000001", "2.2250738585072011e-308", "2.2250738585072014e-308",
        "4.9406564584124654e-324", "1.7976931348623157e308", "0.1", "0.2", "0.3", "65.23", "1449.3", "5.412"}) {
    ExpectSameAsFromChars(text);
  }
}

TEST(NumberParseTest, ParsesInt64ExactlyToItsLimits) {
  int64_t v = 0;
  EXPECT_TRUE(ParseInt64("-9223372036854775808", &v));
  EXPECT_EQ(v, INT64_MIN);
  EXPECT_TRUE(ParseInt64("9223372036854775807", &v));
  EXPECT_EQ(v, INT64_MAX);
  EXPECT_FALSE(ParseInt64("9223372036854775808", &v));
  EXPECT_FALSE(ParseInt64("", &v));
  EXPECT_FALSE(ParseInt64("-", &v));
  EXPECT_FALSE(ParseInt64("+1", &v));
}

TEST(NumberParseTest, ConvertsTimestampsWithOverflowChecks) {
  int64_t ns = 0;
  EXPECT_TRUE(TimestampToNs(9'223'372'036, 1'000'000'000, &ns));
  EXPECT_EQ(ns, 9'223'372'036'000'000'000);
  EXPECT_FALSE(TimestampToNs(9'223'372'037, 1'000'000'000, &ns));
  EXPECT_FALSE(TimestampToNs(INT64_MIN, 1, &ns));
  EXPECT_FALSE(TimestampToNs(INT64_MAX, 1, &ns));
  EXPECT_TRUE(TimestampToNs(INT64_MAX - 1, 1, &ns));
}

}  // namespace
}  // namespace zhizao::connect::lineproto::internal
