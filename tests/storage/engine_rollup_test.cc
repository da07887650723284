// Engine::ReadRollups and the rollups ChunkStore keeps beside chunks: which buckets a read
// hands over, that they and the samples it returns are exactly what Read returns, and that
// rollups follow their chunks through damage, deletion, restart and WAL replay.
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmath>
#include <filesystem>

#include "storage/engine.h"
#include "storage/internal/chunk_store.h"

namespace zhizao::storage {
namespace {

constexpr int64_t kSecond = 1'000'000'000;
constexpr int64_t kStart = int64_t{1'795'867'200} * kSecond;  // 2026-11-28T12:00:00Z, a whole minute
constexpr TagId kTag = 5;

class EngineRollupTest : public ::testing::Test {
 protected:
  EngineRollupTest() : clock_(kStart + 86400 * kSecond) {
    static int counter = 0;
    dir_ = std::filesystem::temp_directory_path() /
           ("zz-engine-rollup-" + std::to_string(::getpid()) + "-" + std::to_string(counter++));
  }
  ~EngineRollupTest() override { std::filesystem::remove_all(dir_); }

  std::unique_ptr<Engine> Open(FsyncPolicy fsync = FsyncPolicy::kNone) {
    EngineOptions options{.dir = dir_.string(), .fsync = fsync, .chunk_max_samples = 1200,
                          .chunk_max_span_ns = 1200 * kSecond, .clock = &clock_,
                          .metrics = &metrics_};
    auto engine = Engine::Open(options);
    EXPECT_TRUE(engine.ok()) << engine.status().ToString();
    return engine.ok() ? std::move(engine).value() : nullptr;
  }

  // Seconds [from, to) of kTag at 1 s, noisy enough that each chunk's rollup fits its budget
  // (a quarter of the chunk).
  static Batch Seconds(int from, int to) {
    Batch b;
    for (int s = from; s < to; ++s) b.AddFloat64(kTag, kStart + s * kSecond, 20 + ((s * 7919) % 100003) * 0.001);
    return b;
  }

  std::filesystem::path dir_;
  ManualClock clock_;
  MetricsRegistry metrics_;
};

struct RollupRead {
  SeriesSamples samples;
  std::vector<RollupBucket> buckets;
};

RollupRead ReadWithRollups(const Engine& engine, int64_t from, int64_t to) {
  RollupRead r;
  std::vector<SummarizedChunk> summaries;
  Status s = engine.ReadRollups(
      kTag, from, to, [](int64_t, int64_t, const ChunkSummary&) { return false; },
      [](std::span<const RollupBucket>) { return true; }, &r.samples, &summaries, &r.buckets);
  EXPECT_TRUE(s.ok()) << s.ToString();
  EXPECT_TRUE(summaries.empty());
  return r;
}

// The samples of a read with rollups plus its buckets are exactly Read's samples: each sample
// of Read is either returned or in a bucket whose statistics it makes up.
void ExpectSameAsRead(const Engine& engine, int64_t from, int64_t to, const RollupRead& r) {
  SeriesSamples all;
  ASSERT_TRUE(engine.Read(kTag, from, to, &all).ok());
  size_t k = 0, b = 0;
  for (size_t i = 0; i < all.size();) {
    if (b < r.buckets.size() && all.ts_ns[i] >= r.buckets[b].start_ns) {
      const RollupBucket& bucket = r.buckets[b++];
      RollupBucket want{.start_ns = bucket.start_ns};
      for (; i < all.size() && all.ts_ns[i] < bucket.start_ns + kRollupBucketNs; ++i) {
        if (want.samples++ == 0) want.first = want.min = want.max = all.f64[i], want.first_ts = all.ts_ns[i];
        want.min = std::min(want.min, all.f64[i]);
        want.max = std::max(want.max, all.f64[i]);
        want.last = all.f64[i], want.last_ts = all.ts_ns[i];
        want.sum += all.f64[i];
      }
      ASSERT_GE(bucket.start_ns, from);
      ASSERT_LE(bucket.start_ns + kRollupBucketNs - 1, to);
      EXPECT_EQ(want.samples, bucket.samples);
      EXPECT_EQ(want.samples, bucket.count);
      EXPECT_EQ(want.first, bucket.first);
      EXPECT_EQ(want.last_ts, bucket.last_ts);
      EXPECT_EQ(want.min, bucket.min);
      EXPECT_EQ(want.max, bucket.max);
      EXPECT_NEAR(want.sum, bucket.sum, 1e-9 * std::abs(want.sum));
      continue;
    }
    ASSERT_LT(k, r.samples.size()) << "sample at " << all.ts_ns[i] << " is neither returned nor in a bucket";
    ASSERT_EQ(all.ts_ns[i], r.samples.ts_ns[k]);
    ASSERT_EQ(all.f64[i], r.samples.f64[k]);
    ++i, ++k;
  }
  EXPECT_EQ(k, r.samples.size());
  EXPECT_EQ(b, r.buckets.size());
}

TEST_F(EngineRollupTest, TakesWholeBucketsOfStoredChunksAndReadsCutBucketsAsSamples) {
  auto engine = Open();
  ASSERT_TRUE(engine->Append(Seconds(0, 3600)).ok());
  ASSERT_TRUE(engine->Flush().ok());
  const int64_t from = kStart + 30 * kSecond, to = kStart + 3029 * kSecond;
  const RollupRead r = ReadWithRollups(*engine, from, to);
  // Minutes 1 to 49 whole; 30 s before and after come from samples.
  ASSERT_EQ(r.buckets.size(), 49u);
  EXPECT_EQ(r.buckets.front().start_ns, kStart + 60 * kSecond);
  EXPECT_EQ(r.samples.size(), 60u);
  ExpectSameAsRead(*engine, from, to, r);
}

TEST_F(EngineRollupTest, HeadAndOverlappedChunksAreReadAsSamples) {
  auto engine = Open();
  ASSERT_TRUE(engine->Append(Seconds(0, 1800)).ok());
  ASSERT_TRUE(engine->Flush().ok());
  // A late rewrite lands in the first stored chunk (seconds 0-1199), and new samples stay in
  // the head: neither is read from a rollup, whichever chunks the late sample overlaps.
  Batch late;
  late.AddFloat64(kTag, kStart + 700 * kSecond, -1);
  ASSERT_TRUE(engine->Append(late).ok());
  ASSERT_TRUE(engine->Append(Seconds(1800, 1900)).ok());
  const RollupRead r = ReadWithRollups(*engine, kStart, kStart + 1900 * kSecond);
  for (const RollupBucket& b : r.buckets) {
    EXPECT_TRUE(b.start_ns >= kStart + 1200 * kSecond && b.start_ns < kStart + 1800 * kSecond);
  }
  ExpectSameAsRead(*engine, kStart, kStart + 1900 * kSecond, r);
}

TEST_F(EngineRollupTest, DamagedRollupIsDetectedAndItsChunkDecoded) {
  auto engine = Open();
  ASSERT_TRUE(engine->Append(Seconds(0, 3600)).ok());
  ASSERT_TRUE(engine->Close().ok());
  engine.reset();
  {
    auto store = ChunkStore::Open((dir_ / "chunks").string());
    ASSERT_TRUE(store.ok());
    std::vector<std::pair<ChunkId, std::string>> rollups;
    ASSERT_TRUE((*store)->ScanRollups(kTag, INT64_MIN, INT64_MAX, [&](int64_t first, uint64_t seq, std::string_view b) {
      rollups.push_back({{kTag, first, seq}, std::string(b)});
      return true;
    }).ok());
    ASSERT_EQ(rollups.size(), 3u);
    std::string damaged = rollups[1].second;
    damaged[damaged.size() / 2] ^= 0x04;
    ASSERT_TRUE((*store)->PutRollupForTest(rollups[1].first, damaged).ok());
  }
  engine = Open();
  const RollupRead r = ReadWithRollups(*engine, kStart, kStart + 3600 * kSecond - 1);
  EXPECT_EQ(r.buckets.size(), 40u) << "the first and third chunks";
  EXPECT_EQ(r.samples.size(), 1200u) << "the second chunk, decoded";
  ExpectSameAsRead(*engine, kStart, kStart + 3600 * kSecond - 1, r);
}

TEST_F(EngineRollupTest, DeleteBeforeRemovesRollupsWithTheirChunks) {
  auto engine = Open();
  ASSERT_TRUE(engine->Append(Seconds(0, 6000)).ok());
  ASSERT_TRUE(engine->Flush().ok());
  ASSERT_TRUE(engine->DeleteBefore(kTag, kStart + 2500 * kSecond).ok());
  ASSERT_TRUE(engine->Close().ok());
  engine.reset();
  auto store = ChunkStore::Open((dir_ / "chunks").string());
  ASSERT_TRUE(store.ok());
  std::vector<int64_t> chunks, rollups;
  ASSERT_TRUE((*store)->Scan(kTag, INT64_MIN, INT64_MAX, [&](int64_t first, uint64_t, std::string_view) {
    chunks.push_back(first);
    return true;
  }).ok());
  ASSERT_TRUE((*store)->ScanRollups(kTag, INT64_MIN, INT64_MAX, [&](int64_t first, uint64_t, std::string_view) {
    rollups.push_back(first);
    return true;
  }).ok());
  EXPECT_EQ(chunks, (std::vector<int64_t>{kStart + 2400 * kSecond, kStart + 3600 * kSecond, kStart + 4800 * kSecond}));
  EXPECT_EQ(rollups, chunks);
}

TEST_F(EngineRollupTest, ChunksRebuiltByWalReplayGetRollupsThatSurviveRestart) {
  // A child process appends and exits without closing the engine, as a killed process would.
  pid_t child = fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    auto engine = Open(FsyncPolicy::kAlways);
    bool ok = engine && engine->Append(Seconds(0, 2400)).ok();
    _exit(ok ? 0 : 1);
  }
  int status = 0;
  ASSERT_EQ(waitpid(child, &status, 0), child);
  ASSERT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0);
  auto engine = Open();
  ASSERT_TRUE(engine->Flush().ok());
  const RollupRead replayed = ReadWithRollups(*engine, kStart, kStart + 2400 * kSecond - 1);
  EXPECT_EQ(replayed.buckets.size(), 40u);
  ASSERT_TRUE(engine->Close().ok());
  engine.reset();
  engine = Open();
  const RollupRead reopened = ReadWithRollups(*engine, kStart, kStart + 2400 * kSecond - 1);
  EXPECT_EQ(reopened.buckets.size(), 40u);
  EXPECT_TRUE(reopened.samples.size() == 0);
  ExpectSameAsRead(*engine, kStart, kStart + 2400 * kSecond - 1, reopened);
}

}  // namespace
}  // namespace zhizao::storage
