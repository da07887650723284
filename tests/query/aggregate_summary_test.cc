// Aggregates folded from chunk summaries agree with the decode-everything path, on random
// data with out-of-order samples, rewrites (last write wins), NaN, ±Inf and every quality.
// Tolerances: engine_aggregate_util.h.
#include <gtest/gtest.h>
#include <unistd.h>

#include <cmath>
#include <filesystem>
#include <limits>
#include <map>
#include <random>

#include "engine_aggregate_util.h"
#include "query/aggregate.h"
#include "storage/engine.h"

namespace zhizao::query {
namespace {

class AggregateSummaryTest : public ::testing::Test {
 protected:
  AggregateSummaryTest() : clock_(kStart + 10 * 86400 * kSec) {
    static int counter = 0;
    dir_ = std::filesystem::temp_directory_path() /
           ("zz-aggregate-summary-" + std::to_string(::getpid()) + "-" + std::to_string(counter++));
  }
  ~AggregateSummaryTest() override {
    engine_.reset();
    std::filesystem::remove_all(dir_);
  }

  void Open(uint32_t chunk_samples) {
    storage::EngineOptions options{.dir = dir_.string(), .fsync = storage::FsyncPolicy::kNone,
                                   .chunk_max_samples = chunk_samples, .chunk_max_span_ns = 3600 * kSec,
                                   .chunk_summary_min_samples = 1, .clock = &clock_, .metrics = &metrics_};
    auto engine = storage::Engine::Open(options);
    ASSERT_TRUE(engine.ok()) << engine.status().ToString();
    engine_ = std::move(engine).value();
  }

  // Writes `n` samples per tag: mostly in order at 1 s with jitter-free gaps, some late
  // (out of order), some rewrites of an earlier timestamp, NaN, ±Inf, Uncertain and Bad;
  // flushes now and then so that data lies in RocksDB, in pending chunks and in the head.
  void WriteRandom(std::mt19937_64& rng, const std::vector<TagId>& tags, int n, bool infinities) {
    std::uniform_real_distribution<double> value(-1000, 1000);
    std::vector<int64_t> next(tags.size(), kStart);
    Batch b;
    for (int i = 0; i < n; ++i) {
      for (size_t t = 0; t < tags.size(); ++t) {
        int64_t ts = next[t];
        next[t] += kSec * (1 + static_cast<int64_t>(rng() % 8 == 0 ? rng() % 30 : 0));
        // Late samples come in bursts (every other stretch of 1,000 writes), so that some chunks
        // overlap nothing and others are overlapped.
        const uint64_t pick = rng() % 1000 + ((i / 1000) % 2 == 0 ? 30 : 0);
        // Late: mostly by up to 5 min, a few from anywhere in the past (both may rewrite a sample).
        const int64_t back = pick < 1 ? (ts - kStart) / kSec : std::min<int64_t>(300, (ts - kStart) / kSec);
        if (pick < 30) ts -= static_cast<int64_t>(rng() % static_cast<uint64_t>(back + 1)) * kSec;
        double v = std::round(value(rng) * 100) / 100;
        if (pick >= 30 && pick < 40) v = std::numeric_limits<double>::quiet_NaN();
        if (infinities && pick >= 40 && pick < 43) v = pick == 40 ? -INFINITY : INFINITY;
        // Uncertain and Bad samples come in bursts too (every third stretch of 700 writes).
        uint32_t status = 0;
        if (pick >= 50 && pick < 70 && (i / 700) % 3 == 0) status = kUncertain | 0x10000;
        if (pick >= 70 && pick < 90 && (i / 700) % 3 == 0) status = kBad | 0x20000;
        b.AddFloat64(tags[t], ts, v, status);
      }
      if (b.size() >= 64 || i + 1 == n) {
        ASSERT_TRUE(engine_->Append(b).ok());
        b.Clear();
      }
      if (rng() % 2000 == 0) {
        ASSERT_TRUE(engine_->Flush().ok());
      }
    }
  }

  // Writes random data and compares many random queries on both paths.
  void CompareOnRandomData(uint64_t seed);

