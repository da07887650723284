// Aggregates folded from 1-minute rollup buckets agree with the decode-everything path, on
// random float64, int64 and bool data with out-of-order samples, rewrites (last write wins),
// overlapping chunks, NaN, ±Inf and every quality, for windows of 1 min, 5 min, 1 h and 1 d
// with offsets and ranges that cut buckets. Tolerances: engine_aggregate_util.h.
#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <limits>
#include <random>

#include "engine_aggregate_util.h"
#include "query/aggregate.h"
#include "query/decimate.h"
#include "storage/engine.h"

namespace zhizao::query {
namespace {

constexpr int64_t kMinute = 60 * kSec;
constexpr TagId kFloatTag = 1, kIntTag = 2, kBoolTag = 3;

class AggregateRollupTest : public ::testing::Test {
 protected:
  AggregateRollupTest() : clock_(kStart + 10 * 86400 * kSec) {
    static int counter = 0;
    dir_ = std::filesystem::temp_directory_path() /
           ("zz-aggregate-rollup-" + std::to_string(::getpid()) + "-" + std::to_string(counter++));
  }
  ~AggregateRollupTest() override {
    engine_.reset();
    std::filesystem::remove_all(dir_);
  }

  // Summaries only for chunks of `summary_min` samples or more, so that some seeds see both.
  void Open(uint32_t summary_min) {
    storage::EngineOptions options{.dir = dir_.string(), .fsync = storage::FsyncPolicy::kNone,
                                   .chunk_max_samples = 900, .chunk_max_span_ns = 3600 * kSec,
                                   .chunk_summary_min_samples = summary_min, .clock = &clock_, .metrics = &metrics_};
    auto engine = storage::Engine::Open(options);
    ASSERT_TRUE(engine.ok()) << engine.status().ToString();
    engine_ = std::move(engine).value();
  }

  // `n` seconds of each tag, mostly in order at 1 s; some late (rewriting earlier samples or
  // filling gaps, so chunks overlap), NaN, ±Inf, Uncertain and Bad, in bursts; flushes now
  // and then so that data lies in RocksDB, in pending chunks and in the head (the tail).
  void WriteRandom(std::mt19937_64& rng, int n) {
    Batch b;
    int64_t next = kStart + static_cast<int64_t>(rng() % 60) * kSec + 250'000'000;  // off the minute grid
    for (int i = 0; i < n; ++i) {
      int64_t ts = next;
      next += kSec * (rng() % 40 == 0 ? 1 + static_cast<int64_t>(rng() % 90) : 1);
      const uint64_t pick = rng() % 1000 + ((i / 1500) % 2 == 0 ? 30 : 0);
      if (pick < 30) ts -= static_cast<int64_t>(rng() % 900) * kSec;
      double v = std::round(std::uniform_real_distribution<double>(-500, 500)(rng) * 100) / 100;
      if (pick >= 30 && pick < 40) v = std::numeric_limits<double>::quiet_NaN();
      if (pick >= 40 && pick < 42) v = pick == 40 ? -INFINITY : INFINITY;
      uint32_t status = 0;
      if (pick >= 50 && pick < 70 && (i / 1000) % 3 == 0) status = kUncertain | 0x10000;
      if (pick >= 70 && pick < 90 && (i / 1000) % 3 == 0) status = kBad | 0x20000;
      b.AddFloat64(kFloatTag, ts, v, status);
      b.AddInt64(kIntTag, ts, static_cast<int64_t>(rng() % 20001) - 10000, status);
      b.AddBool(kBoolTag, ts, rng() % 3 == 0, status);
      if (b.size() >= 96 || i + 1 == n) {
        ASSERT_TRUE(engine_->Append(b).ok());
        b.Clear();
      }
      if (rng() % 3000 == 0) {
        ASSERT_TRUE(engine_->Flush().ok());
      }
    }
  }

