#include "storage/encoding/chunk.h"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <random>

#include "test_samples.h"

namespace zhizao::storage {
namespace {

constexpr double kInf = std::numeric_limits<double>::infinity();

SeriesSamples PlcFloats(size_t n, int decimals, uint64_t seed = 1) {
  std::mt19937_64 rng(seed);
  std::normal_distribution<double> noise(0, 5);
  std::vector<double> v(n);
  for (size_t i = 0; i < n; ++i) {
    double x = 6000 + 800 * std::sin(static_cast<double>(i) / 50) + noise(rng);
    v[i] = std::stod(std::to_string(std::llround(x)) + "e-" + std::to_string(decimals));
  }
  return Floats(Regular(n), std::move(v));
}

TEST(ChunkTest, RoundTripsPlcFloatsCompactly) {
  SeriesSamples s = PlcFloats(3600, 2);
  ExpectRoundTrip(s);
  // White noise of 5 units on a steep trend costs ~6 bits a sample; raw doubles and
  // timestamps cost 128.
  EXPECT_LT(Encode(s).size(), 3600u * 7 / 8);
}

TEST(ChunkTest, RoundTripsNoisyBlocksWithOutliers) {
  // Rice-coded blocks whose outliers take the escape, at every block size.
  SeriesSamples s = PlcFloats(2000, 2, 4);
  for (size_t i = 0; i < s.size(); i += 97) s.f64[i] += (i % 2 == 0 ? 1e6 : -3e9);
  std::vector<int64_t> ints(2000);
  std::mt19937_64 rng(8);
  for (size_t i = 0; i < ints.size(); ++i) ints[i] = static_cast<int64_t>(rng() % 64) + (i % 50 == 0 ? INT64_MIN / 3 : 0);
  for (size_t block : {size_t{7}, size_t{128}, size_t{1024}}) {
    ExpectRoundTrip(s, {.block_samples = block});
    ExpectRoundTrip(Ints(DataType::kInt64, Regular(ints.size()), ints), {.block_samples = block});
  }
}

TEST(ChunkTest, ConstantPeriodTimestampsCostNothingPerBlock) {
  SeriesSamples s = Floats(Regular(1024), std::vector<double>(1024, 1.5));
  const std::string chunk = Encode(s);
  // Blocks and checksum, after the header and its summary: ~7 bytes per block of 128, 0.05 bits a sample.
  EXPECT_LT(chunk.size() - ReadChunkHeader(chunk)->header_bytes, 64u);
  ExpectRoundTrip(s);
}

TEST(ChunkTest, RoundTripsSpecialFloatsBitExactly) {
  std::vector<double> v = {0.0, -0.0, kInf, -kInf, std::numeric_limits<double>::quiet_NaN(),
                           std::bit_cast<double>(uint64_t{0x7ff0000000000001}), std::bit_cast<double>(uint64_t{0xfff8dead00000000}),
                           std::numeric_limits<double>::denorm_min(), std::numeric_limits<double>::max(),
                           std::numeric_limits<double>::lowest(), 1.0 / 3.0, 0.1 + 0.2, 12.5};
  ExpectRoundTrip(Floats(Regular(v.size()), v));
  // The same values mixed into decimal blocks of small size exercise the XOR fallback per block.
  std::vector<double> mixed;
  for (int i = 0; i < 40; ++i) mixed.push_back(i % 7 == 0 ? v[static_cast<size_t>(i) % v.size()] : 20.0 + i * 0.25);
  ExpectRoundTrip(Floats(Regular(mixed.size()), mixed), {.block_samples = 8});
}

TEST(ChunkTest, RoundTripsDecimalsThatAreNotExact) {
  std::mt19937_64 rng(3);
  std::uniform_real_distribution<double> u(-1e6, 1e6);
  std::vector<double> v(500);
  for (auto& x : v) x = u(rng);
  v[10] = 0.1 * 3;  // 0.30000000000000004: mul-style decimal, not div
  v[11] = 1e300;
  v[12] = 123456789.123456789;
  ExpectRoundTrip(Floats(Regular(v.size()), v));
}

TEST(ChunkTest, RoundTripsMultipliedDecimals) {
  std::vector<double> v;
  for (int i = 0; i < 300; ++i) v.push_back(static_cast<double>(2000 + i % 17) * 0.1);  // 200.10000000000002 ...
  ExpectRoundTrip(Floats(Regular(v.size()), v));
  EXPECT_LT(Encode(Floats(Regular(v.size()), v)).size(), 300u);
}

TEST(ChunkTest, RoundTripsOneSample) {
  ExpectRoundTrip(Floats({-5}, {42.0}));
  ExpectRoundTrip(Ints(DataType::kInt64, {INT64_MAX}, {INT64_MIN}));
}

TEST(ChunkTest, RoundTripsMaxSizeBlocksAndLargeChunks) {
  SeriesSamples s = PlcFloats(100'000, 3);
  ExpectRoundTrip(s, {.block_samples = encoding::kMaxBlockSamples});
  ExpectRoundTrip(s, {.block_samples = 1});
}

TEST(ChunkTest, RoundTripsIrregularNegativeAndHugeTimestamps) {
  std::vector<int64_t> ts = {INT64_MIN, INT64_MIN + 1, -1'000'000, -1, 0, 1, 7, 1'000'000'007, INT64_MAX - 1, INT64_MAX};
  std::vector<double> v(ts.size(), 1.0);
  ExpectRoundTrip(Floats(ts, v));
  ExpectRoundTrip(Floats(ts, v), {.block_samples = 3});
  std::mt19937_64 rng(5);
  std::vector<int64_t> jitter = {0};
  for (int i = 1; i < 1000; ++i) jitter.push_back(jitter.back() + 1 + static_cast<int64_t>(rng() % 5'000'000));
  ExpectRoundTrip(Floats(jitter, std::vector<double>(jitter.size(), 2.0)));
}

TEST(ChunkTest, RoundTripsInt64ExtremesWithoutOverflow) {
  std::vector<int64_t> v = {INT64_MIN, INT64_MAX, 0, INT64_MIN, -1, INT64_MAX, INT64_MAX, INT64_MIN + 1, 5, 6, 7};
  ExpectRoundTrip(Ints(DataType::kInt64, Regular(v.size()), v));
  ExpectRoundTrip(Ints(DataType::kInt64, Regular(v.size()), v), {.block_samples = 2});
  std::vector<int64_t> counter(5000);
  for (size_t i = 0; i < counter.size(); ++i) counter[i] = INT64_MAX - 10'000 + static_cast<int64_t>(i * 2);
  ExpectRoundTrip(Ints(DataType::kInt64, Regular(counter.size()), counter));
}

TEST(ChunkTest, RoundTripsBoolsAndStrings) {
  std::vector<int64_t> b(1000);
  for (size_t i = 0; i < b.size(); ++i) b[i] = (i / 37) % 2;
  ExpectRoundTrip(Ints(DataType::kBool, Regular(b.size()), b));
  SeriesSamples s;
  s.type = DataType::kString;
  s.ts_ns = Regular(300);
  s.status.assign(300, 0);
  for (int i = 0; i < 300; ++i) s.str.push_back(i % 3 == 0 ? "" : std::string(static_cast<size_t>(i), 'x') + "\0y");
  ExpectRoundTrip(s);
  ExpectRoundTrip(s, {.block_samples = 1000});
}

TEST(ChunkTest, RoundTripsNonGoodStatusesAndKeepsAllGoodBlocksFree) {
  SeriesSamples s = PlcFloats(1000, 1);
  std::string good = Encode(s);
  for (size_t i = 300; i < 420; ++i) s.status[i] = status_codes::kBadCommunicationError;
  s.status[5] = status_codes::kUncertain;
  s.status[999] = UINT32_MAX;
  ExpectRoundTrip(s);
  EXPECT_LT(Encode(s).size(), good.size() + 60);
  std::fill(s.status.begin(), s.status.end(), status_codes::kBadSensorFailure);
  ExpectRoundTrip(s);
}

TEST(ChunkTest, ManySmallAppendsDecodeLikeOneBigAppend) {
  SeriesSamples s = PlcFloats(2000, 2);
  ChunkBuilder b(DataType::kFloat64);
  std::mt19937_64 rng(9);
  for (size_t at = 0; at < s.size();) {
    size_t n = std::min<size_t>(s.size() - at, 1 + rng() % 200);
    b.Append(s, at, at + n);
    at += n;
  }
  EXPECT_EQ(b.sample_count(), s.size());
  EXPECT_EQ(b.first_ts(), s.ts_ns.front());
  EXPECT_EQ(b.last_ts(), s.ts_ns.back());
  SeriesSamples out;
  ASSERT_TRUE(DecodeChunk(b.Finish(), &out).ok());
  ExpectSameSamples(s, out);
  EXPECT_EQ(b.sample_count(), 0u);
}

TEST(ChunkTest, UnsealedBlocksDecodeForHeadQueries) {
  SeriesSamples s = PlcFloats(1000, 2);
  ChunkBuilder b(DataType::kFloat64);
  b.Append(s, 0, 700);
  SeriesSamples out;
  ChunkIterator it = ChunkIterator::OverBlocks(b.type(), b.first_ts(), b.blocks());
  while (!it.done()) ASSERT_TRUE(it.Next(&out).ok());
  ASSERT_EQ(out.size(), 700u);
  EXPECT_EQ(out.ts_ns.back(), s.ts_ns[699]);
  EXPECT_EQ(out.f64.back(), s.f64[699]);
}

TEST(ChunkTest, HeaderReportsTypeCountAndRange) {
  SeriesSamples s = PlcFloats(300, 2);
  auto h = ReadChunkHeader(Encode(s));
  ASSERT_TRUE(h.ok()) << h.status().ToString();
  EXPECT_EQ(h->format_version, kChunkFormatVersion);
  EXPECT_EQ(h->type, DataType::kFloat64);
  EXPECT_EQ(h->count, 300u);
  EXPECT_EQ(h->first_ts, s.ts_ns.front());
  EXPECT_EQ(h->last_ts, s.ts_ns.back());
}

TEST(ChunkTest, RangeDecodeReturnsExactlyTheSamplesInRange) {
  std::mt19937_64 rng(11);
  std::vector<int64_t> ts = {-50};
  for (int i = 1; i < 3000; ++i) ts.push_back(ts.back() + 1 + static_cast<int64_t>(rng() % 3));
  SeriesSamples s = Ints(DataType::kInt64, ts, ts);
  std::string chunk = Encode(s, {.block_samples = 64});
  for (int trial = 0; trial < 300; ++trial) {
    int64_t from = ts.front() - 5 + static_cast<int64_t>(rng() % 7000);
    int64_t to = from + static_cast<int64_t>(rng() % 500) - 20;
    SeriesSamples out;
    ASSERT_TRUE(DecodeChunkRange(chunk, from, to, &out).ok());
    std::vector<int64_t> want;
    for (int64_t t : ts) {
      if (t >= from && t <= to) want.push_back(t);
    }
    ASSERT_EQ(out.ts_ns, want) << from << ".." << to;
    ASSERT_EQ(out.i64, want);
  }
}

TEST(ChunkTest, DecodeAppendsAndRejectsAnotherType) {
  std::string chunk = Encode(PlcFloats(10, 1));
  SeriesSamples out = PlcFloats(3, 1);
  ASSERT_TRUE(DecodeChunk(chunk, &out).ok());
  EXPECT_EQ(out.size(), 13u);
  SeriesSamples ints = Ints(DataType::kInt64, {1}, {1});
  EXPECT_EQ(DecodeChunk(chunk, &ints).code(), StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace zhizao::storage
