// A write to the chunk store stores the same keys whether it goes as a batch or as an ingested
// table file (ChunkStoreOptions::table_file_min_bytes): chunks, rollups, deletes and meta.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <tuple>

#include "storage/encoding/chunk.h"
#include "storage/internal/chunk_store.h"

namespace zhizao::storage {
namespace {

constexpr int64_t kSecond = 1'000'000'000;
constexpr int64_t kStart = int64_t{1'795'867'200} * kSecond;  // 2026-11-28T12:00:00Z

// A float chunk of `count` seconds from `first_second`, of values scaled by `scale`: long and
// noisy enough to get a rollup within its disk budget.
StoredChunk FloatChunk(TagId tag, int first_second, int count, uint64_t seq, double scale) {
  SeriesSamples s;
  for (int i = 0; i < count; ++i) {
    s.ts_ns.push_back(kStart + (first_second + i) * kSecond);
    s.status.push_back(0);
    s.f64.push_back(static_cast<double>((first_second + i) * 7919 % 1000) * scale);
  }
  ChunkBuilder builder(DataType::kFloat64);
  builder.Append(s, 0, s.size());
  return {tag, s.ts_ns[0], seq, builder.Finish()};
}

// Every chunk and rollup key of `tag` with its bytes.
using Stored = std::vector<std::tuple<int64_t, uint64_t, std::string>>;
Stored Chunks(const ChunkStore& store, TagId tag, bool rollups = false) {
  Stored out;
  auto visit = [&](int64_t first_ts, uint64_t seq, std::string_view bytes) {
    out.emplace_back(first_ts, seq, std::string(bytes));
    return true;
  };
  Status scanned = rollups ? store.ScanRollups(tag, INT64_MIN, INT64_MAX, visit)
                           : store.Scan(tag, INT64_MIN, INT64_MAX, visit);
  EXPECT_TRUE(scanned.ok()) << scanned.ToString();
  return out;
}

class ChunkStoreTest : public ::testing::TestWithParam<bool> {
 protected:
  ChunkStoreTest() {
    dir_ = std::filesystem::temp_directory_path() /
           ("zz-chunk-store-" + std::to_string(::getpid()) + "-" + (GetParam() ? "table" : "batch"));
    std::filesystem::remove_all(dir_);
  }
  ~ChunkStoreTest() override { std::filesystem::remove_all(dir_); }

  std::unique_ptr<ChunkStore> Open() {
    ChunkStoreOptions options;
    options.table_file_min_bytes = GetParam() ? 0 : SIZE_MAX;
    auto store = ChunkStore::Open(dir_.string(), options);
    EXPECT_TRUE(store.ok()) << store.status().ToString();
    return store.ok() ? std::move(store).value() : nullptr;
  }

  std::filesystem::path dir_;
};

TEST_P(ChunkStoreTest, WritesDeletesAndRewritesAsOneBatchWould) {
  auto store = Open();
  ASSERT_NE(store, nullptr);
  const StoredChunk a = FloatChunk(1, 0, 600, 1, 1.0);
  const StoredChunk b = FloatChunk(1, 600, 600, 601, 1.0);
  const StoredChunk c = FloatChunk(2, 0, 600, 1201, 1.0);
  std::pair<std::string, std::string> meta[] = {{"max_seq", "1800"}, {"wal_checkpoint", "3"}};
  ASSERT_TRUE(store->Write(std::vector{c, a, b}, meta).ok());  // out of key order on purpose
  EXPECT_EQ(Chunks(*store, 1).size(), 2u);
  EXPECT_EQ(Chunks(*store, 1, /*rollups=*/true).size(), 2u);
  EXPECT_EQ(store->GetMeta("max_seq").value(), "1800");

  // The next write deletes a, rewrites b under its key (deleted too, as a merge does), and
  // carries two chunks of one key: the later one is stored.
  const StoredChunk b_rewritten = FloatChunk(1, 600, 600, 601, 2.0);
  const StoredChunk d_first = FloatChunk(2, 600, 300, 1801, 1.0);
  const StoredChunk d_second = FloatChunk(2, 600, 300, 1801, 3.0);
  const ChunkId deleted[] = {{1, a.first_ts, a.seq}, {1, b.first_ts, b.seq}};
  std::pair<std::string, std::string> meta2[] = {{"max_seq", "2400"}};
  ASSERT_TRUE(store->Write(std::vector{d_first, b_rewritten, d_second}, meta2, deleted).ok());

  EXPECT_EQ(Chunks(*store, 1), (Stored{{b.first_ts, b.seq, b_rewritten.bytes}}));
  EXPECT_EQ(Chunks(*store, 2), (Stored{{c.first_ts, c.seq, c.bytes}, {d_second.first_ts, d_second.seq, d_second.bytes}}));
  // One rollup per stored chunk, the rewritten chunk's from its new bytes.
  ASSERT_EQ(Chunks(*store, 1, true).size(), 1u);
  ASSERT_EQ(Chunks(*store, 2, true).size(), 2u);
  EXPECT_NE(std::get<2>(Chunks(*store, 1, true)[0]), std::get<2>(Chunks(*store, 2, true)[0]))
      << "tag 1's rollup is still the one of values second * 1";
  EXPECT_EQ(store->GetMeta("max_seq").value(), "2400");
  EXPECT_EQ(store->GetMeta("wal_checkpoint").value(), "3");

  // All of it is durable: a reopened store reads the same.
  store.reset();
  store = Open();
  ASSERT_NE(store, nullptr);
  EXPECT_EQ(Chunks(*store, 1), (Stored{{b.first_ts, b.seq, b_rewritten.bytes}}));
  EXPECT_EQ(Chunks(*store, 2).size(), 2u);
}

TEST_P(ChunkStoreTest, OpenRemovesATableFileThatWasNeverIngested) {
  auto store = Open();
  ASSERT_NE(store, nullptr);
  store.reset();
  const std::filesystem::path left = dir_ / "being-ingested" / "checkpoint.sst";
  ASSERT_TRUE(std::filesystem::exists(left.parent_path()));
  { std::ofstream(left) << "half a table file"; }
  store = Open();
  ASSERT_NE(store, nullptr);
  EXPECT_FALSE(std::filesystem::exists(left));
  EXPECT_TRUE(Chunks(*store, 1).empty());
}

INSTANTIATE_TEST_SUITE_P(ChunkStore, ChunkStoreTest, testing::Values(false, true),
                         [](const testing::TestParamInfo<bool>& param_info) { return param_info.param ? "TableFile" : "Batch"; });

}  // namespace
}  // namespace zhizao::storage
