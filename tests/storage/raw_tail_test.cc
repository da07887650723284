// The raw tail of a head: samples in time order whatever the arrival, the last write of a
// timestamp winning; timestamps in 2 or 4 bytes while a 16- or 32-bit multiple of a unit holds
// them, in 8 otherwise, and back once what remains allows; numbers likewise.
#include "storage/internal/raw_tail.h"

#include <gtest/gtest.h>

#include <bit>
#include <cmath>
#include <limits>
#include <map>
#include <random>

namespace zhizao::storage {
namespace {

constexpr int64_t kSecond = 1'000'000'000;

SeriesSamples All(const RawTail& tail, DataType type = DataType::kFloat64) {
  SeriesSamples out;
  out.type = type;
  tail.CopyPrefix(tail.size(), &out);
  return out;
}

TEST(TwoWidthColumnTest, WidensForAValueThatDoesNotFitAndNarrowsOnceItLeft) {
  TwoWidthColumn<int32_t, int16_t> column;
  for (int32_t v : {0, -32768, 32767, 5}) column.push_back(v);
  EXPECT_EQ(column.capacity_bytes(), column.size() * 2) << "every value fits 16 bits";
  column.insert(1, 40000);
  EXPECT_EQ(column.capacity_bytes() % 4, 0u);
  EXPECT_GE(column.capacity_bytes(), 5 * 4u);
  column.set(0, -70000);
  column.Transform([](int32_t v) { return v - 1; });
  std::vector<int32_t> got;
  for (size_t i = 0; i < column.size(); ++i) got.push_back(column[i]);
  EXPECT_EQ(got, (std::vector<int32_t>{-70001, 39999, -32769, 32766, 4}));
  column.erase_prefix(3);
  column.TryNarrow(8);
  EXPECT_EQ(column.capacity_bytes(), 8 * 2u) << "32766 and 4 fit 16 bits again";
  EXPECT_EQ(column.front(), 32766);
  EXPECT_EQ(column.back(), 4);
  TwoWidthColumn<uint32_t, uint16_t> slots;
  slots.push_back(65535);
  slots.push_back(65536);
  EXPECT_EQ(slots.back(), 65536u);
  slots.Release();
  EXPECT_EQ(slots.capacity_bytes(), 0u);
}

TEST(RawTailTest, ARegularSeriesTakesTwoBytesATimestampAndAPlcValueTwo) {
  RawTail tail(DataType::kFloat64);
  const int64_t t0 = 1'764'460'800 * kSecond;  // 2025-11-30
  for (int i = 0; i < 128; ++i) tail.PushBack(t0 + i * kSecond, Value::Float64(i * 0.5), "", 0);
  EXPECT_EQ(tail.memory_bytes(), 128 * (2 + 2u)) << "a 16-bit slot and mantissa per sample, no status";
  SeriesSamples all = All(tail);
  ASSERT_EQ(all.size(), 128u);
  for (int i = 0; i < 128; ++i) {
    EXPECT_EQ(all.ts_ns[i], t0 + i * kSecond);
    EXPECT_EQ(all.f64[i], i * 0.5);
    EXPECT_EQ(all.status[i], 0u);
  }
}

TEST(RawTailTest, MillisecondStampsWithJitterStayNarrowAndNanosecondJitterGoesWide) {
  RawTail ms(DataType::kFloat64), ns(DataType::kFloat64);
  std::mt19937_64 rng(3);
  std::uniform_int_distribution<int64_t> jitter(-20, 20);
  const int64_t t0 = 1'764'460'800 * kSecond;
  for (int i = 0; i < 128; ++i) {
    ms.PushBack(t0 + i * kSecond + jitter(rng) * 1'000'000, Value::Float64(i), "", 0);
    ns.PushBack(t0 + i * kSecond + jitter(rng) * 1'000'000 + 1 + i % 7, Value::Float64(i), "", 0);
  }
  EXPECT_EQ(ms.memory_bytes(), 128 * (4 + 2u)) << "the unit falls to 1 ms: 160 s fit 32 bits";
  EXPECT_GE(ns.memory_bytes(), 128 * (8 + 2u)) << "1 ns over 128 s does not fit 32 bits";
  SeriesSamples a = All(ns);
  for (size_t i = 1; i < a.size(); ++i) EXPECT_LT(a.ts_ns[i - 1], a.ts_ns[i]);
  // Once the jittered samples left, the tail is narrow again.
  ns.DropPrefix(127);
  for (int i = 0; i < 20; ++i) ns.PushBack(t0 + (200 + i) * kSecond, Value::Float64(i), "", 0);
  ns.DropPrefix(1);
  EXPECT_LT(ns.memory_bytes(), 128 * (8 + 2u));
  EXPECT_EQ(ns.front_ts(), t0 + 200 * kSecond);
  EXPECT_EQ(ns.back_ts(), t0 + 219 * kSecond);
}

TEST(RawTailTest, ALateSampleBeforeTheFirstMovesTheBaseAndAFinerOneTheUnit) {
  RawTail tail(DataType::kInt64);
  const int64_t t0 = 1000 * kSecond;
  for (int i = 0; i < 10; ++i) tail.PushBack(t0 + i * kSecond, Value::Int64(i), "", 0);
  tail.Insert(t0 - 3 * kSecond, Value::Int64(-3), "", 0);    // before the base
  tail.Insert(t0 + 2500'000'000, Value::Int64(25), "", 0);   // between two, off the 1 s grid
  tail.Insert(t0 + 4 * kSecond, Value::Int64(40), "", status_codes::kUncertain);  // a rewrite
  SeriesSamples all = All(tail, DataType::kInt64);
  ASSERT_EQ(all.size(), 12u);
  EXPECT_EQ(all.ts_ns[0], t0 - 3 * kSecond);
  EXPECT_EQ(all.i64[0], -3);
  EXPECT_EQ(all.ts_ns[4], t0 + 2500'000'000);
  EXPECT_EQ(all.i64[4], 25);
  EXPECT_EQ(all.ts_ns[6], t0 + 4 * kSecond);
  EXPECT_EQ(all.i64[6], 40);
  EXPECT_EQ(all.status[6], status_codes::kUncertain);
  EXPECT_EQ(all.status[5], 0u);
  for (size_t i = 1; i < all.size(); ++i) EXPECT_LT(all.ts_ns[i - 1], all.ts_ns[i]);
}

TEST(RawTailTest, TimestampsAtTheEdgesOfThirtyTwoBitsWiden) {
  RawTail tail(DataType::kFloat64);
  tail.PushBack(0, Value::Float64(0), "", 0);
  tail.PushBack(1, Value::Float64(1), "", 0);                       // unit 1 ns
  tail.PushBack(int64_t{4'294'967'295}, Value::Float64(2), "", 0);  // slot 2^32 - 1: still fits
  tail.PushBack(int64_t{4'294'967'296}, Value::Float64(3), "", 0);  // one more: wide
  SeriesSamples all = All(tail);
  ASSERT_EQ(all.size(), 4u);
  EXPECT_EQ(all.ts_ns[2], 4'294'967'295);
  EXPECT_EQ(all.ts_ns[3], 4'294'967'296);
  EXPECT_EQ(all.f64[3], 3);
}

TEST(RawTailTest, AFirstSampleThatIsNotGoodKeepsItsStatus) {
  RawTail tail(DataType::kFloat64);
  tail.PushBack(5, Value::Float64(1), "", status_codes::kBadSensorFailure);
  tail.PushBack(6, Value::Float64(2), "", 0);
  SeriesSamples all = All(tail);
  ASSERT_EQ(all.size(), 2u);
  EXPECT_EQ(all.status[0], status_codes::kBadSensorFailure);
  EXPECT_EQ(all.status[1], 0u);
  tail.DropPrefix(1);
  EXPECT_EQ(tail.memory_bytes(), 8 * (2 + 2u)) << "all Good again: the statuses are dropped";
}

// Numbers come back as the very doubles written: 16- or 32-bit decimal mantissas only where exact.
TEST(RawTailTest, NumbersAreNarrowOnlyWhereTheyComeBackBitForBit) {
  RawTail tail(DataType::kFloat64);
  const std::vector<double> narrow = {75.29, 0.5, -12.125, 3, 2147.483, -0.001, 0.007};  // one exponent: 3
  for (size_t i = 0; i < narrow.size(); ++i) tail.PushBack(int64_t(i), Value::Float64(narrow[i]), "", 0);
  EXPECT_EQ(tail.memory_bytes(), 8 * (2 + 4u)) << "2147483 (2147.483) takes a mantissa of 32 bits";
  const std::vector<double> wide = {0.1 + 0.2, -0.0, std::numeric_limits<double>::quiet_NaN(),
                                    std::numeric_limits<double>::infinity(), 3e12, 1e-10, 5e-324};
  for (size_t i = 0; i < wide.size(); ++i) tail.PushBack(int64_t(100 + i), Value::Float64(wide[i]), "", 0);
  EXPECT_GE(tail.memory_bytes(), 14 * (2 + 8u));
  SeriesSamples all = All(tail);
  ASSERT_EQ(all.size(), narrow.size() + wide.size());
  for (size_t i = 0; i < all.size(); ++i) {
    const double want = i < narrow.size() ? narrow[i] : wide[i - narrow.size()];
    EXPECT_EQ(std::bit_cast<uint64_t>(all.f64[i]), std::bit_cast<uint64_t>(want)) << "sample " << i;
  }
  tail.DropPrefix(all.size() - 1);
  tail.PushBack(1000, Value::Float64(1.5), "", 0);
  tail.DropPrefix(1);  // the subnormal leaves: narrow again
  EXPECT_EQ(tail.memory_bytes(), 16 * (2 + 2u));
  EXPECT_EQ(All(tail).f64.at(0), 1.5);

  RawTail ints(DataType::kInt64);
  ints.PushBack(0, Value::Int64(-2147483647), "", 0);
  ints.PushBack(1, Value::Int64(int64_t{1} << 40), "", 0);  // beyond 32 bits: wide
  SeriesSamples i = All(ints, DataType::kInt64);
  EXPECT_EQ(i.i64, (std::vector<int64_t>{-2147483647, int64_t{1} << 40}));
  RawTail bools(DataType::kBool);
  bools.PushBack(0, Value::Bool(true), "", 0);
  bools.PushBack(1, Value::Bool(false), "", 0);
  EXPECT_EQ(All(bools, DataType::kBool).i64, (std::vector<int64_t>{1, 0}));
}

TEST(RawTailTest, CopyRangeReadsTheSamplesWithinItsBounds) {
  RawTail tail(DataType::kString);
  for (int i = 0; i < 10; ++i) tail.PushBack(i * 10, Value::StringAt(0), std::string(1, char('a' + i)), 0);
  SeriesSamples out;
  out.type = DataType::kString;
  tail.CopyRange(25, 60, &out);
  ASSERT_EQ(out.size(), 4u);
  EXPECT_EQ(out.ts_ns.front(), 30);
  EXPECT_EQ(out.str.front(), "d");
  EXPECT_EQ(out.ts_ns.back(), 60);
  tail.Release();
  EXPECT_EQ(tail.size(), 0u);
  EXPECT_EQ(tail.memory_bytes(), 0u);
}

void ExpectSame(const RawTail& tail, const std::map<int64_t, std::pair<double, uint32_t>>& want, int round) {
  SeriesSamples all = All(tail);
  size_t i = 0;
  for (const auto& [ts, sample] : want) {
    ASSERT_EQ(all.ts_ns[i], ts) << "round " << round << " sample " << i;
    ASSERT_EQ(std::bit_cast<uint64_t>(all.f64[i]), std::bit_cast<uint64_t>(sample.first)) << "round " << round;
    ASSERT_EQ(all.status[i], sample.second) << "round " << round;
    ++i;
  }
}

// Random inserts, rewrites and prefix drops against a map: the tail is always the map's
// prefix-dropped content, whatever forms its timestamps went through.
TEST(RawTailTest, MatchesAReferenceModelOnRandomOperations) {
  std::mt19937_64 rng(11);
  for (int round = 0; round < 200; ++round) {
    RawTail tail(DataType::kFloat64);
    std::map<int64_t, std::pair<double, uint32_t>> want;
    const int64_t step = std::uniform_int_distribution<int64_t>(1, 3)(rng) * (round % 2 ? kSecond : 1'000'000);
    int64_t next = (round + 1) * 1'000'000 * kSecond / 1000;
    for (int op = 0; op < 400; ++op) {
      const int kind = static_cast<int>(rng() % 10);
      if (kind < 6) {  // in order, sometimes off the grid
        next += step + (rng() % 17 == 0 ? static_cast<int64_t>(rng() % 1000) : 0);
        const double v = rng() % 29 == 0 ? std::ldexp(static_cast<double>(rng() % 1000), -40)
                                          : static_cast<double>(rng() % 100000) / 100;
        const uint32_t status = rng() % 13 == 0 ? status_codes::kBadSensorFailure : 0;
        tail.PushBack(next, Value::Float64(v), "", status);
        want[next] = {v, status};
      } else if (kind < 9 && !want.empty()) {  // late or a rewrite, within the tail's span or before it
        const int64_t lo = want.begin()->first - 5 * step;
        const int64_t ts = lo + static_cast<int64_t>(rng() % static_cast<uint64_t>(next - lo + 1));
        const uint32_t status = rng() % 5 == 0 ? status_codes::kUncertain : 0;
        const double v = -static_cast<double>(rng() % 1000) / 1000;
        tail.Insert(ts, Value::Float64(v), "", status);
        want[ts] = {v, status};
      } else if (!want.empty()) {
        const size_t n = rng() % (want.size() + 1);
        tail.DropPrefix(n);
        for (size_t i = 0; i < n; ++i) want.erase(want.begin());
      }
      ASSERT_EQ(tail.size(), want.size()) << "round " << round << " op " << op;
      if (op % 20 == 19) ExpectSame(tail, want, round);
    }
    ExpectSame(tail, want, round);
  }
}

}  // namespace
}  // namespace zhizao::storage