  std::filesystem::path dir_;
  ManualClock clock_;
  MetricsRegistry metrics_;
  std::unique_ptr<storage::Engine> engine_;
};

AggregateQuery RandomQuery(std::mt19937_64& rng, TagId tag, int64_t end) {
  const int64_t widths[] = {kMinute, 5 * kMinute, 60 * kMinute, 1440 * kMinute};
  const int64_t width = widths[rng() % 4];
  const int64_t from = kStart - 100 * kSec + static_cast<int64_t>(rng() % 30000) * kSec + static_cast<int64_t>(rng() % 3) * 333;
  AggregateQuery q{.tags = {tag}, .from_ns = from, .to_ns = std::min(end, from + static_cast<int64_t>(rng() % 50000) * kSec),
                   .window = {.width_ns = width, .offset_ns = static_cast<int64_t>(rng() % 1440) * kMinute},
                   .functions = {{AggregateFn::kMean}, {AggregateFn::kMin}, {AggregateFn::kMax}, {AggregateFn::kSum},
                                 {AggregateFn::kCount}, {AggregateFn::kFirst}, {AggregateFn::kLast},
                                 {AggregateFn::kSpread}}};
  if (rng() % 4 == 0) q.to_ns = q.from_ns + (q.to_ns - q.from_ns) / kMinute * kMinute - 1;  // whole minutes
  if (rng() % 5 == 0) q.window = {.width_ns = kMaxAbsTimestampNs, .offset_ns = q.from_ns};  // no GROUP BY time
  return q;
}

TEST_F(AggregateRollupTest, RollupFoldsMatchDecodingOnRandomData) {
  for (uint64_t seed : {5, 6, 7}) {
    SCOPED_TRACE("seed " + std::to_string(seed));
    engine_.reset();
    std::filesystem::remove_all(dir_);
    std::mt19937_64 rng(seed);
    Open(seed == 5 ? 1 : 1'000'000);
    WriteRandom(rng, 40000);
    const int64_t end = kStart + 50000 * kSec;
    int64_t buckets = 0;
    for (int i = 0; i < 90; ++i) {
      const AggregateQuery q = RandomQuery(rng, static_cast<TagId>(1 + i % 3), end);
      const QueryOptions options{.quality = static_cast<QualityPolicy>(rng() % 3),
                                 .first_slice_ns = (1 + static_cast<int64_t>(rng() % 24)) * 3600 * kSec};
      QueryStats want_stats, got_stats;
      const Rows want = RunQuery(DecodeOnlySource(*engine_), q, options, &want_stats);
      const Rows got = RunQuery(EngineSource(*engine_), q, options, &got_stats);
      EXPECT_EQ(want_stats.points_scanned, got_stats.points_scanned + got_stats.points_summarized);
      buckets += got_stats.rollup_buckets;
      ASSERT_EQ(want.size(), got.size()) << "query " << i;
      for (const auto& [key, row] : want) {
        auto it = got.find(key);
        ASSERT_NE(it, got.end());
        SCOPED_TRACE("query " + std::to_string(i) + ", tag " + std::to_string(key.first) + ", window " +
                     std::to_string(key.second));
        ExpectSameRow(row, it->second, q);
      }
    }
    EXPECT_GT(buckets, 1000) << "the queries exercised the rollup path";
  }
}

TEST_F(AggregateRollupTest, DecimationOfLongRangesFoldsRollupsWithTheSameExtremes) {
  std::mt19937_64 rng(8);
  Open(1'000'000);
  WriteRandom(rng, 40000);
  for (TagId tag : {kFloatTag, kIntTag, kBoolTag}) {
    QueryStats want_stats, got_stats;
    // 11.1 h in 7 buckets of ~1.6 h: laid on the minute grid.
    const int64_t from = kStart + 1234 * kSec + 5, to = kStart + 41234 * kSec;
    auto want = Decimate(DecodeOnlySource(*engine_), tag, from, to, 7, {}, &want_stats);
    auto got = Decimate(EngineSource(*engine_), tag, from, to, 7, {}, &got_stats);
    ASSERT_TRUE(want.ok() && got.ok());
    EXPECT_EQ(got->bucket_width_ns % kMinute, 0);
    EXPECT_GT(got_stats.rollup_buckets, 100);
    ASSERT_EQ(want->buckets.size(), got->buckets.size());
    for (size_t i = 0; i < want->buckets.size(); ++i) {
      const WindowState &a = want->buckets[i].state, &b = got->buckets[i].state;
      EXPECT_EQ(want->buckets[i].start_ns, got->buckets[i].start_ns);
      EXPECT_EQ(a.samples, b.samples);
      ASSERT_EQ(a.count, b.count);
      if (a.count == 0) continue;
      EXPECT_EQ(a.min, b.min);
      EXPECT_EQ(a.min_ts, b.min_ts);
      EXPECT_EQ(a.max, b.max);
      EXPECT_EQ(a.max_ts, b.max_ts);
      EXPECT_EQ(a.first_ts, b.first_ts);
      EXPECT_EQ(a.last, b.last);
    }
  }
}

TEST_F(AggregateRollupTest, OnlyMergeableQueriesOnTheMinuteGridUseRollups) {
  Open(1'000'000);
  Batch b;
  for (int s = 0; s < 7200; ++s) b.AddFloat64(kFloatTag, kStart + s * kSec, ((s * 7919) % 100003) * 0.001);
  ASSERT_TRUE(engine_->Append(b).ok());
  ASSERT_TRUE(engine_->Flush().ok());
  AggregateQuery q{.tags = {kFloatTag}, .from_ns = kStart, .to_ns = kStart + 7200 * kSec - 1,
                   .window = {.width_ns = 5 * kMinute, .offset_ns = 2 * kMinute}, .functions = {{AggregateFn::kMean}}};
  QueryStats stats;
  RunQuery(EngineSource(*engine_), q, {}, &stats);
  EXPECT_EQ(stats.rollup_buckets, 120);
  EXPECT_EQ(stats.points_scanned, 0);
  for (const AggregateSpec& f : {AggregateSpec{AggregateFn::kStddev}, AggregateSpec{AggregateFn::kMedian}}) {
    AggregateQuery with = q;
    with.functions.push_back(f);
    RunQuery(EngineSource(*engine_), with, {}, &stats);
    EXPECT_EQ(stats.rollup_buckets, 0) << AggregateFnName(f.fn);
    EXPECT_EQ(stats.points_scanned, 7200);
  }
  q.window.offset_ns = 30 * kSec;  // off the grid: a bucket would straddle windows
  RunQuery(EngineSource(*engine_), q, {}, &stats);
  EXPECT_EQ(stats.rollup_buckets, 0);
  // One window over the whole range (InfluxQL without GROUP BY time), even off the grid: every
  // bucket inside the range lies in it; those the range or a read slice cuts are read as samples.
  q.window = {.width_ns = kMaxAbsTimestampNs, .offset_ns = kStart + 30 * kSec};
  q.from_ns = kStart + 30 * kSec;
  const Rows got = RunQuery(EngineSource(*engine_), q, {}, &stats);
  EXPECT_GE(stats.rollup_buckets, 110);
  EXPECT_EQ(stats.points_scanned + 60 * stats.rollup_buckets, 7170);
  QueryStats decoded;
  const Rows want = RunQuery(DecodeOnlySource(*engine_), q, {}, &decoded);
  ASSERT_EQ(got.size(), 1u);
  ASSERT_EQ(want.size(), 1u);
  ExpectSameRow(want.begin()->second, got.begin()->second, q);
}

// Hands the cursor's bucket filter each run as a version-1 record decodes it: no bad count in a
// bucket that holds non-good samples (docs/formats/rollup.md).
class VersionOneSource final : public SampleSource {
 public:
  explicit VersionOneSource(const storage::Engine& engine) : engine_(engine) {}
  Status Read(TagId tag, int64_t from, int64_t to, storage::SeriesSamples* out) const override {
    return engine_.Read(tag, from, to, out);
  }
  Status ReadSummarized(TagId tag, int64_t from, int64_t to, const storage::SummaryFilter& take,
                        storage::SeriesSamples* out, std::vector<storage::SummarizedChunk>* summaries) const override {
    return engine_.ReadSummarized(tag, from, to, take, out, summaries);
  }
  Status ReadRollups(TagId tag, int64_t from, int64_t to, const storage::SummaryFilter& take,
                     const storage::RollupFilter& take_buckets, storage::SeriesSamples* out,
                     std::vector<storage::SummarizedChunk>* summaries,
                     std::vector<storage::RollupBucket>* buckets) const override {
    const storage::RollupFilter as_version_one = [&](std::span<const storage::RollupBucket> run) {
      std::vector<storage::RollupBucket> old(run.begin(), run.end());
      for (storage::RollupBucket& b : old) b.bad = 0, b.bad_counted = b.non_good == 0;
      return take_buckets(old);
    };
    return engine_.ReadRollups(tag, from, to, take, as_version_one, out, summaries, buckets);
  }
  Result<std::optional<storage::LastSample>> Last(TagId tag) const override { return engine_.Last(tag); }

