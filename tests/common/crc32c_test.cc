#include "common/crc32c.h"

#include <gtest/gtest.h>

#include <string>

namespace zhizao::crc32c {
namespace {

TEST(Crc32cTest, MatchesRfc3720Vectors) {
  std::string zeros(32, '\0');
  EXPECT_EQ(Value(zeros), 0x8a9136aau);
  std::string ones(32, '\xff');
  EXPECT_EQ(Value(ones), 0x62a8ab43u);
  std::string ascending;
  for (int i = 0; i < 32; ++i) ascending += static_cast<char>(i);
  EXPECT_EQ(Value(ascending), 0x46dd794eu);
  EXPECT_EQ(Value(std::string_view("123456789")), 0xe3069283u);
}

TEST(Crc32cTest, ExtendEqualsWholeValue) {
  std::string data = "the quick brown fox jumps over the lazy dog, twice over";
  for (size_t split = 0; split <= data.size(); ++split) {
    uint32_t crc = Extend(Value(data.data(), split), data.data() + split, data.size() - split);
    EXPECT_EQ(crc, Value(data)) << split;
  }
}

}  // namespace
}  // namespace zhizao::crc32c
