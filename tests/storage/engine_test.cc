#include "storage/engine.h"

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <map>
#include <random>

#include "storage/internal/chunk_store.h"
#include "wal/fault_fs.h"

namespace zhizao::storage {
namespace {

constexpr int64_t kSecond = 1'000'000'000;
constexpr int64_t kStart = int64_t{1'795'867'200} * kSecond;  // 2026-11-28T12:00:00Z

class EngineTest : public ::testing::Test {
 protected:
  EngineTest() : clock_(kStart + 3600 * kSecond) {
    static int counter = 0;
    dir_ = std::filesystem::temp_directory_path() /
           ("zz-engine-" + std::to_string(::getpid()) + "-" + std::to_string(counter++));
  }
  ~EngineTest() override { std::filesystem::remove_all(dir_); }

  std::unique_ptr<Engine> Open(FsyncPolicy fsync = FsyncPolicy::kNone, WalFileSystem* wal_fs = nullptr) {
    EngineOptions options;
    options.wal_fs = wal_fs;
    options.dir = dir_.string();
    options.fsync = fsync;
    options.clock = &clock_;
    options.metrics = &metrics_;
    options.chunk_max_samples = 500;
    auto engine = Engine::Open(options);
    EXPECT_TRUE(engine.ok()) << engine.status().ToString();
    return engine.ok() ? std::move(engine).value() : nullptr;
  }

  static SeriesSamples ReadAll(const Engine& engine, TagId tag) {
    SeriesSamples out;
    Status s = engine.Read(tag, INT64_MIN, INT64_MAX, &out);
    EXPECT_TRUE(s.ok()) << s.ToString();
    return out;
  }

  std::filesystem::path dir_;
  ManualClock clock_;
  MetricsRegistry metrics_;
};

Batch PlantBatch(int seconds, int tags, int64_t start = kStart) {
  Batch b;
  for (int t = 0; t < seconds; ++t) {
    for (int tag = 1; tag <= tags; ++tag) b.AddFloat64(static_cast<TagId>(tag), start + t * kSecond, tag * 100 + t * 0.01);
  }
  return b;
}

TEST_F(EngineTest, ReadsBackWhatWasAppended) {
  auto engine = Open();
  ASSERT_TRUE(engine->Append(PlantBatch(1200, 3)).ok());
  SeriesSamples s = ReadAll(*engine, 2);
  ASSERT_EQ(s.size(), 1200u);
  EXPECT_EQ(s.type, DataType::kFloat64);
  EXPECT_DOUBLE_EQ(s.f64[1000], 200 + 10.0);
  SeriesSamples window;
  ASSERT_TRUE(engine->Read(2, kStart + 10 * kSecond, kStart + 19 * kSecond, &window).ok());
  EXPECT_EQ(window.size(), 10u);
  EXPECT_EQ(window.ts_ns.front(), kStart + 10 * kSecond);
  auto last = engine->Last(3);
  ASSERT_TRUE(last.ok() && last->has_value());
  EXPECT_EQ((*last)->ts_ns, kStart + 1199 * kSecond);
  EXPECT_FALSE(engine->Last(99)->has_value());
  EXPECT_EQ(ReadAll(*engine, 99).size(), 0u);
  // A new series shows in /metrics at once, not only after the next checkpoint; so does the
  // memory its head holds, before and after a checkpoint (which keeps the buffers' capacity).
  EXPECT_EQ(metrics_.GetGauge("zhizao_storage_series", "").value(), 3.0);
  const double held = metrics_.GetGauge("zhizao_storage_head_bytes", "").value();
  EXPECT_EQ(held, static_cast<double>(engine->Stats().head_bytes));
  EXPECT_GT(held, 0);
  ASSERT_TRUE(engine->Flush().ok());
  ASSERT_TRUE(engine->Append(PlantBatch(10, 3)).ok());
  EXPECT_EQ(metrics_.GetGauge("zhizao_storage_head_bytes", "").value(), static_cast<double>(engine->Stats().head_bytes));
}

TEST_F(EngineTest, KeepsEveryTypeAndQuality) {
  auto engine = Open();
  Batch b;
  b.AddInt64(1, kStart, -5);
  b.AddBool(2, kStart, true);
  b.AddString(3, kStart, "运行 running");
  b.AddFloat64(4, kStart, std::numeric_limits<double>::quiet_NaN(), status_codes::kBadSensorFailure);
  b.AddFloat64(4, kStart + kSecond, -std::numeric_limits<double>::infinity());
  ASSERT_TRUE(engine->Append(b).ok());
  ASSERT_TRUE(engine->Flush().ok());
  engine.reset();
  engine = Open();
  EXPECT_EQ(ReadAll(*engine, 1).i64[0], -5);
  EXPECT_EQ(ReadAll(*engine, 2).i64[0], 1);
  EXPECT_EQ(ReadAll(*engine, 3).str[0], "运行 running");
  SeriesSamples f = ReadAll(*engine, 4);
  ASSERT_EQ(f.size(), 2u);
  EXPECT_TRUE(std::isnan(f.f64[0]));
  EXPECT_EQ(f.status[0], status_codes::kBadSensorFailure);
  EXPECT_TRUE(std::isinf(f.f64[1]));
  EXPECT_EQ((*engine->Last(3))->str, "运行 running");
}

TEST_F(EngineTest, ReplaysTheWalAfterAnUncleanStop) {
  // A child process appends and exits without closing the engine, as a killed process would.
  pid_t child = fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    auto engine = Open(FsyncPolicy::kAlways);
    bool ok = engine && engine->Append(PlantBatch(700, 2)).ok();
    _exit(ok ? 0 : 1);
  }
  int status = 0;
  ASSERT_EQ(waitpid(child, &status, 0), child);
  ASSERT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0);
  auto engine = Open();
  EXPECT_EQ(ReadAll(*engine, 1).size(), 700u);
  EXPECT_EQ(ReadAll(*engine, 2).size(), 700u);
}

TEST_F(EngineTest, FlushMovesEverythingToTheChunkStore) {
  auto engine = Open();
  ASSERT_TRUE(engine->Append(PlantBatch(1300, 4)).ok());
  ASSERT_TRUE(engine->Flush().ok());
  ASSERT_TRUE(engine->Append(PlantBatch(10, 4, kStart + 2000 * kSecond)).ok());
  ASSERT_TRUE(engine->Close().ok());
  engine.reset();
  engine = Open();
  SeriesSamples s = ReadAll(*engine, 4);
  ASSERT_EQ(s.size(), 1310u);
  for (size_t i = 1; i < s.size(); ++i) ASSERT_LT(s.ts_ns[i - 1], s.ts_ns[i]);
  EXPECT_EQ((*engine->Last(4))->ts_ns, kStart + 2009 * kSecond);
  EXPECT_GT(engine->Stats().chunks_written, 0u);
}

uintmax_t AllocatedBytes(const std::filesystem::path& dir, uintmax_t* apparent) {
  uintmax_t allocated = 0;
  *apparent = 0;
  for (const auto& entry : std::filesystem::recursive_directory_iterator(dir)) {
    struct stat st {};
    if (!entry.is_regular_file() || ::lstat(entry.path().c_str(), &st) != 0) continue;
    *apparent += static_cast<uintmax_t>(st.st_size);
    allocated += static_cast<uintmax_t>(st.st_blocks) * 512;
  }
  return allocated;
}

// What a user's `du` sees: no file may hold much more disk than bytes (RocksDB's default
// MANIFEST preallocation was 4 MiB for a few hundred bytes).
TEST_F(EngineTest, DiskHoldsLittleMoreThanTheStoredBytes) {
  auto engine = Open();
  ASSERT_TRUE(engine->Append(PlantBatch(1300, 4)).ok());
  ASSERT_TRUE(engine->Flush().ok());
  ASSERT_TRUE(engine->Compact().ok());
  uintmax_t apparent = 0;
  const uintmax_t allocated = AllocatedBytes(dir_, &apparent);
  // A few dozen files, each rounded up to a 4 KiB block, and nothing beyond.
  EXPECT_LT(allocated, apparent + (uintmax_t{512} << 10)) << "apparent " << apparent;
}

uintmax_t SstBytes(const std::filesystem::path& dir) {
  uintmax_t bytes = 0;
  for (const auto& entry : std::filesystem::directory_iterator(dir)) {
    if (entry.path().extension() == ".sst") bytes += entry.file_size();
  }
  return bytes;
}

// Short chunks have no rollup, and their writes delete the rollup key in case: Compact() must
// leave none of those tombstones behind (a lone file is otherwise moved down as it is, with
// them and uncompressed: 94 bytes per chunk here, against 12 once rewritten).
TEST_F(EngineTest, CompactDropsTheTombstonesOfShortChunks) {
  auto engine = Open();
  constexpr int kTags = 3000;
  ASSERT_TRUE(engine->Append(PlantBatch(3, kTags)).ok());
  ASSERT_TRUE(engine->Flush().ok());
  ASSERT_TRUE(engine->Compact().ok());
  const uintmax_t sst = SstBytes(dir_ / "chunks");
  EXPECT_LT(sst, uintmax_t{kTags} * 64) << sst / kTags << " bytes per chunk";
  EXPECT_EQ(ReadAll(*engine, kTags).size(), 3u);
}

TEST_F(EngineTest, RefusesWholeBatchesWithBadPoints) {
  auto engine = Open();
  Batch good;
  good.AddFloat64(1, kStart, 1.0);
  ASSERT_TRUE(engine->Append(good).ok());
  Batch wrong_type;
  wrong_type.AddFloat64(2, kStart, 2.0);
  wrong_type.AddInt64(1, kStart + kSecond, 3);
  Status s = engine->Append(wrong_type);
  EXPECT_EQ(s.code(), StatusCode::kInvalidArgument);
  EXPECT_NE(s.message().find("int64 value for a float64 series"), std::string::npos) << s.message();
  EXPECT_EQ(ReadAll(*engine, 2).size(), 0u);
  Batch future;
  future.AddFloat64(1, clock_.NowNs() + 2 * 86400 * kSecond, 1);
  EXPECT_NE(engine->Append(future).message().find("outside the accepted window"), std::string::npos);
  Batch zero;
  zero.AddFloat64(0, kStart, 1);
  EXPECT_EQ(engine->Append(zero).code(), StatusCode::kInvalidArgument);
}

TEST_F(EngineTest, OpenRefusesBadOptionsByName) {
  auto refusal = [&](auto change) {
    EngineOptions options;
    options.dir = dir_.string();
    options.metrics = &metrics_;
    change(options);
    auto engine = Engine::Open(options);
    EXPECT_FALSE(engine.ok());
    return engine.ok() ? std::string() : engine.status().message();
  };
  EXPECT_NE(refusal([](EngineOptions& o) { o.dir.clear(); }).find("no directory"), std::string::npos);
  EXPECT_NE(refusal([](EngineOptions& o) { o.chunk_max_samples = 0; }).find("chunk_max_samples"), std::string::npos);
  EXPECT_NE(refusal([](EngineOptions& o) { o.chunk_max_span_ns = 0; }).find("chunk_max_span_ns"), std::string::npos);
  EXPECT_NE(refusal([](EngineOptions& o) { o.fsync_interval_ms = -1; }).find("fsync_interval_ms"), std::string::npos);
  EXPECT_NE(refusal([](EngineOptions& o) { o.pending_write_bytes = 0; }).find("pending_write_bytes"), std::string::npos);
  EXPECT_NE(refusal([](EngineOptions& o) { o.pending_write_bytes = size_t{1} << 40; }).find("pending_write_bytes"),
            std::string::npos);
}

TEST_F(EngineTest, LastWriteWinsAcrossFlushesAndRestarts) {
  std::mt19937_64 rng(7);
  std::map<int64_t, int64_t> model;
  auto engine = Open();
  for (int round = 0; round < 40; ++round) {
    Batch b;
    for (int i = 0; i < 50; ++i) {
      int64_t ts = kStart + static_cast<int64_t>(rng() % 400) * kSecond;
      int64_t v = round * 1000 + i;
      b.AddInt64(5, ts, v);
      model[ts] = v;
    }
    ASSERT_TRUE(engine->Append(b).ok());
    if (round % 7 == 3) {
      ASSERT_TRUE(engine->Flush().ok());
    }
    if (round % 11 == 5) {
      engine.reset();
      engine = Open();
    }
  }
  SeriesSamples got = ReadAll(*engine, 5);
  ASSERT_EQ(got.size(), model.size());
  size_t i = 0;
  for (const auto& [ts, v] : model) {
    EXPECT_EQ(got.ts_ns[i], ts);
    EXPECT_EQ(got.i64[i], v) << "at " << ts;
    ++i;
  }
}

TEST_F(EngineTest, CorruptChunkIsReportedAndOtherSeriesStayReadable) {
  {
    auto engine = Open();
    ASSERT_TRUE(engine->Append(PlantBatch(600, 2)).ok());
    ASSERT_TRUE(engine->Close().ok());
  }
  {
    auto store = ChunkStore::Open((dir_ / "chunks").string());
    ASSERT_TRUE(store.ok());
    std::vector<StoredChunk> chunks;
    ASSERT_TRUE((*store)->Scan(1, INT64_MIN, INT64_MAX, [&](int64_t first, uint64_t seq, std::string_view bytes) {
      chunks.push_back({1, first, seq, std::string(bytes)});
      return true;
    }).ok());
    ASSERT_FALSE(chunks.empty());
    chunks[0].bytes[chunks[0].bytes.size() / 2] ^= 0x10;
    ASSERT_TRUE((*store)->Write({&chunks[0], 1}).ok());
  }
  auto engine = Open();
  SeriesSamples out;
  Status s = engine->Read(1, INT64_MIN, INT64_MAX, &out);
  EXPECT_EQ(s.code(), StatusCode::kCorruption);
  EXPECT_NE(s.message().find("tag 1"), std::string::npos) << s.message();
  EXPECT_EQ(ReadAll(*engine, 2).size(), 600u);
}


TEST_F(EngineTest, RetentionDeletesWholeChunksBeforeTheCutoff) {
  auto engine = Open();
  // 10 hours at 1 s of one tag; chunks of at most 500 samples.
  ASSERT_TRUE(engine->Append(PlantBatch(36'000, 1)).ok());
  ASSERT_TRUE(engine->Flush().ok());
  const int64_t cutoff = kStart + 5 * 3600 * kSecond;
  ASSERT_TRUE(engine->DeleteBefore(1, cutoff).ok());
  SeriesSamples s = ReadAll(*engine, 1);
  ASSERT_GT(s.size(), 0u);
  EXPECT_GE(s.ts_ns.front(), cutoff - EngineOptions().chunk_max_span_ns);
  EXPECT_LT(s.ts_ns.front(), cutoff);
  EXPECT_EQ(s.ts_ns.back(), kStart + 35'999 * kSecond);
  // Everything from the cutoff on is intact.
  SeriesSamples after;
  ASSERT_TRUE(engine->Read(1, cutoff, INT64_MAX, &after).ok());
  EXPECT_EQ(after.size(), 18'000u);
}


TEST_F(EngineTest, LateSamplesStayReadableAfterAFlush) {
  auto engine = Open();
  Batch newest;
  newest.AddInt64(1, kStart + 10 * 3600 * kSecond, 10);
  ASSERT_TRUE(engine->Append(newest).ok());
  Batch backfill;  // older than the newest sample: the out-of-order path, spanning 9 h
  for (int minute = 0; minute < 9 * 60; ++minute) backfill.AddInt64(1, kStart + minute * 60 * kSecond, minute);
  ASSERT_TRUE(engine->Append(backfill).ok());
  ASSERT_TRUE(engine->Flush().ok());
  SeriesSamples at_five;
  ASSERT_TRUE(engine->Read(1, kStart + 5 * 3600 * kSecond, kStart + 5 * 3600 * kSecond, &at_five).ok());
  ASSERT_EQ(at_five.size(), 1u);
  EXPECT_EQ(at_five.i64[0], 300);
  EXPECT_EQ(ReadAll(*engine, 1).size(), 9u * 60 + 1);
}

TEST_F(EngineTest, LastAfterARestartIsTheNewestNotTheLatestWritten) {
  {
    auto engine = Open();
    Batch b;
    b.AddFloat64(1, kStart + 1000 * kSecond, 1.0);
    ASSERT_TRUE(engine->Append(b).ok());
  }
  auto engine = Open();
  Batch late;
  late.AddFloat64(1, kStart + 500 * kSecond, 0.5);
  ASSERT_TRUE(engine->Append(late).ok());
  EXPECT_EQ((*engine->Last(1))->ts_ns, kStart + 1000 * kSecond);
  EXPECT_EQ((*engine->Last(1))->value.f64(), 1.0);
}

// The chunk that starts last need not hold the newest sample: one that starts earlier can end
// later. The last value after a restart is the newest of any stored chunk.
TEST_F(EngineTest, LastAfterARestartIsTheNewestSampleOfAnyStoredChunk) {
  {
    auto engine = Open();
    Batch middle;  // a chunk from 10 s to 20 s
    for (int i = 10; i <= 20; ++i) middle.AddFloat64(1, kStart + i * kSecond, i);
    ASSERT_TRUE(engine->Append(middle).ok());
    ASSERT_TRUE(engine->Close().ok());
  }
  {
    // A new process that has not asked for the last value: its head takes 0 s and 30 s in order,
    // a chunk from 0 s to 30 s, which starts before the other and ends after it.
    auto engine = Open();
    Batch around;
    around.AddFloat64(1, kStart, 0.0);
    around.AddFloat64(1, kStart + 30 * kSecond, 30.0);
    ASSERT_TRUE(engine->Append(around).ok());
    ASSERT_TRUE(engine->Close().ok());
  }
  auto engine = Open();
  EXPECT_EQ((*engine->Last(1))->ts_ns, kStart + 30 * kSecond);
  EXPECT_EQ((*engine->Last(1))->value.f64(), 30.0);
}

TEST_F(EngineTest, LastAfterARestartIsReadFromTheStoreOnce) {
  {
    auto engine = Open();
    Batch b;
    b.AddFloat64(1, kStart + 1000 * kSecond, 1.0);
    ASSERT_TRUE(engine->Append(b).ok());
  }
  auto engine = Open();
  EXPECT_EQ(engine->Stats().series, 0u);
  EXPECT_EQ((*engine->Last(1))->ts_ns, kStart + 1000 * kSecond);
  // The answer is kept in a head of its own, as if the series had been written since.
  EXPECT_EQ(engine->Stats().series, 1u);
  EXPECT_EQ((*engine->Last(1))->value.f64(), 1.0);
  // The head knows the newest stored time, so an older write is late, and merged at a flush.
  Batch late;
  late.AddFloat64(1, kStart + 500 * kSecond, 0.5);
  ASSERT_TRUE(engine->Append(late).ok());
  EXPECT_EQ((*engine->Last(1))->ts_ns, kStart + 1000 * kSecond);
  ASSERT_TRUE(engine->Flush().ok());
  SeriesSamples all;
  ASSERT_TRUE(engine->Read(1, kStart, kStart + 2000 * kSecond, &all).ok());
  ASSERT_EQ(all.size(), 2u);
  EXPECT_EQ(all.f64[0], 0.5);
  EXPECT_EQ(all.f64[1], 1.0);
}

TEST_F(EngineTest, RefusesTagIdsBeyondTheLimitWithoutAllocating) {
  auto engine = Open();
  Batch b;
  b.AddFloat64(0xFFFFFFFFu, kStart, 1);
  EXPECT_EQ(engine->Append(b).code(), StatusCode::kInvalidArgument);
}


TEST_F(EngineTest, ABatchOfManyNewSeriesIsCheckedOnceEach) {
  auto engine = Open();
  Batch b;
  for (TagId tag = 1; tag <= 50'000; ++tag) {
    b.AddFloat64(tag, kStart, tag);
    b.AddFloat64(tag, kStart + kSecond, tag);
  }
  b.AddInt64(77, kStart + 2 * kSecond, 1);  // the first type a new series shows in a batch holds
  EXPECT_NE(engine->Append(b).message().find("int64 value for a float64 series"), std::string::npos);
  b.points.pop_back();
  ASSERT_TRUE(engine->Append(b).ok());
  EXPECT_EQ(engine->Stats().series, 50'000u);
}

// A full disk refuses the write it hit as retryable, keeps nothing of it, and writing resumes
// once space returns, without a restart; every acknowledged point is there after one.
TEST_F(EngineTest, AFullDiskRefusesWritesRetryablyAndResumesWhenSpaceReturns) {
  for (FsyncPolicy fsync : {FsyncPolicy::kAlways, FsyncPolicy::kInterval}) {
    FaultFs fs;
    auto engine = Open(fsync, &fs);
    ASSERT_TRUE(engine->Append(PlantBatch(10, 3)).ok());
    fs.FailWriteAt(1, ENOSPC, /*torn_bytes=*/7);
    Status full = engine->Append(PlantBatch(10, 3, kStart + 10 * kSecond));
    EXPECT_EQ(full.code(), StatusCode::kResourceExhausted);
    EXPECT_NE(full.message().find("No space left on device"), std::string::npos) << full.message();
    EXPECT_EQ(ReadAll(*engine, 1).size(), 10u);  // nothing of the refused batch
    ASSERT_TRUE(engine->Append(PlantBatch(10, 3, kStart + 20 * kSecond)).ok()) << "space is back";
    EXPECT_EQ(ReadAll(*engine, 1).size(), 20u);
    engine.reset();
    fs.Crash();
    engine = Open(fsync, &fs);
    SeriesSamples after = ReadAll(*engine, 2);
    ASSERT_EQ(after.size(), 20u);
    EXPECT_EQ(after.ts_ns[10], kStart + 20 * kSecond);
    engine.reset();
    std::filesystem::remove_all(dir_);
  }
}

}  // namespace
}  // namespace zhizao::storage
