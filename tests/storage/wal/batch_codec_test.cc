#include "storage/wal/batch_codec.h"

#include <gtest/gtest.h>

#include <bit>
#include <cmath>
#include <limits>

namespace zhizao::storage {
namespace {

void ExpectSameBatch(const Batch& want, const Batch& got) {
  ASSERT_EQ(want.points.size(), got.points.size());
  EXPECT_EQ(want.strings, got.strings);
  for (size_t i = 0; i < want.points.size(); ++i) {
    const Point& a = want.points[i];
    const Point& b = got.points[i];
    EXPECT_EQ(a.tag, b.tag) << i;
    EXPECT_EQ(a.status, b.status) << i;
    EXPECT_EQ(a.ts_ns, b.ts_ns) << i;
    EXPECT_EQ(a.value, b.value) << i;  // compares bits, so NaN payloads count
  }
}

Batch RoundTrip(const Batch& batch) {
  std::string encoded;
  EncodeBatch(batch, &encoded);
  Batch decoded;
  EXPECT_TRUE(DecodeBatch(encoded, &decoded).ok());
  return decoded;
}

Batch EveryKind() {
  Batch b;
  constexpr int64_t kMin = std::numeric_limits<int64_t>::min();
  constexpr int64_t kMax = std::numeric_limits<int64_t>::max();
  b.AddFloat64(7, 1'700'000'000'000'000'000, 1.5);
  b.AddFloat64(7, 1'700'000'000'000'000'001, std::numeric_limits<double>::quiet_NaN());
  b.AddFloat64(3, 0, -0.0, status_codes::kBadSensorFailure);
  b.AddFloat64(UINT32_MAX, kMin, std::numeric_limits<double>::infinity());
  b.AddFloat64(1, kMax, std::numeric_limits<double>::denorm_min(), status_codes::kUncertainLastUsableValue);
  b.AddInt64(2, kMin, kMin);
  b.AddInt64(2, kMax, kMax, UINT32_MAX);
  b.AddInt64(2, -5, 0);
  b.AddBool(9, 10, true);
  b.AddBool(9, 11, false, status_codes::kBadNoCommunication);
  b.AddString(4, 12, "running");
  b.AddString(4, 13, "");
  b.AddString(4, 14, std::string("with\0nul", 8), status_codes::kUncertain);
  return b;
}

TEST(BatchCodecTest, RoundTripsEveryValueTypeAndExtreme) {
  Batch batch = EveryKind();
  ExpectSameBatch(batch, RoundTrip(batch));
}

TEST(BatchCodecTest, KeepsNanPayloadBits) {
  Batch batch;
  batch.AddFloat64(1, 1, std::bit_cast<double>(uint64_t{0x7ff8dead'beef0001}));
  Batch got = RoundTrip(batch);
  EXPECT_EQ(std::bit_cast<uint64_t>(got.points[0].value.f64()), uint64_t{0x7ff8dead'beef0001});
}

TEST(BatchCodecTest, RoundTripsEmptyBatch) {
  ExpectSameBatch(Batch{}, RoundTrip(Batch{}));
}

TEST(BatchCodecTest, AppendsToOutput) {
  std::string out = "prefix";
  EncodeBatch(EveryKind(), &out);
  ASSERT_EQ(out.substr(0, 6), "prefix");
  Batch decoded;
  ASSERT_TRUE(DecodeBatch(std::string_view(out).substr(6), &decoded).ok());
  ExpectSameBatch(EveryKind(), decoded);
}

TEST(BatchCodecTest, RegularSeriesAreCompact) {
  Batch batch;
  for (int i = 0; i < 1000; ++i) batch.AddInt64(100 + i % 10, 1'700'000'000'000'000'000 + i * 1'000'000, i);
  std::string out;
  EncodeBatch(batch, &out);
  EXPECT_LT(out.size(), batch.size() * 10);  // flags, tag delta, ts delta, value: 32 bytes in memory
}

TEST(BatchCodecTest, ReplacesPreviousContentOfOutput) {
  std::string encoded;
  EncodeBatch(EveryKind(), &encoded);
  Batch decoded = EveryKind();
  ASSERT_TRUE(DecodeBatch(encoded, &decoded).ok());
  ExpectSameBatch(EveryKind(), decoded);
}

TEST(BatchCodecTest, RejectsEveryTruncation) {
  std::string encoded;
  EncodeBatch(EveryKind(), &encoded);
  for (size_t n = 0; n < encoded.size(); ++n) {
    Batch decoded;
    Status status = DecodeBatch(std::string_view(encoded).substr(0, n), &decoded);
    EXPECT_EQ(status.code(), StatusCode::kCorruption) << "prefix of " << n << " bytes";
  }
}

TEST(BatchCodecTest, RejectsTrailingBytes) {
  std::string encoded;
  EncodeBatch(EveryKind(), &encoded);
  encoded.push_back('\0');
  Batch decoded;
  Status status = DecodeBatch(encoded, &decoded);
  EXPECT_EQ(status.code(), StatusCode::kCorruption);
  EXPECT_NE(status.message().find("trailing bytes at byte"), std::string::npos) << status.message();
}

TEST(BatchCodecTest, RejectsUnknownVersion) {
  Batch decoded;
  EXPECT_EQ(DecodeBatch(std::string("\x02\x00\x00", 3), &decoded).code(), StatusCode::kCorruption);
}

TEST(BatchCodecTest, RejectsCountsLargerThanThePayload) {
  Batch decoded;
  // Version 1, a billion points, no strings: must fail before allocating anything.
  std::string huge_points("\x01\x80\x94\xeb\xdc\x03\x00", 7);
  EXPECT_EQ(DecodeBatch(huge_points, &decoded).code(), StatusCode::kCorruption);
  std::string huge_strings("\x01\x00\xff\xff\xff\xff\x0f", 7);
  EXPECT_EQ(DecodeBatch(huge_strings, &decoded).code(), StatusCode::kCorruption);
}

TEST(BatchCodecTest, RejectsStringIndexOutOfRange) {
  Batch batch;
  batch.AddString(1, 1, "only");
  std::string encoded;
  EncodeBatch(batch, &encoded);
  encoded.back() = 1;  // the index of the one string value
  Batch decoded;
  EXPECT_EQ(DecodeBatch(encoded, &decoded).code(), StatusCode::kCorruption);
}

TEST(BatchCodecTest, RejectsReservedFlagsAndOverlongVarints) {
  Batch decoded;
  // One point whose flag byte has a reserved bit.
  EXPECT_EQ(DecodeBatch(std::string("\x01\x01\x00\x10\x02\x02", 6), &decoded).code(), StatusCode::kCorruption);
  // One bool point whose tag delta is an 11-byte varint.
  std::string overlong("\x01\x01\x00\x02", 4);
  overlong += std::string(10, '\xff') + "\x01\x00";
  EXPECT_EQ(DecodeBatch(overlong, &decoded).code(), StatusCode::kCorruption);
}

TEST(BatchCodecTest, RejectsTagIdBeyond32Bits) {
  Batch decoded;
  // One bool point with tag delta +2^32 (zigzag 2^33).
  std::string payload("\x01\x01\x00\x02\x80\x80\x80\x80\x20\x00", 10);
  EXPECT_EQ(DecodeBatch(payload, &decoded).code(), StatusCode::kCorruption);
}

}  // namespace
}  // namespace zhizao::storage