 private:
  const storage::Engine& engine_;
};

// Buckets give a window its bad count; a policy takes a chunk's buckets only where they fold
// what it would fold, and a version-1 bucket with non-good samples never (it cannot tell bad).
TEST_F(AggregateRollupTest, QualityDecidesWhichBucketsAreTaken) {
  Open(1'000'000);
  for (int hour = 0; hour < 2; ++hour) {  // a chunk each: one Uncertain sample, then one Bad
    Batch b;
    for (int s = hour * 3600; s < (hour + 1) * 3600; ++s) {
      const uint32_t status = s == 300 ? kUncertain : s == 4800 ? kBad : 0;
      b.AddFloat64(kFloatTag, kStart + s * kSec, ((s * 7919) % 100003) * 0.001, status);
    }
    ASSERT_TRUE(engine_->Append(b).ok());
    ASSERT_TRUE(engine_->Flush().ok());
  }
  const AggregateQuery q{.tags = {kFloatTag}, .from_ns = kStart, .to_ns = kStart + 7200 * kSec - 1,
                         .window = {.width_ns = 10 * kMinute, .offset_ns = 0},
                         .functions = {{AggregateFn::kMean}, {AggregateFn::kCount}}};
  // Buckets come to the filter a run at a time (a read slice's), so a rejected run costs only
  // its own minutes: what is taken is compared with what the default policy takes (all).
  struct Case {
    QualityPolicy policy;
    bool version_one;
  };
  const Case cases[] = {{QualityPolicy::kGoodAndUncertain, false}, {QualityPolicy::kGoodOnly, false},
                        {QualityPolicy::kAll, false},              {QualityPolicy::kGoodAndUncertain, true},
                        {QualityPolicy::kGoodOnly, true},           {QualityPolicy::kAll, true}};
  std::vector<int64_t> taken;
  for (const Case& c : cases) {
    SCOPED_TRACE(std::string(QualityPolicyName(c.policy)) + (c.version_one ? ", version 1" : ""));
    QueryStats got_stats, want_stats;
    const Rows got = c.version_one ? RunQuery(VersionOneSource(*engine_), q, {.quality = c.policy}, &got_stats)
                                   : RunQuery(EngineSource(*engine_), q, {.quality = c.policy}, &got_stats);
    const Rows want = RunQuery(DecodeOnlySource(*engine_), q, {.quality = c.policy}, &want_stats);
    taken.push_back(got_stats.rollup_buckets);
    ASSERT_EQ(want.size(), got.size());
    for (const auto& [key, row] : want) {
      auto it = got.find(key);
      ASSERT_NE(it, got.end());
      ExpectSameRow(row, it->second, q);
    }
    EXPECT_EQ(got.at({kFloatTag, kStart}).state.non_good, 1);
    EXPECT_EQ(got.at({kFloatTag, kStart}).state.bad, 0);
    EXPECT_EQ(got.at({kFloatTag, kStart + 80 * kMinute}).state.bad, 1);
  }
  EXPECT_EQ(taken[0], 120);
  EXPECT_LT(taken[1], 120) << "good only: not the run with the Uncertain minute";
  EXPECT_LT(taken[2], 120) << "all: not the run with the Bad minute";
  for (size_t i = 3; i < 6; ++i) {
    EXPECT_EQ(taken[i], taken[3]) << "version 1: no run with a non-good minute, whatever the policy";
    EXPECT_LT(taken[i], std::min(taken[1], taken[2])) << "version 1: neither the Uncertain nor the Bad run";
  }
}

// A chunk's first minute may begin before the range, and with one window over the range, before
// the window: a bucket of it with nothing folded (all Bad here) must not land in a window before
// the query's first (found by review: it aborted the process).
TEST_F(AggregateRollupTest, ABucketWithNothingFoldedBeforeTheRangeStaysInItsWindow) {
  Open(1'000'000);
  Batch b;
  for (int s = 45; s < 45 + 7200; ++s) {
    b.AddFloat64(kFloatTag, kStart + s * kSec, ((s * 7919) % 100003) * 0.001, s < 60 ? kBad : 0);
  }
  ASSERT_TRUE(engine_->Append(b).ok());
  ASSERT_TRUE(engine_->Flush().ok());
  const int64_t from = kStart + 40 * kSec;
  for (const WindowSpec& window : {WindowSpec{kMaxAbsTimestampNs, from}, WindowSpec{30 * kSec, 10 * kSec}}) {
    AggregateQuery q{.tags = {kFloatTag}, .from_ns = from, .to_ns = kStart + 69 * kSec, .window = window,
                     .functions = {{AggregateFn::kMean}, {AggregateFn::kCount}}};
    if (window.width_ns == kMaxAbsTimestampNs) q.to_ns = kStart + 8000 * kSec;
    QueryStats got_stats, want_stats;
    const Rows got = RunQuery(EngineSource(*engine_), q, {}, &got_stats);
    const Rows want = RunQuery(DecodeOnlySource(*engine_), q, {}, &want_stats);
    EXPECT_GT(got_stats.rollup_buckets, 0) << "the Bad minute came as a bucket";
    ASSERT_EQ(want.size(), got.size());
    for (const auto& [key, row] : want) {
      auto it = got.find(key);
      ASSERT_NE(it, got.end());
      ExpectSameRow(row, it->second, q);
    }
  }
}

}  // namespace
}  // namespace zhizao::query
