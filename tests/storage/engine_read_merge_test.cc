// Engine::ReadSummarized over chunks that overlap (late and rewritten samples): the clusters of
// overlapping chunks it merges on their own must give exactly what Read's merge of everything
// gives, last write winning, for random write orders and ranges.
#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <map>
#include <random>

#include "storage/engine.h"

namespace zhizao::storage {
namespace {

constexpr int64_t kSecond = 1'000'000'000;
constexpr int64_t kStart = int64_t{1'795'867'200} * kSecond;  // 2026-11-28T12:00:00Z
constexpr TagId kTag = 5;

class EngineReadMergeTest : public ::testing::TestWithParam<int> {
 protected:
  EngineReadMergeTest() : clock_(kStart + 86400 * kSecond) {
    static int counter = 0;
    dir_ = std::filesystem::temp_directory_path() /
           ("zz-engine-merge-" + std::to_string(::getpid()) + "-" + std::to_string(counter++));
  }
  ~EngineReadMergeTest() override { std::filesystem::remove_all(dir_); }

  std::unique_ptr<Engine> Open() {
    EngineOptions options{.dir = dir_.string(), .fsync = FsyncPolicy::kNone, .chunk_max_samples = 64,
                          .chunk_summary_min_samples = 16, .clock = &clock_, .metrics = &metrics_};
    auto engine = Engine::Open(options);
    EXPECT_TRUE(engine.ok()) << engine.status().ToString();
    return engine.ok() ? std::move(engine).value() : nullptr;
  }

  std::filesystem::path dir_;
  ManualClock clock_;
  MetricsRegistry metrics_;
};

void ExpectSame(const SeriesSamples& a, const SeriesSamples& b, const std::string& what) {
  ASSERT_EQ(a.size(), b.size()) << what;
  for (size_t i = 0; i < a.size(); ++i) {
    ASSERT_EQ(a.ts_ns[i], b.ts_ns[i]) << what << " at " << i;
    ASSERT_EQ(a.f64[i], b.f64[i]) << what << " at " << i;
    ASSERT_EQ(a.status[i], b.status[i]) << what << " at " << i;
  }
}

TEST_P(EngineReadMergeTest, OverlappingChunksMergeAsReadMergesThem) {
  std::mt19937_64 rng(static_cast<uint64_t>(GetParam()));
  auto engine = Open();
  ASSERT_NE(engine, nullptr);
  // 2,000 seconds written in batches: mostly in order, some batches held back and sent late
  // (as concurrent connections overtake each other), some seconds written again.
  constexpr int kSeconds = 2000;
  std::vector<std::pair<int, int>> batches;  // [from, to) seconds
  for (int s = 0; s < kSeconds;) {
    int n = 1 + static_cast<int>(rng() % 40);
    batches.emplace_back(s, std::min(kSeconds, s + n));
    s += n;
  }
  for (size_t i = 0; i + 1 < batches.size(); ++i) {
    if (rng() % 3 == 0) std::swap(batches[i], batches[i + 1 + rng() % std::min<size_t>(4, batches.size() - i - 1)]);
  }
  int round = 0;
  std::map<int64_t, std::pair<double, uint32_t>> written;  // the last write of each time
  for (const auto& [from, to] : batches) {
    Batch b;
    auto add = [&](int s, double v, uint32_t status) {
      b.AddFloat64(kTag, kStart + s * kSecond, v, status);
      written[kStart + s * kSecond] = {v, status};
    };
    for (int s = from; s < to; ++s) add(s, s + 0.25 * round, s % 17 == 0 ? 0x40000000u : 0u);
    if (rng() % 8 == 0) {  // rewrite a few earlier seconds
      for (int k = 0; k < 3; ++k) {
        int s = static_cast<int>(rng() % kSeconds);
        add(s, -s - 1000.0 * round, 0);
      }
    }
    ASSERT_TRUE(engine->Append(b).ok());
    if (rng() % 10 == 0) {
      ASSERT_TRUE(engine->Flush().ok());
    }
    ++round;
  }
  if (GetParam() % 2 == 0) {  // odd seeds keep some in the head
    ASSERT_TRUE(engine->Flush().ok());
  }
  for (int q = 0; q < 40; ++q) {
    int64_t from = kStart + static_cast<int64_t>(rng() % (kSeconds + 100)) * kSecond - 50 * kSecond;
    int64_t to = from + static_cast<int64_t>(rng() % kSeconds) * kSecond;
    if (q == 0) from = INT64_MIN / 2, to = INT64_MAX / 2;
    SeriesSamples read, decoded_all, expected_read;
    ASSERT_TRUE(engine->Read(kTag, from, to, &read).ok());
    for (auto it = written.lower_bound(from); it != written.end() && it->first <= to; ++it) {
      expected_read.ts_ns.push_back(it->first);
      expected_read.f64.push_back(it->second.first);
      expected_read.status.push_back(it->second.second);
    }
    ExpectSame(expected_read, read, "Read against the writes");
    std::vector<SummarizedChunk> none;
    ASSERT_TRUE(engine->ReadSummarized(kTag, from, to, [](int64_t, int64_t, const ChunkSummary&) { return false; },
                                       &decoded_all, &none).ok());
    EXPECT_TRUE(none.empty());
    ExpectSame(read, decoded_all, "decoding every chunk");
    // With summaries: the samples returned are Read's outside the summarized chunks.
    SeriesSamples rest;
    std::vector<SummarizedChunk> taken;
    ASSERT_TRUE(engine->ReadSummarized(kTag, from, to, [](int64_t, int64_t, const ChunkSummary&) { return true; },
                                       &rest, &taken).ok());
    SeriesSamples expected;
    expected.type = read.type;
    uint64_t summarized = 0;
    for (size_t i = 0; i < read.size(); ++i) {
      bool inside = std::any_of(taken.begin(), taken.end(), [&](const SummarizedChunk& c) {
        return c.first_ts <= read.ts_ns[i] && read.ts_ns[i] <= c.last_ts;
      });
      if (inside) {
        ++summarized;
        continue;
      }
      expected.ts_ns.push_back(read.ts_ns[i]);
      expected.status.push_back(read.status[i]);
      expected.f64.push_back(read.f64[i]);
    }
    uint64_t in_summaries = 0;
    for (const SummarizedChunk& c : taken) in_summaries += c.summary.samples;
    EXPECT_EQ(in_summaries, summarized);
    ExpectSame(expected, rest, "with summaries");
  }
}

INSTANTIATE_TEST_SUITE_P(Seeds, EngineReadMergeTest, ::testing::Range(1, 13));

}  // namespace
}  // namespace zhizao::storage
