#include "storage/encoding/bits.h"

#include <gtest/gtest.h>

#include <random>

namespace zhizao::storage::encoding {
namespace {

TEST(BitsTest, VarintRoundTripsEdgeValuesAndRejectsOverlongOnes) {
  std::string s;
  const uint64_t values[] = {0, 1, 127, 128, 16383, 16384, UINT32_MAX, UINT64_MAX};
  for (uint64_t v : values) PutVarint(&s, v);
  ByteReader in(s);
  for (uint64_t v : values) {
    uint64_t got = 0;
    ASSERT_TRUE(in.GetVarint(&got));
    EXPECT_EQ(got, v);
  }
  EXPECT_EQ(in.remaining(), 0u);
  std::string overlong(10, '\xff');
  overlong.push_back(1);
  uint64_t v = 0;
  EXPECT_FALSE(ByteReader(overlong).GetVarint(&v));
  EXPECT_FALSE(ByteReader(std::string_view("\x80", 1)).GetVarint(&v));
}

TEST(BitsTest, ZigZagCoversInt64Extremes) {
  for (int64_t v : {int64_t{0}, int64_t{-1}, int64_t{1}, INT64_MIN, INT64_MAX}) EXPECT_EQ(UnZigZag(ZigZag(v)), v);
}

TEST(BitsTest, BitStreamRoundTripsEveryWidth) {
  std::mt19937_64 rng(7);
  std::vector<std::pair<uint64_t, int>> written;
  std::string s;
  BitWriter w(&s);
  for (int i = 0; i < 2000; ++i) {
    int bits = static_cast<int>(rng() % 65);
    uint64_t v = bits == 0 ? 0 : rng() >> (64 - bits);
    w.Put(v, bits);
    written.emplace_back(v, bits);
  }
  w.Flush();
  BitReader r(s);
  for (auto [v, bits] : written) ASSERT_EQ(r.Get(bits), v);
  EXPECT_FALSE(r.overrun());
  r.Get(64);
  r.Get(64);
  EXPECT_TRUE(r.overrun());
}

}  // namespace
}  // namespace zhizao::storage::encoding
