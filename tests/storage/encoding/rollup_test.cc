// Rollup records: decoded buckets equal the statistics computed from the samples directly, in
// both value modes; damage is reported as Corruption, never as wrong buckets.
#include "storage/encoding/rollup.h"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <map>
#include <random>

#include "common/crc32c.h"
#include "rollup_fuzz_body.h"
#include "storage/encoding/bits.h"
#include "test_samples.h"

namespace zhizao::storage {
namespace {

constexpr int64_t kSec = 1'000'000'000;
constexpr int64_t kMin = 60 * kSec;
constexpr uint32_t kUncertain = 0x40000000;
constexpr uint32_t kBad = 0x80000000;

// The buckets of `s`, computed sample by sample as the query's fold does.
std::vector<RollupBucket> Expected(const SeriesSamples& s) {
  std::map<int64_t, RollupBucket> by_start;
  for (size_t i = 0; i < s.size(); ++i) {
    const int64_t start = (s.ts_ns[i] >= 0 ? s.ts_ns[i] / kMin : (s.ts_ns[i] - kMin + 1) / kMin) * kMin;
    RollupBucket& b = by_start[start];
    b.start_ns = start;
    ++b.samples;
    if (s.status[i] >> 30 != 0) ++b.non_good;
    if ((s.status[i] & kBad) != 0) ++b.bad;
    const double v = s.type == DataType::kFloat64 ? s.f64[i] : static_cast<double>(s.i64[i]);
    if ((s.status[i] & kBad) != 0 || std::isnan(v)) continue;
    const int64_t ts = s.ts_ns[i];
    if (b.count++ == 0) {
      b.first = b.min = b.max = v;
      b.first_ts = b.min_ts = b.max_ts = ts;
    }
    if (v < b.min) b.min = v, b.min_ts = ts;
    if (v > b.max) b.max = v, b.max_ts = ts;
    b.last = v, b.last_ts = ts;
    b.sum += v;
  }
  std::vector<RollupBucket> out;
  for (auto& [start, b] : by_start) out.push_back(b);
  return out;
}

void ExpectBuckets(const SeriesSamples& s, const std::vector<RollupBucket>& got) {
  const std::vector<RollupBucket> want = Expected(s);
  ASSERT_EQ(want.size(), got.size());
  for (size_t i = 0; i < want.size(); ++i) {
    SCOPED_TRACE("bucket " + std::to_string(i));
    const RollupBucket &a = want[i], &b = got[i];
    EXPECT_EQ(a.start_ns, b.start_ns);
    EXPECT_EQ(a.samples, b.samples);
    EXPECT_EQ(a.non_good, b.non_good);
    EXPECT_EQ(a.bad, b.bad);
    EXPECT_TRUE(b.bad_counted);
    ASSERT_EQ(a.count, b.count);
    if (a.count == 0) continue;
    EXPECT_EQ(a.first, b.first);
    EXPECT_EQ(a.last, b.last);
    EXPECT_EQ(a.min, b.min);
    EXPECT_EQ(a.max, b.max);
    EXPECT_EQ(a.first_ts, b.first_ts);
    EXPECT_EQ(a.last_ts, b.last_ts);
    EXPECT_EQ(a.min_ts, b.min_ts);
    EXPECT_EQ(a.max_ts, b.max_ts);
    if (std::isfinite(a.sum)) {
      EXPECT_NEAR(a.sum, b.sum, 1e-9 * std::max(1.0, std::abs(a.sum)));
    } else {
      EXPECT_TRUE(std::isnan(a.sum) ? std::isnan(b.sum) : a.sum == b.sum);
    }
  }
}

std::string Roundtrip(const SeriesSamples& s, std::vector<RollupBucket>* buckets) {
  std::string record;
  EXPECT_TRUE(encoding::EncodeRollup(s, SIZE_MAX, &record));
  Status st = encoding::DecodeRollup(record, static_cast<uint32_t>(s.size()), s.ts_ns.front(), s.ts_ns.back(), buckets);
  EXPECT_TRUE(st.ok()) << st.ToString();
  return record;
}

// 1 s samples with gaps, jitter, NaN, ±Inf (optional), Uncertain and Bad samples.
SeriesSamples RandomFloats(std::mt19937_64& rng, size_t n, bool infinities, int64_t start) {
  SeriesSamples s = Floats({}, {});
  int64_t ts = start;
  double v = 20;
  for (size_t i = 0; i < n; ++i) {
    ts += rng() % 50 == 0 ? static_cast<int64_t>(rng() % 600) * kSec : kSec + static_cast<int64_t>(rng() % 3) * 1000;
    v += static_cast<double>(static_cast<int>(rng() % 21) - 10) / 100;
    double x = std::round(v * 100) / 100;
    const uint64_t pick = rng() % 100;
    if (pick == 0) x = std::numeric_limits<double>::quiet_NaN();
    if (infinities && pick == 1) x = rng() % 2 == 0 ? INFINITY : -INFINITY;
    s.ts_ns.push_back(ts);
    s.f64.push_back(x);
    s.status.push_back(pick == 2 ? kUncertain : pick == 3 ? kBad : 0);
  }
  return s;
}

TEST(RollupTest, DecimalBucketsMatchTheSamples) {
  std::mt19937_64 rng(7);
  for (int round = 0; round < 20; ++round) {
    const SeriesSamples s = RandomFloats(rng, 7200, false, 1'700'000'000 * kSec + round * 7777 * kSec);
    std::vector<RollupBucket> buckets;
    const std::string record = Roundtrip(s, &buckets);
    EXPECT_NE(static_cast<uint8_t>(record[1]), 0xff) << "decimal values";
    ExpectBuckets(s, buckets);
  }
}

// Every sample folded (no Bad, no NaN: the common chunk) takes the encoder's shorter path.
TEST(RollupTest, ChunksOfGoodSamplesOnlyMatchTheSamples) {
  std::mt19937_64 rng(11);
  for (int round = 0; round < 5; ++round) {
    SeriesSamples s = RandomFloats(rng, 5000, false, -1800 * kSec + round * 3333 * kSec);
    for (size_t i = 0; i < s.size(); ++i) {
      if (std::isnan(s.f64[i])) s.f64[i] = 1.25;
      s.status[i] = 0;
    }
    std::vector<RollupBucket> buckets;
    const std::string record = Roundtrip(s, &buckets);
    EXPECT_NE(static_cast<uint8_t>(record[1]), 0xff) << "decimal values";
    ExpectBuckets(s, buckets);
  }
}

TEST(RollupTest, NonDecimalValuesRoundTripAsDoubles) {
  std::mt19937_64 rng(8);
  SeriesSamples s = RandomFloats(rng, 3000, true, -3600 * kSec);  // before 1970 too
  std::vector<RollupBucket> buckets;
  std::string record = Roundtrip(s, &buckets);
  EXPECT_EQ(static_cast<uint8_t>(record[1]), 0xff) << "±Inf are not decimal";
  ExpectBuckets(s, buckets);
  for (double& x : s.f64) x = std::sin(x);
  record = Roundtrip(s, &buckets);
  ExpectBuckets(s, buckets);
}

TEST(RollupTest, IntegerAndBoolBucketsMatchTheSamples) {
  std::mt19937_64 rng(9);
  std::vector<int64_t> ints, bools;
  for (int i = 0; i < 5000; ++i) {
    ints.push_back(static_cast<int64_t>(rng() % 2000) - 1000);
    bools.push_back(static_cast<int64_t>(rng() % 2));
  }
  std::vector<RollupBucket> buckets;
  SeriesSamples s = Ints(DataType::kInt64, Regular(5000, 1'700'000'000 * kSec, 500'000'000), ints);
  Roundtrip(s, &buckets);
  ExpectBuckets(s, buckets);
  s = Ints(DataType::kBool, Regular(5000), bools);
  Roundtrip(s, &buckets);
  ExpectBuckets(s, buckets);
}

TEST(RollupTest, SparseAndStringChunksGetNone) {
  std::string record;
  // One sample every 20 s: 3 per bucket, fewer than a bucket is worth.
  EXPECT_FALSE(encoding::EncodeRollup(Floats(Regular(300, 0, 20 * kSec), std::vector<double>(300, 1.5)), SIZE_MAX, &record));
  SeriesSamples text;
  text.type = DataType::kString;
  text.ts_ns = Regular(300);
  text.status.assign(300, 0);
  text.str.assign(300, "on");
  EXPECT_FALSE(encoding::EncodeRollup(text, SIZE_MAX, &record));
  EXPECT_TRUE(record.empty());
  EXPECT_TRUE(encoding::EncodeRollup(Floats(Regular(300, 0, 10 * kSec), std::vector<double>(300, 1.5)), SIZE_MAX, &record));
}

TEST(RollupTest, ChunkOverItsBudgetGetsNone) {
  // A temperature at 1 s with two decimals and noise.
  std::mt19937_64 rng(10);
  SeriesSamples s = Floats(Regular(7200), {});
  double v = 80;
  for (size_t i = 0; i < 7200; ++i) {
    v += std::normal_distribution<double>(0, 0.05)(rng);
    s.f64.push_back(std::round(v * 100) / 100);
  }
  std::string record = "kept";
  ASSERT_TRUE(encoding::EncodeRollup(s, SIZE_MAX, &record));
  const size_t size = record.size() - 4;
  EXPECT_LT(size, 120u * 10) << "a few bytes per bucket";
  record = "kept";
  EXPECT_TRUE(encoding::EncodeRollup(s, size, &record));
  record = "kept";
  EXPECT_FALSE(encoding::EncodeRollup(s, size - 1, &record));
  EXPECT_EQ(record, "kept");
}

std::string FromHex(std::string_view hex) {
  std::string out;
  for (size_t i = 0; i + 1 < hex.size(); i += 2) {
    out.push_back(static_cast<char>(std::stoi(std::string(hex.substr(i, 2)), nullptr, 16)));
  }
  return out;
}

// Written by the version-1 encoder (before the `bad` column) from RandomFloats(rng(21), 240,
// false, 1.7e9 s): a data directory of that time is still read, and where a bucket held
// non-good samples its bad count is known to be unknown.
TEST(RollupTest, VersionOneRecordsStillDecode) {
  const std::string record = FromHex(
    "0102e8070b0b090000043008589090000c00040613100880a6732db700060000020060040500000188022a06001cfae3"
    "c32b020961b4ddd992470018fb0c52c54cfc85326402cd6821ff252b9940574ec98d582e012805aeb48913184cad1e2a"
    "48e8d18fd06340420fe2d465a0102434261d4e5293d98081cc064c6536002700001ad3e1e40000003048e881b0710b00"
    "000074f36ff6c61927165e5f65a5ae02000080fcac06220500160909bd83845e4042af00003090d00b000090d1124305"
    "121ac8f2b302860e2712058c1f07000000809ba281918087888d980c0d0551066acb54cd5c41832d426b0a0600024912"
    "008064e0060900000400200080c6001206cd01099d35154f172302f78812b2545851e32bc19a");
  ASSERT_EQ(record[0], 1);
  std::mt19937_64 rng(21);
  const SeriesSamples s = RandomFloats(rng, 240, false, 1'700'000'000 * kSec);
  std::vector<RollupBucket> got;
  const Status st = encoding::DecodeRollup(record, 240, s.ts_ns.front(), s.ts_ns.back(), &got);
  ASSERT_TRUE(st.ok()) << st.ToString();
  const std::vector<RollupBucket> want = Expected(s);
  ASSERT_EQ(want.size(), got.size());
  int uncounted = 0;
  for (size_t i = 0; i < want.size(); ++i) {
    EXPECT_EQ(want[i].non_good, got[i].non_good);
    EXPECT_EQ(got[i].bad, 0u);
    EXPECT_EQ(got[i].bad_counted, want[i].non_good == 0);
    uncounted += got[i].bad_counted ? 0 : 1;
    EXPECT_EQ(want[i].count, got[i].count);
    EXPECT_EQ(want[i].last, got[i].last);
  }
  EXPECT_GT(uncounted, 0) << "the fixture should hold a bucket with non-good samples";
}

TEST(RollupTest, EveryByteFlipIsCorruption) {
  std::mt19937_64 rng(11);
  const SeriesSamples s = RandomFloats(rng, 600, false, 0);
  std::string record;
  ASSERT_TRUE(encoding::EncodeRollup(s, SIZE_MAX, &record));
  std::vector<RollupBucket> buckets;
  for (size_t at = 0; at < record.size(); ++at) {
    std::string bad = record;
    bad[at] = static_cast<char>(bad[at] ^ 0x10);
    const Status st = encoding::DecodeRollup(bad, 600, s.ts_ns.front(), s.ts_ns.back(), &buckets);
    EXPECT_EQ(st.code(), StatusCode::kCorruption) << "byte " << at;
    EXPECT_TRUE(buckets.empty());
  }
  // The right bytes for another chunk: the counts and times disagree with it.
  EXPECT_FALSE(encoding::DecodeRollup(record, 601, s.ts_ns.front(), s.ts_ns.back(), &buckets).ok());
  EXPECT_FALSE(encoding::DecodeRollup(record, 600, s.ts_ns.front() + kMin, s.ts_ns.back(), &buckets).ok());
  EXPECT_FALSE(encoding::DecodeRollup(record.substr(0, record.size() - 1), 600, s.ts_ns.front(), s.ts_ns.back(),
                                      &buckets).ok());
}

// Mutations with the checksum recomputed, so that the codec's checks (not the CRC) must
// catch them: the fuzz body aborts if a decode succeeds with inconsistent buckets.
TEST(RollupTest, MutatedRecordsWithValidChecksumsNeverDecodeInconsistently) {
  std::mt19937_64 rng(12);
  for (int round = 0; round < 3000; ++round) {
    const SeriesSamples s = RandomFloats(rng, 200 + rng() % 400, round % 2 == 0, static_cast<int64_t>(rng() % 1000) * kSec);
    std::string record;
    ASSERT_TRUE(encoding::EncodeRollup(s, SIZE_MAX, &record));
    for (int e = 0; e < 1 + static_cast<int>(rng() % 3); ++e) {
      const size_t at = rng() % (record.size() - 4);
      record[at] = static_cast<char>(rng() % 3 == 0 ? rng() : record[at] ^ (1 << (rng() % 8)));
    }
    std::string input(16, '\0');
    const uint32_t count = static_cast<uint32_t>(s.size());
    const int64_t first = s.ts_ns.front();
    const uint32_t span_ms = static_cast<uint32_t>((s.ts_ns.back() - first) / 1'000'000);
    std::memcpy(input.data(), &count, 4);
    std::memcpy(input.data() + 4, &first, 8);
    std::memcpy(input.data() + 12, &span_ms, 4);
    input += record;
    FuzzRollupDecode(reinterpret_cast<const uint8_t*>(input.data()), input.size());
  }
  for (int round = 0; round < 3000; ++round) {
    std::string input(rng() % 200, '\0');
    for (char& c : input) c = static_cast<char>(rng());
    FuzzRollupDecode(reinterpret_cast<const uint8_t*>(input.data()), input.size());
  }
}

}  // namespace
}  // namespace zhizao::storage
