#include "connect/modbus/register_codec.h"

#include <gtest/gtest.h>

#include <bit>
#include <cmath>
#include <random>

namespace zhizao::connect::modbus {
namespace {

using Registers = std::vector<uint16_t>;

Registers Encode(RawValue raw, ValueType type, ByteOrder order) {
  Registers registers(static_cast<size_t>(RegisterCount(type)));
  EncodeRaw(raw, type, order, registers);
  return registers;
}

TEST(RegisterCodecTest, ReadsUint32InAllFourOrders) {
  EXPECT_EQ(std::get<int64_t>(DecodeRegisters(Registers{0x1234, 0x5678}, ValueType::kUint32, ByteOrder::kABCD)), 0x12345678);
  EXPECT_EQ(std::get<int64_t>(DecodeRegisters(Registers{0x5678, 0x1234}, ValueType::kUint32, ByteOrder::kCDAB)), 0x12345678);
  EXPECT_EQ(std::get<int64_t>(DecodeRegisters(Registers{0x3412, 0x7856}, ValueType::kUint32, ByteOrder::kBADC)), 0x12345678);
  EXPECT_EQ(std::get<int64_t>(DecodeRegisters(Registers{0x7856, 0x3412}, ValueType::kUint32, ByteOrder::kDCBA)), 0x12345678);
}

TEST(RegisterCodecTest, WritesInt64InAllFourOrdersReversingAllFourWords) {
  const int64_t v = 0x0102030405060708;
  EXPECT_EQ(Encode(v, ValueType::kInt64, ByteOrder::kABCD), (Registers{0x0102, 0x0304, 0x0506, 0x0708}));
  EXPECT_EQ(Encode(v, ValueType::kInt64, ByteOrder::kCDAB), (Registers{0x0708, 0x0506, 0x0304, 0x0102}));
  EXPECT_EQ(Encode(v, ValueType::kInt64, ByteOrder::kBADC), (Registers{0x0201, 0x0403, 0x0605, 0x0807}));
  EXPECT_EQ(Encode(v, ValueType::kInt64, ByteOrder::kDCBA), (Registers{0x0807, 0x0605, 0x0403, 0x0201}));
}

TEST(RegisterCodecTest, ReadsFloat32InAllFourOrders) {
  // 20.5f is 0x41A40000: bytes A=41 B=A4 C=00 D=00.
  EXPECT_EQ(std::get<double>(DecodeRegisters(Registers{0x41A4, 0x0000}, ValueType::kFloat32, ByteOrder::kABCD)), 20.5);
  EXPECT_EQ(std::get<double>(DecodeRegisters(Registers{0x0000, 0x41A4}, ValueType::kFloat32, ByteOrder::kCDAB)), 20.5);
  EXPECT_EQ(std::get<double>(DecodeRegisters(Registers{0xA441, 0x0000}, ValueType::kFloat32, ByteOrder::kBADC)), 20.5);
  EXPECT_EQ(std::get<double>(DecodeRegisters(Registers{0x0000, 0xA441}, ValueType::kFloat32, ByteOrder::kDCBA)), 20.5);
}

TEST(RegisterCodecTest, WritesFloat32SymmetricallyUnlikeLibmodbusHelpers) {
  // libmodbus 3.1.6's modbus_set_float_abcd writes BADC: ours writes what it reads.
  EXPECT_EQ(Encode(20.5, ValueType::kFloat32, ByteOrder::kABCD), (Registers{0x41A4, 0x0000}));
  EXPECT_EQ(Encode(20.5, ValueType::kFloat32, ByteOrder::kBADC), (Registers{0xA441, 0x0000}));
}

TEST(RegisterCodecTest, SixteenBitValuesSwapOnlyBytes) {
  EXPECT_EQ(std::get<int64_t>(DecodeRegisters(Registers{0xFC18}, ValueType::kInt16, ByteOrder::kABCD)), -1000);
  EXPECT_EQ(std::get<int64_t>(DecodeRegisters(Registers{0xFC18}, ValueType::kInt16, ByteOrder::kCDAB)), -1000);
  EXPECT_EQ(std::get<int64_t>(DecodeRegisters(Registers{0x18FC}, ValueType::kInt16, ByteOrder::kBADC)), -1000);
  EXPECT_EQ(std::get<int64_t>(DecodeRegisters(Registers{0x18FC}, ValueType::kInt16, ByteOrder::kDCBA)), -1000);
  EXPECT_EQ(std::get<int64_t>(DecodeRegisters(Registers{0xFFFF}, ValueType::kUint16, ByteOrder::kABCD)), 65535);
}

TEST(RegisterCodecTest, EveryTypeAndOrderRoundTrips) {
  std::mt19937_64 rng(42);
  for (ValueType type : {ValueType::kInt16, ValueType::kUint16, ValueType::kInt32, ValueType::kUint32,
                         ValueType::kInt64, ValueType::kFloat32, ValueType::kFloat64}) {
    for (ByteOrder order : {ByteOrder::kABCD, ByteOrder::kCDAB, ByteOrder::kBADC, ByteOrder::kDCBA}) {
      for (int i = 0; i < 200; ++i) {
        Registers registers(static_cast<size_t>(RegisterCount(type)));
        for (uint16_t& r : registers) r = static_cast<uint16_t>(rng());
        RawValue raw = DecodeRegisters(registers, type, order);
        if (std::holds_alternative<double>(raw) && std::isnan(std::get<double>(raw))) continue;
        EXPECT_EQ(Encode(raw, type, order), registers) << ValueTypeName(type) << " " << ByteOrderName(order);
      }
    }
  }
}

TEST(RegisterCodecTest, ScalesIntoFloat64AndBack) {
  TagCodec codec{ValueType::kUint16, ByteOrder::kABCD, 0.1, -10.0};
  EXPECT_EQ(codec.catalog_type(), DataType::kFloat64);
  Value v = DecodeSample(Registers{1234}, codec);
  EXPECT_NEAR(v.f64(), 113.4, 1e-9);
  EXPECT_EQ(*EncodeWrite(113.4, codec), Registers{1234});
  EXPECT_EQ(*EncodeWrite(113.44, codec), Registers{1234});  // rounded to the nearest raw step
}

TEST(RegisterCodecTest, KeepsNegativeZeroOfAnUnscaledFloat) {  // found by modbus_fuzz
  TagCodec f32{ValueType::kFloat32, ByteOrder::kABCD, 1.0, 0.0};
  Value v = DecodeSample(Registers{0x8000, 0x0000}, f32);
  EXPECT_TRUE(std::signbit(v.f64()));
  EXPECT_EQ(*EncodeWrite(v.f64(), f32), (Registers{0x8000, 0x0000}));
}

TEST(RegisterCodecTest, CatalogTypeFollowsTypeAndScaling) {
  EXPECT_EQ((TagCodec{ValueType::kInt32, ByteOrder::kABCD, 1.0, 0.0}).catalog_type(), DataType::kInt64);
  EXPECT_EQ((TagCodec{ValueType::kFloat32, ByteOrder::kABCD, 1.0, 0.0}).catalog_type(), DataType::kFloat64);
  EXPECT_EQ((TagCodec{ValueType::kInt16, ByteOrder::kABCD, 1.0, 5.0}).catalog_type(), DataType::kFloat64);
  EXPECT_EQ((TagCodec{ValueType::kBool, ByteOrder::kABCD, 1.0, 0.0}).catalog_type(), DataType::kBool);
}

TEST(RegisterCodecTest, RefusesValuesThatDoNotFit) {
  TagCodec u16{ValueType::kUint16, ByteOrder::kABCD, 1.0, 0.0};
  EXPECT_EQ(EncodeWrite(int64_t{70000}, u16).status().code(), StatusCode::kOutOfRange);
  EXPECT_EQ(EncodeWrite(int64_t{-1}, u16).status().code(), StatusCode::kOutOfRange);
  EXPECT_EQ(EncodeWrite(3.5, u16).status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(EncodeWrite(std::string("7"), u16).status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(EncodeWrite(std::nan(""), u16).status().code(), StatusCode::kInvalidArgument);
  TagCodec f32{ValueType::kFloat32, ByteOrder::kABCD, 1.0, 0.0};
  EXPECT_EQ(EncodeWrite(1e300, f32).status().code(), StatusCode::kOutOfRange);
  TagCodec i64{ValueType::kInt64, ByteOrder::kDCBA, 1.0, 0.0};
  Result<Registers> max = EncodeWrite(int64_t{INT64_MAX}, i64);
  ASSERT_TRUE(max.ok());
  EXPECT_EQ(std::get<int64_t>(DecodeRegisters(*max, ValueType::kInt64, ByteOrder::kDCBA)), INT64_MAX);
  EXPECT_EQ(EncodeWrite(9.3e18, i64).status().code(), StatusCode::kOutOfRange);
}

TEST(RegisterCodecTest, CoilTakesBoolOrZeroOrOne) {
  EXPECT_TRUE(*EncodeBitWrite(true));
  EXPECT_FALSE(*EncodeBitWrite(int64_t{0}));
  EXPECT_TRUE(*EncodeBitWrite(1.0));
  EXPECT_FALSE(EncodeBitWrite(int64_t{2}).ok());
  EXPECT_FALSE(EncodeBitWrite(std::string("true")).ok());
}

}  // namespace
}  // namespace zhizao::connect::modbus
