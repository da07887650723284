// Checkpoints rewrite overlapping chunks (late samples) as chunks that do not overlap, keeping
// exactly what a read would have returned (internal/overlap_merge.h).
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <map>

#include "storage/encoding/chunk.h"
#include "storage/engine.h"
#include "storage/internal/chunk_store.h"

namespace zhizao::storage {
namespace {

constexpr int64_t kSecond = 1'000'000'000;
constexpr int64_t kStart = int64_t{1'795'867'200} * kSecond;  // 2026-11-28T12:00:00Z
constexpr TagId kTag = 3;

struct ChunkSpan {
  int64_t first_ts;
  int64_t last_ts;
  uint64_t seq;
};

class OverlapMergeTest : public ::testing::Test {
 protected:
  OverlapMergeTest() : clock_(kStart + 86400 * kSecond) {
    dir_ = std::filesystem::temp_directory_path() / ("zz-overlap-merge-" + std::to_string(::getpid()) + "-" +
                                                     ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(dir_);
  }
  ~OverlapMergeTest() override { std::filesystem::remove_all(dir_); }

  std::unique_ptr<Engine> Open() {
    EngineOptions options{.dir = dir_.string(), .fsync = FsyncPolicy::kNone, .chunk_summary_min_samples = 16,
                          .clock = &clock_, .metrics = &metrics_};
    auto engine = Engine::Open(options);
    EXPECT_TRUE(engine.ok()) << engine.status().ToString();
    return engine.ok() ? std::move(engine).value() : nullptr;
  }

  // Seconds [from, to) with value second + offset.
  void Write(Engine& engine, int from, int to, double offset) {
    Batch b;
    for (int s = from; s < to; ++s) {
      b.AddFloat64(kTag, kStart + s * kSecond, s + offset, 0);
      expected_[kStart + s * kSecond] = s + offset;
    }
    ASSERT_TRUE(engine.Append(b).ok());
  }

  // The stored chunks of kTag, in key order. REQUIRES: the engine is closed.
  std::vector<ChunkSpan> StoredChunks() {
    auto store = ChunkStore::Open((dir_ / "chunks").string());
    EXPECT_TRUE(store.ok()) << store.status().ToString();
    std::vector<ChunkSpan> chunks;
    if (!store.ok()) return chunks;
    EXPECT_TRUE((*store)
                    ->Scan(kTag, INT64_MIN, INT64_MAX,
                           [&](int64_t first_ts, uint64_t seq, std::string_view bytes) {
                             Result<ChunkHeader> h = ReadChunkHeader(bytes);
                             EXPECT_TRUE(h.ok());
                             chunks.push_back({first_ts, h.ok() ? h->last_ts : first_ts, seq});
                             return true;
                           })
                    .ok());
    return chunks;
  }

  void ExpectReadAsWritten(const Engine& engine) {
    SeriesSamples read;
    Status status = engine.Read(kTag, INT64_MIN / 2, INT64_MAX / 2, &read);
    ASSERT_TRUE(status.ok()) << status.ToString();
    ASSERT_EQ(read.size(), expected_.size());
    size_t i = 0;
    for (const auto& [ts, value] : expected_) {
      ASSERT_EQ(read.ts_ns[i], ts) << i;
      ASSERT_EQ(read.f64[i], value) << i;
      ++i;
    }
  }

  double Merged() { return metrics_.GetCounter("zhizao_storage_chunks_merged_total", "").value(); }

  std::filesystem::path dir_;
  ManualClock clock_;
  MetricsRegistry metrics_;
  std::map<int64_t, double> expected_;
};

bool Disjoint(const std::vector<ChunkSpan>& chunks) {
  for (size_t i = 1; i < chunks.size(); ++i) {
    if (chunks[i].first_ts <= chunks[i - 1].last_ts) return false;
  }
  return true;
}

TEST_F(OverlapMergeTest, LateSamplesAreMergedIntoTheChunkTheyWereLateFor) {
  auto engine = Open();
  ASSERT_NE(engine, nullptr);
  Write(*engine, 0, 1000, 0);
  ASSERT_TRUE(engine->Flush().ok());
  Write(*engine, 1000, 1500, 0);
  Write(*engine, 200, 300, 0.5);  // late: rewrites of stored seconds, and the open chunk is ahead
  ASSERT_TRUE(engine->Flush().ok());
  EXPECT_GE(Merged(), 2);  // the stored chunk and the late one
  ExpectReadAsWritten(*engine);
  // Every chunk now stands alone, so an aggregate may fold each one's summary.
  SeriesSamples rest;
  std::vector<SummarizedChunk> taken;
  ASSERT_TRUE(engine->ReadSummarized(kTag, INT64_MIN / 2, INT64_MAX / 2,
                                     [](int64_t, int64_t, const ChunkSummary&) { return true; }, &rest, &taken)
                  .ok());
  EXPECT_EQ(rest.size(), 0u);
  uint64_t summarized = 0;
  for (const SummarizedChunk& c : taken) summarized += c.summary.samples;
  EXPECT_EQ(summarized, 1500u);
  ASSERT_TRUE(engine->Close().ok());
  engine.reset();
  std::vector<ChunkSpan> chunks = StoredChunks();
  EXPECT_TRUE(Disjoint(chunks));
  // Reopened, the merged chunks read back the same.
  engine = Open();
  ASSERT_NE(engine, nullptr);
  ExpectReadAsWritten(*engine);
}

TEST_F(OverlapMergeTest, AClusterTakesInEveryStoredChunkItReaches) {
  auto engine = Open();
  ASSERT_NE(engine, nullptr);
  Write(*engine, 0, 1000, 0);
  ASSERT_TRUE(engine->Flush().ok());
  engine.reset();
  // After a restart the head knows nothing older, so a backfill over stored seconds is written
  // as in order: it is stored overlapping [0, 1000) without being merged.
  engine = Open();
  ASSERT_NE(engine, nullptr);
  Write(*engine, 900, 2000, 0.25);
  ASSERT_TRUE(engine->Flush().ok());
  EXPECT_EQ(Merged(), 0);
  Write(*engine, 2000, 3000, 0);
  Write(*engine, 100, 111, 0.75);  // late: overlaps [0, 1000), which overlaps [900, 2000)
  ASSERT_TRUE(engine->Flush().ok());
  EXPECT_EQ(Merged(), 3);
  ExpectReadAsWritten(*engine);
  ASSERT_TRUE(engine->Close().ok());
  engine.reset();
  std::vector<ChunkSpan> chunks = StoredChunks();
  EXPECT_TRUE(Disjoint(chunks));
  engine = Open();
  ASSERT_NE(engine, nullptr);
  ExpectReadAsWritten(*engine);
}

TEST_F(OverlapMergeTest, InOrderWritesAreNotRewritten) {
  auto engine = Open();
  ASSERT_NE(engine, nullptr);
  for (int k = 0; k < 5; ++k) {
    Write(*engine, k * 1000, (k + 1) * 1000, 0);
    ASSERT_TRUE(engine->Flush().ok());
  }
  EXPECT_EQ(Merged(), 0);
  ExpectReadAsWritten(*engine);
}

}  // namespace
}  // namespace zhizao::storage
