#include "storage/internal/series_head.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <random>

#include "storage/internal/merge.h"

namespace zhizao::storage {
namespace {

// Reads a head and its sealed chunks back the way the engine does.
SeriesSamples ReadAll(const SeriesHead& head, const std::vector<StoredChunk>& sealed) {
  std::vector<std::pair<uint64_t, SeriesSamples>> sources;
  for (const StoredChunk& c : sealed) {
    SeriesSamples s;
    s.type = head.type();
    EXPECT_TRUE(DecodeChunkRange(c.bytes, INT64_MIN, INT64_MAX, &s).ok());
    sources.emplace_back(c.seq, std::move(s));
  }
  head.Collect(INT64_MIN, INT64_MAX, sources);
  SeriesSamples out;
  out.type = head.type();
  MergeSources(sources, &out);
  return out;
}

TEST(SeriesHeadTest, InOrderSamplesSealIntoChunksAtTheLimit) {
  SeriesHead head(7, DataType::kFloat64);
  HeadLimits limits{1000, INT64_MAX};
  std::vector<StoredChunk> sealed;
  for (int i = 0; i < 2500; ++i) {
    head.Append(i * 1000, Value::Float64(i * 0.25), "", 0, static_cast<uint64_t>(i + 1), limits, sealed);
  }
  ASSERT_EQ(sealed.size(), 2u);
  EXPECT_EQ(sealed[0].first_ts, 0);
  EXPECT_EQ(sealed[1].first_ts, 1000 * 1000);
  SeriesSamples all = ReadAll(head, sealed);
  ASSERT_EQ(all.size(), 2500u);
  EXPECT_EQ(all.f64[1234], 1234 * 0.25);
  EXPECT_EQ(head.last_ts(), 2499 * 1000);
}

TEST(SeriesHeadTest, ChunksNeverSpanMoreThanTheLimit) {
  SeriesHead head(1, DataType::kInt64);
  HeadLimits limits{100000, 10'000};
  std::vector<StoredChunk> sealed;
  for (int i = 0; i < 100; ++i) head.Append(i * 1000, Value::Int64(i), "", 0, 1, limits, sealed);
  head.SealAll(limits, sealed);
  for (const StoredChunk& c : sealed) {
    ChunkHeader h = *ReadChunkHeader(c.bytes);
    EXPECT_LT(h.last_ts - h.first_ts, 10'000);
  }
  EXPECT_EQ(ReadAll(head, sealed).size(), 100u);
}

// Append reports how much the head's memory changed, so that the engine's gauge follows the
// heads without measuring each: its sum must track memory_bytes() through every kind of append
// (next tick, a value that widens the tail, irregular times, a bad status, late and out-of-order
// samples, block encoding and sealing).
TEST(SeriesHeadTest, AppendReturnsTheChangeOfMemory) {
  std::mt19937_64 rng(11);
  SeriesHead head(3, DataType::kFloat64);
  HeadLimits limits{1000, 3'600'000'000'000};
  std::vector<StoredChunk> sealed;
  auto tracked = static_cast<int64_t>(head.memory_bytes());
  int64_t ts = 1'000'000'000'000;
  for (int i = 0; i < 20'000; ++i) {
    const auto pick = rng() % 100;
    double v = static_cast<double>(rng() % 5000) / 100;
    uint32_t status = 0;
    int64_t at = ts += 1'000'000'000;
    if (pick < 2) v = 1e6 + static_cast<double>(rng() % 1000) / 1000;  // a mantissa that widens
    if (pick >= 2 && pick < 4) at = ts += 7;                             // off the period
    if (pick >= 4 && pick < 5) status = 0x40000000;                      // Uncertain
    if (pick >= 5 && pick < 8) at = ts - static_cast<int64_t>(rng() % 200) * 1'000'000'000;  // late
    tracked += head.Append(at, Value::Float64(v), "", status, static_cast<uint64_t>(i + 1), limits, sealed);
    ASSERT_EQ(tracked, static_cast<int64_t>(head.memory_bytes())) << "after append " << i;
  }
  EXPECT_GT(sealed.size(), 10u);
}

// A head holds memory in proportion to what it holds: 100,000 series written a few times each
// must not cost a full block's buffer each, and a sealed head (every head after a checkpoint)
// keeps no buffer at all.
TEST(SeriesHeadTest, MemoryFollowsWhatTheHeadHolds) {
  HeadLimits limits{8192, INT64_MAX};
  std::vector<StoredChunk> sealed;
  SeriesHead head(3, DataType::kFloat64);
  const size_t empty = head.memory_bytes();
  for (int i = 0; i < 3; ++i) head.Append(i * 1000, Value::Float64(i), "", 0, 1, limits, sealed);
  EXPECT_LE(head.memory_bytes() - empty, 8 * 16u) << "three Good samples take the first, smallest buffer";
  for (int i = 3; i < 1000; ++i) head.Append(i * 1000, Value::Float64(i), "", 0, 1, limits, sealed);
  EXPECT_GT(head.memory_bytes() - empty, 160 * 4u) << "a busy head holds a block's buffer and its encoded blocks";
  head.SealAll(limits, sealed);
  EXPECT_EQ(head.memory_bytes(), empty);
  ASSERT_EQ(sealed.size(), 1u);
  EXPECT_EQ(ReadAll(head, sealed).size(), 1000u);
  head.Append(1'000'000, Value::Float64(1), "", 0, 2, limits, sealed);
  EXPECT_EQ(ReadAll(head, sealed).size(), 1001u) << "a sealed head takes samples again";
}

// The raw buffer leaves statuses out while all are Good; the first other one, in order or
// late, brings them back for every sample, and a read sees each sample's own.
TEST(SeriesHeadTest, RawStatusesAreKeptOnlyOnceOneIsNotGood) {
  HeadLimits limits{8192, INT64_MAX};
  std::vector<StoredChunk> sealed;
  SeriesHead good(1, DataType::kFloat64), mixed(2, DataType::kFloat64);
  for (int i = 0; i < 100; ++i) {
    good.Append(i * 1000, Value::Float64(i), "", 0, 1, limits, sealed);
    mixed.Append(i * 1000, Value::Float64(i), "", i == 60 ? status_codes::kBadSensorFailure : 0, 1, limits, sealed);
  }
  EXPECT_LT(good.memory_bytes(), mixed.memory_bytes());
  EXPECT_EQ(mixed.memory_bytes() - good.memory_bytes(), 128 * 4u) << "a status per raw sample (100, in room for 128)";
  mixed.Append(30'500, Value::Float64(-1), "", status_codes::kUncertain, 2, limits, sealed);  // late
  good.Append(40'500, Value::Float64(-2), "", status_codes::kUncertain, 2, limits, sealed);   // late, first non-Good
  good.Append(50'000, Value::Float64(-3), "", status_codes::kBadSensorFailure, 3, limits, sealed);  // a rewrite
  ASSERT_TRUE(sealed.empty());
  SeriesSamples m = ReadAll(mixed, sealed), g = ReadAll(good, sealed);
  ASSERT_EQ(m.size(), 101u);
  ASSERT_EQ(g.size(), 101u);
  for (size_t i = 0; i < m.size(); ++i) {
    const uint32_t want_m = m.ts_ns[i] == 60'000   ? status_codes::kBadSensorFailure
                            : m.ts_ns[i] == 30'500 ? status_codes::kUncertain
                                                   : 0u;
    EXPECT_EQ(m.status[i], want_m) << "at " << m.ts_ns[i];
    const uint32_t want_g = g.ts_ns[i] == 40'500   ? status_codes::kUncertain
                            : g.ts_ns[i] == 50'000 ? status_codes::kBadSensorFailure
                                                   : 0u;
    EXPECT_EQ(g.status[i], want_g) << "at " << g.ts_ns[i];
  }
  // Encoded into blocks and sealed, the statuses stay.
  for (int i = 100; i < 600; ++i) good.Append(i * 1000, Value::Float64(i), "", 0, 4, limits, sealed);
  good.SealAll(limits, sealed);
  g = ReadAll(good, sealed);
  ASSERT_EQ(g.size(), 601u);
  EXPECT_EQ(g.status[41], status_codes::kUncertain);
  EXPECT_EQ(g.status[51], status_codes::kBadSensorFailure);
  EXPECT_EQ(g.status[600], 0u);
}

// The last write of each timestamp wins, whatever the order of arrival and wherever the
// samples are when read: raw, in blocks, sealed, or in the out-of-order buffer.
TEST(SeriesHeadTest, LastWriteWinsAgainstAReferenceModelOnRandomSequences) {
  std::mt19937_64 rng(20261128);
#if defined(__SANITIZE_ADDRESS__)
  const int kSequences = 100'000;  // a tenth under the sanitizers, which run ten times slower
#else
  const int kSequences = 1'000'000;
#endif
  for (int n = 0; n < kSequences; ++n) {
    SeriesHead head(3, DataType::kInt64);
    HeadLimits limits{static_cast<uint32_t>(1 + rng() % 8), static_cast<int64_t>(1 + rng() % 12)};
    std::vector<StoredChunk> sealed;
    std::map<int64_t, int64_t> model;
    int ops = 1 + static_cast<int>(rng() % 12);
    for (int op = 0; op < ops; ++op) {
      uint64_t seq = static_cast<uint64_t>(op + 1);
      if (rng() % 8 == 0) {
        head.SealAll(limits, sealed);
        continue;
      }
      int64_t ts = static_cast<int64_t>(rng() % 10);
      int64_t v = static_cast<int64_t>(n * 100 + op);
      head.Append(ts, Value::Int64(v), "", 0, seq, limits, sealed);
      model[ts] = v;
    }
    SeriesSamples got = ReadAll(head, sealed);
    ASSERT_EQ(got.size(), model.size()) << "sequence " << n;
    size_t i = 0;
    for (const auto& [ts, v] : model) {
      ASSERT_EQ(got.ts_ns[i], ts) << "sequence " << n;
      ASSERT_EQ(got.i64[i], v) << "sequence " << n << " ts " << ts;
      ++i;
    }
  }
}

// The same, with sequences long enough to encode blocks while late samples (a batch overtaken
// on a parallel connection) and rewrites keep arriving: the reorder tail, block encoding and
// the out-of-order buffer all take part.
TEST(SeriesHeadTest, LastWriteWinsOnLongJitteredSequences) {
  std::mt19937_64 rng(20261129);
#if defined(__SANITIZE_ADDRESS__)
  const int kSequences = 2'000;
#else
  const int kSequences = 20'000;
#endif
  for (int n = 0; n < kSequences; ++n) {
    SeriesHead head(3, DataType::kInt64);
    HeadLimits limits{static_cast<uint32_t>(100 + rng() % 1000), static_cast<int64_t>(200 + rng() % 2000)};
    std::vector<StoredChunk> sealed;
    std::map<int64_t, int64_t> model;
    int ops = 1 + static_cast<int>(rng() % 800);
    int64_t clock = 0;
    for (int op = 0; op < ops; ++op) {
      uint64_t seq = static_cast<uint64_t>(op + 1);
      if (rng() % 500 == 0) {
        head.SealAll(limits, sealed);
        continue;
      }
      clock += 1 + static_cast<int64_t>(rng() % 2);
      int64_t late = rng() % 4 == 0 ? static_cast<int64_t>(rng() % 48) : 0;  // up to 48 behind
      int64_t ts = std::max<int64_t>(0, clock - late);
      int64_t v = static_cast<int64_t>(n) * 1000 + op;
      head.Append(ts, Value::Int64(v), "", 0, seq, limits, sealed);
      model[ts] = v;
    }
    SeriesSamples got = ReadAll(head, sealed);
    ASSERT_EQ(got.size(), model.size()) << "sequence " << n;
    size_t i = 0;
    for (const auto& [ts, v] : model) {
      ASSERT_EQ(got.ts_ns[i], ts) << "sequence " << n;
      ASSERT_EQ(got.i64[i], v) << "sequence " << n << " ts " << ts;
      ++i;
    }
  }
}

TEST(SeriesHeadTest, LateSamplesWithinTheTailStayInTheOpenChunk) {
  SeriesHead head(3, DataType::kFloat64);
  HeadLimits limits{8192, int64_t{1} << 40};
  std::vector<StoredChunk> sealed;
  for (int64_t ts = 0; ts < 1000; ts += 2) head.Append(ts, Value::Float64(1), "", 0, 1, limits, sealed);
  for (int64_t ts = 999; ts > 1000 - 40; ts -= 2) head.Append(ts, Value::Float64(2), "", 0, 2, limits, sealed);
  head.SealAll(limits, sealed);
  ASSERT_EQ(sealed.size(), 1u);  // one in-order chunk, no out-of-order one
  EXPECT_EQ(ReadAll(head, sealed).size(), 520u);
}

TEST(SeriesHeadTest, KeepsStringsAndStatuses) {
  SeriesHead head(9, DataType::kString);
  HeadLimits limits{4, INT64_MAX};
  std::vector<StoredChunk> sealed;
  const char* states[] = {"running", "idle", "down", "setup", "running", "idle"};
  for (int i = 0; i < 6; ++i) {
    head.Append(i, Value::StringAt(0), states[i], i == 2 ? status_codes::kBadSensorFailure : 0, 1, limits, sealed);
  }
  SeriesSamples all = ReadAll(head, sealed);
  ASSERT_EQ(all.size(), 6u);
  EXPECT_EQ(all.str[3], "setup");
  EXPECT_EQ(all.status[2], status_codes::kBadSensorFailure);
  EXPECT_EQ(head.last_str(), "idle");
}

}  // namespace
}  // namespace zhizao::storage
