#include "storage/encoding/chunk_summary.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <random>

#include "storage/encoding/bits.h"
#include "test_samples.h"

namespace zhizao::storage {
namespace {

constexpr uint32_t kUncertain = 0x40000000;
constexpr uint32_t kBad = 0x80000000;
constexpr double kInf = std::numeric_limits<double>::infinity();
// Every chunk of these tests carries a summary, however small.
constexpr ChunkBuilderOptions kSummarized{.min_summary_samples = 1};

// Random PLC-like floats with NaN, ±Inf and non-good statuses sprinkled in.
SeriesSamples Sprinkled(size_t n, uint32_t seed) {
  std::mt19937 rng(seed);
  std::uniform_real_distribution<double> noise(-5, 5);
  SeriesSamples s = Floats(Regular(n), std::vector<double>(n));
  for (size_t i = 0; i < n; ++i) {
    s.f64[i] = std::round((100 + noise(rng)) * 100) / 100;
    const uint32_t pick = rng() % 100;
    if (pick == 0) s.f64[i] = std::nan("");
    if (pick == 1) s.f64[i] = kInf;
    if (pick == 2) s.status[i] = kUncertain | 0x1234;
    if (pick == 3 || pick == 4) s.status[i] = kBad | 0x10000;
  }
  return s;
}

// The summary's definition, one sample at a time.
ChunkSummary Reference(const SeriesSamples& s) {
  ChunkSummary r;
  double sum_sq = 0;
  for (size_t i = 0; i < s.size(); ++i) {
    ++r.samples;
    if (s.status[i] >> 30 == 1) ++r.uncertain;
    if (s.status[i] >> 30 >= 2) {
      ++r.bad;
      continue;
    }
    const double x = s.type == DataType::kFloat64 ? s.f64[i] : static_cast<double>(s.i64[i]);
    if (std::isnan(x)) continue;
    if (r.count == 0 || x < r.min) r.min = x, r.min_ts = s.ts_ns[i];
    if (r.count == 0 || x > r.max) r.max = x, r.max_ts = s.ts_ns[i];
    if (r.count == 0) r.first = x, r.first_ts = s.ts_ns[i];
    r.last = x, r.last_ts = s.ts_ns[i];
    r.sum += x;
    sum_sq += x * x;
    ++r.count;
  }
  r.m2 = sum_sq - r.sum * r.sum / r.count;  // fine for the test's well-scaled values
  return r;
}

ChunkSummary SummaryOf(const std::string& chunk) {
  Result<ChunkHeader> h = ReadChunkHeader(chunk);
  EXPECT_TRUE(h.ok()) << h.status().ToString();
  EXPECT_TRUE(h->has_summary);
  return h->summary;
}

void ExpectSummary(const ChunkSummary& want, const ChunkSummary& got) {
  EXPECT_EQ(want.samples, got.samples);
  EXPECT_EQ(want.uncertain, got.uncertain);
  EXPECT_EQ(want.bad, got.bad);
  ASSERT_EQ(want.count, got.count);
  EXPECT_EQ(want.min, got.min);
  EXPECT_EQ(want.max, got.max);
  EXPECT_EQ(want.first, got.first);
  EXPECT_EQ(want.last, got.last);
  EXPECT_EQ(want.min_ts, got.min_ts);
  EXPECT_EQ(want.max_ts, got.max_ts);
  EXPECT_EQ(want.first_ts, got.first_ts);
  EXPECT_EQ(want.last_ts, got.last_ts);
  if (std::isfinite(want.sum)) {
    EXPECT_NEAR(want.sum, got.sum, 1e-9 * std::abs(want.sum));
    EXPECT_NEAR(want.m2, got.m2, 1e-6 * (1 + want.m2));
  } else {
    EXPECT_FALSE(std::isfinite(got.sum));
  }
}

TEST(ChunkSummaryTest, SummarizesFloatsLikeAOnePassFoldWhateverTheAppendSizes) {
  for (uint32_t seed = 1; seed <= 20; ++seed) {
    SeriesSamples s = Sprinkled(3000, seed);
    if (seed % 2 == 0) std::replace_if(s.f64.begin(), s.f64.end(), [](double v) { return std::isinf(v); }, 99.5);
    ChunkBuilder b(DataType::kFloat64, kSummarized);
    std::mt19937 rng(seed);
    for (size_t at = 0; at < s.size();) {
      const size_t n = std::min<size_t>(s.size() - at, 1 + rng() % 400);
      b.Append(s, at, at + n);
      at += n;
    }
    ExpectSummary(Reference(s), SummaryOf(b.Finish()));
  }
}

TEST(ChunkSummaryTest, TiesKeepTheEarliestMinAndMaxAndTheLatestLast) {
  SeriesSamples s = Floats(Regular(6), {2, 1, 3, 1, 3, 2});
  ChunkSummary got = SummaryOf(Encode(s, {.block_samples = 2, .min_summary_samples = 1}));
  EXPECT_EQ(got.min_ts, s.ts_ns[1]);
  EXPECT_EQ(got.max_ts, s.ts_ns[2]);
  EXPECT_EQ(got.last_ts, s.ts_ns[5]);
}

TEST(ChunkSummaryTest, IntAndBoolChunksSummarizeTheirValuesAsDoubles) {
  SeriesSamples ints = Ints(DataType::kInt64, Regular(500), std::vector<int64_t>(500));
  SeriesSamples bools = Ints(DataType::kBool, Regular(500), std::vector<int64_t>(500));
  for (size_t i = 0; i < 500; ++i) {
    ints.i64[i] = static_cast<int64_t>(i * 7919 % 1000) - 500;
    bools.i64[i] = i % 3 == 0;
  }
  ints.status[17] = kBad;
  ExpectSummary(Reference(ints), SummaryOf(Encode(ints, kSummarized)));
  ExpectSummary(Reference(bools), SummaryOf(Encode(bools, kSummarized)));
}

TEST(ChunkSummaryTest, ChunkOfOnlyBadOrNanSamplesCountsThemAndFoldsNothing) {
  SeriesSamples s = Floats(Regular(4), {1, std::nan(""), 3, std::nan("")}, {kBad, 0, kBad, kUncertain});
  ChunkSummary got = SummaryOf(Encode(s, kSummarized));
  EXPECT_EQ(got.samples, 4u);
  EXPECT_EQ(got.bad, 2u);
  EXPECT_EQ(got.uncertain, 1u);
  EXPECT_EQ(got.count, 0u);
}

TEST(ChunkSummaryTest, StringChunksCarryNoSummary) {
  SeriesSamples s;
  s.type = DataType::kString;
  s.ts_ns = Regular(3);
  s.status.assign(3, 0);
  s.str = {"a", "b", "c"};
  Result<ChunkHeader> h = ReadChunkHeader(Encode(s, kSummarized));
  ASSERT_TRUE(h.ok()) << h.status().ToString();
  EXPECT_FALSE(h->has_summary);
}

TEST(ChunkSummaryTest, ChunksBelowTheThresholdCarryNoSummaryAndStillDecode) {
  SeriesSamples s = Sprinkled(1023, 3);
  const std::string small = Encode(s);  // the default threshold: 1024 samples
  Result<ChunkHeader> h = ReadChunkHeader(small);
  ASSERT_TRUE(h.ok()) << h.status().ToString();
  EXPECT_EQ(h->format_version, kChunkFormatVersion);
  EXPECT_FALSE(h->has_summary);
  SeriesSamples all;
  ASSERT_TRUE(DecodeChunk(small, &all).ok());
  ExpectSameSamples(s, all);
  EXPECT_TRUE(ReadChunkHeader(Encode(Sprinkled(1024, 3)))->has_summary);
}

TEST(ChunkSummaryTest, Format1ChunksWithoutSummaryStillDecode) {
  SeriesSamples s = Sprinkled(1000, 7);
  ChunkBuilder b(DataType::kFloat64, kSummarized);
  b.Append(s, 0, s.size());
  const std::string old = b.FinishInFormat1ForTest();
  Result<ChunkHeader> h = ReadChunkHeader(old);
  ASSERT_TRUE(h.ok()) << h.status().ToString();
  EXPECT_EQ(h->format_version, kChunkFormatVersionWithoutSummary);
  EXPECT_FALSE(h->has_summary);
  SeriesSamples all, range;
  ASSERT_TRUE(DecodeChunk(old, &all).ok());
  ExpectSameSamples(s, all);
  ASSERT_TRUE(DecodeChunkRange(old, s.ts_ns[10], s.ts_ns[20], &range).ok());
  EXPECT_EQ(range.size(), 11u);
  // The builder starts afresh after either Finish: the next chunk's summary is its own.
  b.Append(s, 0, 10);
  SeriesSamples head = Floats({s.ts_ns.begin(), s.ts_ns.begin() + 10}, {s.f64.begin(), s.f64.begin() + 10},
                              {s.status.begin(), s.status.begin() + 10});
  ExpectSummary(Reference(head), SummaryOf(b.Finish()));
}

TEST(ChunkSummaryTest, DecodeRejectsSummariesInconsistentWithTheirChunk) {
  ChunkSummary s{.samples = 10, .uncertain = 1, .bad = 2, .count = 5, .sum = 1, .min = 0, .max = 1,
                 .first_ts = 100, .last_ts = 190, .min_ts = 120, .max_ts = 150};
  std::string good;
  encoding::EncodeSummary(s, 100, 190, &good);
  ChunkSummary out;
  ASSERT_TRUE(encoding::DecodeSummary(good, 10, 100, 190, &out).ok());
  EXPECT_EQ(out.count, 5u);
  EXPECT_EQ(out.max_ts, 150);
  // More non-good or folded samples than the chunk holds.
  EXPECT_FALSE(encoding::DecodeSummary(good, 6, 100, 190, &out).ok());
  // A time beyond the chunk's span.
  EXPECT_FALSE(encoding::DecodeSummary(good, 10, 100, 140, &out).ok());
  // Trailing bytes and every truncation.
  EXPECT_FALSE(encoding::DecodeSummary(good + '\0', 10, 100, 190, &out).ok());
  for (size_t n = 0; n < good.size(); ++n) {
    EXPECT_FALSE(encoding::DecodeSummary(good.substr(0, n), 10, 100, 190, &out).ok()) << n;
  }
  // A minimum before the first folded sample.
  s.min_ts = 90;
  std::string bad;
  encoding::EncodeSummary(s, 80, 190, &bad);
  EXPECT_FALSE(encoding::DecodeSummary(bad, 10, 80, 190, &out).ok());
}

}  // namespace
}  // namespace zhizao::storage