  std::filesystem::path dir_;
  ManualClock clock_;
  MetricsRegistry metrics_;
  std::unique_ptr<storage::Engine> engine_;
};

void AggregateSummaryTest::CompareOnRandomData(uint64_t seed) {
  std::mt19937_64 rng(seed);
  Open(200);
  const std::vector<TagId> tags = {1, 2, 3};
  WriteRandom(rng, tags, 6000, /*infinities=*/true);
  const std::vector<AggregateSpec> functions = {
      {AggregateFn::kMean},  {AggregateFn::kMin},   {AggregateFn::kMax},    {AggregateFn::kSum},
      {AggregateFn::kCount}, {AggregateFn::kFirst}, {AggregateFn::kLast},   {AggregateFn::kStddev},
      {AggregateFn::kSpread}};
  DecodeOnlySource decoded(*engine_);
  EngineSource summarized(*engine_);
  int64_t summaries = 0;
  const int64_t end = kStart + 6000 * 5 * kSec;
  for (int i = 0; i < 60; ++i) {
    const int64_t from = kStart - 100 * kSec + static_cast<int64_t>(rng() % 20000) * kSec;
    AggregateQuery q{.tags = tags, .from_ns = from, .to_ns = from + static_cast<int64_t>(rng() % 40000) * kSec,
                     .window = {.width_ns = (int64_t{1} << (rng() % 16)) * 60 * kSec,
                                .offset_ns = static_cast<int64_t>(rng() % 600) * kSec},
                     .functions = functions, .per_series = true, .combined = rng() % 2 == 0};
    q.to_ns = std::min(q.to_ns, end);
    const QueryOptions options{.quality = static_cast<QualityPolicy>(rng() % 3),
                               .first_slice_ns = (1 + static_cast<int64_t>(rng() % 24)) * 3600 * kSec};
    QueryStats want_stats, got_stats;
    const Rows want = RunQuery(decoded, q, options, &want_stats);
    const Rows got = RunQuery(summarized, q, options, &got_stats);
    EXPECT_EQ(want_stats.summaries, 0);
    EXPECT_EQ(want_stats.points_scanned, got_stats.points_scanned + got_stats.points_summarized);
    summaries += got_stats.summaries;
    ASSERT_EQ(want.size(), got.size()) << "query " << i;
    for (const auto& [key, row] : want) {
      auto it = got.find(key);
      ASSERT_NE(it, got.end());
      SCOPED_TRACE("query " + std::to_string(i) + ", tag " + std::to_string(key.first) + ", window " +
                   std::to_string(key.second));
      ExpectSameRow(row, it->second, q);
    }
  }
  EXPECT_GT(summaries, 100) << "the queries exercised the summary path";
}

TEST_F(AggregateSummaryTest, SummaryFoldsMatchDecodingOnRandomDataWithOverlapsAndEveryQuality) {
  for (uint64_t seed : {42, 1, 2}) {
    SCOPED_TRACE("seed " + std::to_string(seed));
    engine_.reset();
    std::filesystem::remove_all(dir_);
    CompareOnRandomData(seed);
  }
}

TEST_F(AggregateSummaryTest, WholeRangeMeanOfFlushedSeriesFoldsSummariesOnly) {
  Open(1000);
  Batch b;
  for (int s = 0; s < 3000; ++s) b.AddFloat64(1, kStart + s * kSec, s % 7 == 0 ? NAN : s * 0.5, s % 11 == 0 ? kBad : 0);
  ASSERT_TRUE(engine_->Append(b).ok());
  ASSERT_TRUE(engine_->Flush().ok());
  AggregateQuery q{.tags = {1}, .from_ns = kStart, .to_ns = kStart + 3000 * kSec - 1,
                   .window = {.width_ns = 3000 * kSec, .offset_ns = kStart},
                   .functions = {{AggregateFn::kMean}, {AggregateFn::kCount}, {AggregateFn::kStddev}}};
  QueryStats want_stats, got_stats;
  const Rows want = RunQuery(DecodeOnlySource(*engine_), q, {}, &want_stats);
  const Rows got = RunQuery(EngineSource(*engine_), q, {}, &got_stats);
  EXPECT_EQ(got_stats.points_scanned, 0) << "three chunks of 1000, all summarized";
  EXPECT_EQ(got_stats.summaries, 3);
  ASSERT_EQ(got.size(), 1u);
  ExpectSameRow(want.begin()->second, got.begin()->second, q);
  // Median needs the values: the same query with it decodes everything.
  q.functions.push_back({AggregateFn::kMedian});
  RunQuery(EngineSource(*engine_), q, {}, &got_stats);
  EXPECT_EQ(got_stats.summaries, 0);
  EXPECT_EQ(got_stats.points_scanned, 3000);
}

TEST_F(AggregateSummaryTest, QualityPolicyDecidesWhichSummariesFit) {
  Open(100);
  Batch b;
  for (int s = 0; s < 300; ++s) {
    // Chunk 0 all Good, chunk 1 with an Uncertain sample, chunk 2 with a Bad one.
    const uint32_t status = s == 150 ? kUncertain : s == 250 ? kBad : 0;
    b.AddFloat64(1, kStart + s * kSec, s, status);
  }
  ASSERT_TRUE(engine_->Append(b).ok());
  ASSERT_TRUE(engine_->Flush().ok());
  AggregateQuery q{.tags = {1}, .from_ns = kStart, .to_ns = kStart + 300 * kSec - 1,
                   .window = {.width_ns = 300 * kSec, .offset_ns = kStart}, .functions = {{AggregateFn::kSum}}};
  const std::pair<QualityPolicy, int64_t> cases[] = {
      {QualityPolicy::kGoodAndUncertain, 3}, {QualityPolicy::kGoodOnly, 2}, {QualityPolicy::kAll, 2}};
  for (const auto& [policy, expected] : cases) {
    QueryStats want_stats, got_stats;
    const Rows want = RunQuery(DecodeOnlySource(*engine_), q, {.quality = policy}, &want_stats);
    const Rows got = RunQuery(EngineSource(*engine_), q, {.quality = policy}, &got_stats);
    EXPECT_EQ(got_stats.summaries, expected) << QualityPolicyName(policy);
    ExpectSameRow(want.begin()->second, got.begin()->second, q);
  }
}

}  // namespace
}  // namespace zhizao::query
