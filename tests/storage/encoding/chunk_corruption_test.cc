// Every change to a sealed chunk must be reported as Corruption, never decoded silently.
#include <gtest/gtest.h>

#include "storage/encoding/chunk.h"
#include "test_samples.h"

namespace zhizao::storage {
namespace {

std::string SmallChunk() {
  SeriesSamples s = Floats(Regular(40), {}, {});
  for (size_t i = 0; i < 40; ++i) s.f64.push_back(20.0 + static_cast<double>(i % 9) * 0.25);
  s.f64[7] = -0.0;  // one XOR block among decimal blocks
  s.status[30] = status_codes::kBad;
  return Encode(s, {.block_samples = 16});
}

TEST(ChunkCorruptionTest, DetectsEverySingleBitFlip) {
  const std::string chunk = SmallChunk();
  for (size_t bit = 0; bit < chunk.size() * 8; ++bit) {
    std::string bad = chunk;
    bad[bit / 8] = static_cast<char>(bad[bit / 8] ^ (1 << (bit % 8)));
    SeriesSamples out;
    Status s = DecodeChunk(bad, &out);
    ASSERT_EQ(s.code(), StatusCode::kCorruption) << "bit " << bit;
    EXPECT_EQ(ReadChunkHeader(bad).status().code(), StatusCode::kCorruption) << "bit " << bit;
  }
}

TEST(ChunkCorruptionTest, DetectsTruncationAtEveryLength) {
  const std::string chunk = SmallChunk();
  for (size_t len = 0; len < chunk.size(); ++len) {
    SeriesSamples out;
    ASSERT_EQ(DecodeChunk(std::string_view(chunk).substr(0, len), &out).code(), StatusCode::kCorruption) << len;
  }
}

TEST(ChunkCorruptionTest, ReportsChecksumAndUnknownVersion) {
  std::string chunk = SmallChunk();
  chunk[chunk.size() / 2] ^= 1;
  SeriesSamples out;
  EXPECT_NE(DecodeChunk(chunk, &out).message().find("checksum"), std::string::npos);
  EXPECT_EQ(out.size(), 0u);
}

TEST(ChunkCorruptionTest, UnsealedBlocksReportTheOffsetOfATruncatedBlock) {
  SeriesSamples s = Floats(Regular(64), std::vector<double>(64, 3.25));
  ChunkBuilder b(DataType::kFloat64, {.block_samples = 16});
  b.Append(s, 0, s.size());
  std::string blocks(b.blocks());
  blocks.resize(blocks.size() - 1);
  ChunkIterator it = ChunkIterator::OverBlocks(DataType::kFloat64, b.first_ts(), blocks);
  SeriesSamples out;
  Status last;
  while (!it.done() && last.ok()) last = it.Next(&out);
  EXPECT_EQ(last.code(), StatusCode::kCorruption);
  EXPECT_NE(last.message().find("offset"), std::string::npos) << last.ToString();
}

}  // namespace
}  // namespace zhizao::storage
