#include "api/gzip.h"

#include <gtest/gtest.h>
#include <zlib.h>

namespace zhizao::api {
namespace {

std::string Gzip(const std::string& data) {
  z_stream s{};
  EXPECT_EQ(deflateInit2(&s, Z_BEST_COMPRESSION, Z_DEFLATED, 16 + MAX_WBITS, 8, Z_DEFAULT_STRATEGY), Z_OK);
  std::string out(deflateBound(&s, data.size()) + 32, '\0');
  s.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
  s.avail_in = static_cast<uInt>(data.size());
  s.next_out = reinterpret_cast<Bytef*>(out.data());
  s.avail_out = static_cast<uInt>(out.size());
  EXPECT_EQ(deflate(&s, Z_FINISH), Z_STREAM_END);
  out.resize(s.total_out);
  deflateEnd(&s);
  return out;
}

TEST(GunzipTest, RoundTripsBodiesOfEverySize) {
  for (size_t n : {0u, 1u, 1000u, 1u << 20}) {
    std::string data;
    for (size_t i = 0; i < n; ++i) data += static_cast<char>('a' + (i * 7919) % 26);
    Result<std::string> out = Gunzip(Gzip(data), 2u << 20);
    ASSERT_TRUE(out.ok()) << out.status().ToString();
    EXPECT_EQ(*out, data);
  }
}

TEST(GunzipTest, StopsABombAtTheLimit) {
  std::string zeros(64u << 20, '\0');  // 64 MiB of zeros compress to about 64 KiB
  std::string bomb = Gzip(zeros);
  ASSERT_LT(bomb.size(), 100u << 10);
  Result<std::string> out = Gunzip(bomb, 1u << 20);
  EXPECT_EQ(out.status().code(), StatusCode::kResourceExhausted);
  EXPECT_EQ(out.status().message(), "the decompressed body is larger than 1048576 bytes");
}

TEST(GunzipTest, RefusesDataThatIsNotGzipOrIsCutShort) {
  EXPECT_EQ(Gunzip("plain text, not gzip", 1024).status().code(), StatusCode::kInvalidArgument);
  std::string whole = Gzip(std::string(10000, 'x'));
  Result<std::string> cut = Gunzip(whole.substr(0, whole.size() / 2), 1u << 20);
  EXPECT_EQ(cut.status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(cut.status().message(), "the gzip body is cut short");
}

}  // namespace
}  // namespace zhizao::api
