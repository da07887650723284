// Engine::ReadSummarized: which chunks it hands over as summaries, and that the samples it
// returns plus the summarized chunks are exactly what Read returns.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>

#include "storage/encoding/chunk.h"
#include "storage/engine.h"
#include "storage/internal/chunk_store.h"

namespace zhizao::storage {
namespace {

constexpr int64_t kSecond = 1'000'000'000;
constexpr int64_t kStart = int64_t{1'795'867'200} * kSecond;  // 2026-11-28T12:00:00Z
constexpr TagId kTag = 3;

class EngineSummaryTest : public ::testing::Test {
 protected:
  EngineSummaryTest() : clock_(kStart + 86400 * kSecond) {
    static int counter = 0;
    dir_ = std::filesystem::temp_directory_path() /
           ("zz-engine-summary-" + std::to_string(::getpid()) + "-" + std::to_string(counter++));
  }
  ~EngineSummaryTest() override { std::filesystem::remove_all(dir_); }

  std::unique_ptr<Engine> Open() {
    EngineOptions options{.dir = dir_.string(), .fsync = FsyncPolicy::kNone, .chunk_max_samples = 100,
                          .chunk_summary_min_samples = 50, .clock = &clock_, .metrics = &metrics_};
    auto engine = Engine::Open(options);
    EXPECT_TRUE(engine.ok()) << engine.status().ToString();
    return engine.ok() ? std::move(engine).value() : nullptr;
  }

  // Seconds [from, to) of kTag, value = second + offset.
  static void Write(Engine& engine, int from, int to, double offset = 0) {
    Batch b;
    for (int s = from; s < to; ++s) b.AddFloat64(kTag, kStart + s * kSecond, s + offset);
    ASSERT_TRUE(engine.Append(b).ok());
  }

  struct Split {
    SeriesSamples samples;
    std::vector<SummarizedChunk> summaries;
  };
  static Split ReadSplit(const Engine& engine, int64_t from, int64_t to) {
    Split split;
    Status s = engine.ReadSummarized(kTag, from, to, [](int64_t, int64_t, const ChunkSummary&) { return true; },
                                     &split.samples, &split.summaries);
    EXPECT_TRUE(s.ok()) << s.ToString();
    return split;
  }

  // The samples and summaries of a split together are exactly Read's samples.
  static void ExpectSameAsRead(const Engine& engine, const Split& split, int64_t from, int64_t to) {
    SeriesSamples all;
    ASSERT_TRUE(engine.Read(kTag, from, to, &all).ok());
    size_t at = 0, in_samples = 0;
    for (const SummarizedChunk& c : split.summaries) {
      double sum = 0;
      uint32_t n = 0;
      for (; at < all.size() && all.ts_ns[at] <= c.last_ts; ++at) {
        if (all.ts_ns[at] < c.first_ts) {
          ASSERT_LT(in_samples, split.samples.size());
          EXPECT_EQ(split.samples.ts_ns[in_samples], all.ts_ns[at]);
          EXPECT_EQ(split.samples.f64[in_samples++], all.f64[at]);
          continue;
        }
        sum += all.f64[at];
        ++n;
      }
      EXPECT_EQ(c.summary.samples, n) << "a summarized chunk stands for exactly Read's samples in its range";
      EXPECT_DOUBLE_EQ(c.summary.sum, sum);
    }
    for (; at < all.size(); ++at) {
      ASSERT_LT(in_samples, split.samples.size());
      EXPECT_EQ(split.samples.ts_ns[in_samples++], all.ts_ns[at]);
    }
    EXPECT_EQ(in_samples, split.samples.size());
  }

  std::filesystem::path dir_;
  ManualClock clock_;
  MetricsRegistry metrics_;
};

TEST_F(EngineSummaryTest, HandsOverChunksInsideTheRangeAndDecodesTheEdges) {
  auto engine = Open();
  Write(*engine, 0, 1000);
  ASSERT_TRUE(engine->Flush().ok());
  const int64_t from = kStart + 150 * kSecond, to = kStart + 849 * kSecond;
  Split split = ReadSplit(*engine, from, to);
  // Chunks of 100 samples: [200, 300) .. [700, 800) lie inside, [100, 200) and [800, 900) do not.
  ASSERT_EQ(split.summaries.size(), 6u);
  EXPECT_EQ(split.summaries.front().first_ts, kStart + 200 * kSecond);
  EXPECT_EQ(split.summaries.back().last_ts, kStart + 799 * kSecond);
  EXPECT_EQ(split.samples.size(), 100u);
  ExpectSameAsRead(*engine, split, from, to);
}

TEST_F(EngineSummaryTest, TheFilterDecidesAndTheHeadIsNeverSummarized) {
  auto engine = Open();
  Write(*engine, 0, 450);  // chunks up to 400 sealed (pending, not yet in RocksDB), 50 in the head
  Split split;
  ASSERT_TRUE(engine->ReadSummarized(kTag, kStart, kStart + 1000 * kSecond,
                                     [](int64_t first, int64_t, const ChunkSummary&) { return first != kStart; },
                                     &split.samples, &split.summaries).ok());
  EXPECT_EQ(split.summaries.size(), 3u) << "the first chunk was refused, the head has none";
  EXPECT_EQ(split.samples.size(), 150u);
  ExpectSameAsRead(*engine, ReadSplit(*engine, kStart, kStart + 1000 * kSecond), kStart, kStart + 1000 * kSecond);
}

TEST_F(EngineSummaryTest, ChunksThatALateWriteOverlapsAreDecodedUntilACheckpointMergesThem) {
  auto engine = Open();
  Write(*engine, 0, 500);
  ASSERT_TRUE(engine->Flush().ok());
  Write(*engine, 250, 251, 1000);  // rewrites one sample of the chunk [200, 300); the flush merges them
  ASSERT_TRUE(engine->Flush().ok());
  Write(*engine, 420, 425, 2000);  // and five of [400, 500), left in the head's out-of-order buffer
  const int64_t from = kStart, to = kStart + 600 * kSecond;
  Split split = ReadSplit(*engine, from, to);
  ASSERT_EQ(split.summaries.size(), 4u);
  for (const SummarizedChunk& c : split.summaries) EXPECT_NE(c.first_ts, kStart + 400 * kSecond);
  ExpectSameAsRead(*engine, split, from, to);
  SeriesSamples all;
  ASSERT_TRUE(engine->Read(kTag, kStart + 250 * kSecond, kStart + 250 * kSecond, &all).ok());
  ASSERT_EQ(all.size(), 1u);
  EXPECT_EQ(all.f64[0], 1250);
}

TEST_F(EngineSummaryTest, ChunksOfFormat1AreDecoded) {
  {
    std::filesystem::create_directories(dir_);
    auto store = ChunkStore::Open((dir_ / "chunks").string());
    ASSERT_TRUE(store.ok()) << store.status().ToString();
    std::vector<StoredChunk> chunks;
    for (int c = 0; c < 3; ++c) {
      SeriesSamples s;
      for (int i = 0; i < 100; ++i) {
        s.ts_ns.push_back(kStart + (c * 100 + i) * kSecond);
        s.status.push_back(0);
        s.f64.push_back(c * 100 + i);
      }
      ChunkBuilder b(DataType::kFloat64, {.min_summary_samples = 1});
      b.Append(s, 0, s.size());
      chunks.push_back({kTag, s.ts_ns[0], static_cast<uint64_t>(c + 1),
                        c == 1 ? b.Finish() : b.FinishInFormat1ForTest()});
    }
    ASSERT_TRUE((*store)->Write(chunks).ok());
  }
  auto engine = Open();
  Split split = ReadSplit(*engine, kStart, kStart + 1000 * kSecond);
  ASSERT_EQ(split.summaries.size(), 1u) << "only the format 2 chunk carries a summary";
  EXPECT_EQ(split.summaries[0].first_ts, kStart + 100 * kSecond);
  EXPECT_EQ(split.samples.size(), 200u);
  ExpectSameAsRead(*engine, split, kStart, kStart + 1000 * kSecond);
}

}  // namespace
}  // namespace zhizao::storage
