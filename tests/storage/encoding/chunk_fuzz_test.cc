// Runs the fuzz body under any compiler: random bytes, and valid chunks and block chains
// with random mutations (where the codecs, not the checksum, must catch the damage).
#include <gtest/gtest.h>

#include <random>
#include <thread>

#include "chunk_fuzz_body.h"
#include "common/crc32c.h"
#include "storage/encoding/bits.h"
#include "storage/encoding/chunk.h"
#include "test_samples.h"

namespace zhizao::storage {
namespace {

std::string Mutate(std::string s, std::mt19937_64& rng) {
  int edits = 1 + static_cast<int>(rng() % 4);
  for (int e = 0; e < edits && !s.empty(); ++e) {
    size_t at = rng() % s.size();
    switch (rng() % 4) {
      case 0: s[at] = static_cast<char>(s[at] ^ (1 << (rng() % 8))); break;
      case 1: s[at] = static_cast<char>(rng()); break;
      case 2: s.resize(at); break;
      default: s.insert(at, 1, static_cast<char>(rng())); break;
    }
  }
  return s;
}

void Fuzz(const std::string& s) { FuzzChunkDecode(reinterpret_cast<const uint8_t*>(s.data()), s.size()); }

TEST(ChunkFuzzTest, RandomBytesNeverCrash) {
  std::mt19937_64 rng(1);
  for (int i = 0; i < 5000; ++i) {
    std::string s(rng() % 300, '\0');
    for (char& c : s) c = static_cast<char>(rng());
    Fuzz(s);
  }
}

// Inputs the fuzzer once found crashing, kept so the fix stays under the sanitizers.
TEST(ChunkFuzzTest, FoundCrashesStayFixed) {
  // A Rice escape at the very end of a block read 4 bytes past the decoder's padding.
  const unsigned char rice_escape_at_end[] = {
      0x15, 0xcc, 0x00, 0x01, 0x00, 0x20, 0x36, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0xf0, 0xf0, 0xf0, 0xf0,
      0xf0, 0xf5, 0x0f, 0x0f, 0xff, 0xff, 0x00, 0x00, 0x00, 0x00, 0xff, 0x5d, 0x45, 0x00, 0x08, 0x08, 0x90, 0x90, 0x03};
  // A fresh thread has a fresh decoder buffer, sized to this input, so ASan sees an overread.
  std::thread([&] { FuzzChunkDecode(rice_escape_at_end, sizeof(rice_escape_at_end)); }).join();
}

TEST(ChunkFuzzTest, MutatedChunksAndBlocksNeverCrash) {
  std::mt19937_64 rng(2);
  std::vector<std::string> seeds;
  std::vector<int64_t> ts = {0, 1, 2, 10, 11, 12, 13, 1000};
  seeds.push_back(Encode(Floats(ts, {1.5, 1.25, -0.0, 2.75, 1e300, 3.5, 3.5, 3.5}), {.block_samples = 3}));
  seeds.push_back(Encode(Ints(DataType::kInt64, ts, {INT64_MIN, 5, 6, 7, 8, 9, 10, INT64_MAX}), {.block_samples = 4}));
  seeds.push_back(Encode(Ints(DataType::kBool, ts, {0, 1, 1, 1, 0, 0, 0, 1})));
  for (const std::string& chunk : std::vector<std::string>(seeds)) {
    auto h = ReadChunkHeader(chunk);
    ASSERT_TRUE(h.ok());
    seeds.push_back(chunk.substr(h->header_bytes, chunk.size() - 4 - h->header_bytes));  // bare blocks
  }
  for (int i = 0; i < 20000; ++i) Fuzz(Mutate(seeds[rng() % seeds.size()], rng));
}

// With the checksum recomputed, mutations of the header and the summary reach their parsers.
TEST(ChunkFuzzTest, MutatedChunksWithAValidChecksumNeverCrash) {
  std::mt19937_64 rng(3);
  std::vector<int64_t> ts = {0, 1, 2, 10, 11, 12, 13, 1000};
  const std::vector<std::string> seeds = {
      Encode(Floats(ts, {1.5, 1.25, -0.0, 2.75, 1e300, 3.5, 3.5, 3.5}, {0, 0, 0x40000000, 0, 0x80000000, 0, 0, 0}),
             {.min_summary_samples = 1}),
      Encode(Ints(DataType::kInt64, ts, {INT64_MIN, 5, 6, 7, 8, 9, 10, INT64_MAX}),
             {.block_samples = 4, .min_summary_samples = 1})};
  for (int i = 0; i < 20000; ++i) {
    const std::string& seed = seeds[rng() % seeds.size()];
    std::string body = Mutate(seed.substr(0, seed.size() - 4), rng);
    encoding::PutFixed32(&body, crc32c::Value(body));
    Fuzz(body);
  }
}

}  // namespace
}  // namespace zhizao::storage
