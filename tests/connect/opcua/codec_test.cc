#include <gtest/gtest.h>

#include "connect/opcua/codec.h"
#include "connect/opcua/data_types.h"
#include "connect/opcua/services.h"

namespace zhizao::connect::opcua {
namespace {

std::span<const uint8_t> Bytes(const std::string& s) { return {reinterpret_cast<const uint8_t*>(s.data()), s.size()}; }

Variant RoundTrip(const Variant& v) {
  BinaryWriter w;
  EncodeVariant(w, v);
  DecodeLimits limits;
  BinaryReader r(Bytes(w.bytes()), limits);
  Variant back = DecodeVariant(r);
  EXPECT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r.remaining(), 0u);
  return back;
}

TEST(OpcUaCodecTest, RoundTripsEveryScalarType) {
  std::vector<Variant> values = {
      Variant::Of(BuiltinType::kBoolean, true),
      Variant::Of(BuiltinType::kSByte, int64_t{-5}),
      Variant::Of(BuiltinType::kByte, uint64_t{250}),
      Variant::Of(BuiltinType::kInt16, int64_t{-30000}),
      Variant::Of(BuiltinType::kUInt16, uint64_t{60000}),
      Variant::Of(BuiltinType::kInt32, int64_t{-2'000'000'000}),
      Variant::Of(BuiltinType::kUInt32, uint64_t{4'000'000'000}),
      Variant::Of(BuiltinType::kInt64, int64_t{-9'000'000'000'000'000'000}),
      Variant::Of(BuiltinType::kUInt64, uint64_t{18'000'000'000'000'000'000u}),
      Variant::Of(BuiltinType::kFloat, 1.5),
      Variant::Of(BuiltinType::kDouble, -2.25e300),
      Variant::Of(BuiltinType::kString, std::string("温度")),
      Variant::Of(BuiltinType::kDateTime, int64_t{133'000'000'000'000'000}),
      Variant::Of(BuiltinType::kGuid, Guid{1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16}),
      Variant::Of(BuiltinType::kByteString, std::string("\x00\x01\xff", 3)),
      Variant::Of(BuiltinType::kNodeId, NodeId::String(3, "Machine1.Temperature")),
      Variant::Of(BuiltinType::kExpandedNodeId, ExpandedNodeId{NodeId::Numeric(0, 85), "urn:x", 2}),
      Variant::Of(BuiltinType::kStatusCode, uint64_t{0x803B0000}),
      Variant::Of(BuiltinType::kQualifiedName, QualifiedName{1, "Temperature"}),
      Variant::Of(BuiltinType::kLocalizedText, LocalizedText{"zh-CN", "温度"}),
      Variant::Of(BuiltinType::kExtensionObject, ExtensionObject{NodeId::Numeric(0, 811), 1, "body"}),
  };
  for (const Variant& v : values) {
    Variant back = RoundTrip(v);
    EXPECT_EQ(back.type, v.type) << BuiltinTypeName(v.type);
    EXPECT_TRUE(back.values == v.values) << BuiltinTypeName(v.type);
  }
}

TEST(OpcUaCodecTest, RoundTripsArraysWithDimensionsAndNestedValues) {
  Variant matrix{BuiltinType::kInt32, true, {int64_t{1}, int64_t{2}, int64_t{3}, int64_t{4}}, {2, 2}};
  Variant back = RoundTrip(matrix);
  EXPECT_TRUE(back.is_array);
  EXPECT_EQ(back.dimensions, (std::vector<int32_t>{2, 2}));
  EXPECT_TRUE(back.values == matrix.values);

  DataValue inner{true, Variant::Of(BuiltinType::kDouble, 3.5), 0x40000000, 5, 6};
  Variant nested{BuiltinType::kDataValue, true, {std::make_shared<const DataValue>(inner)}, {}};
  Variant nested_back = RoundTrip(nested);
  auto* dv = std::get_if<std::shared_ptr<const DataValue>>(&nested_back.values[0]);
  ASSERT_NE(dv, nullptr);
  EXPECT_EQ((*dv)->status, 0x40000000u);
  EXPECT_EQ((*dv)->source_timestamp, 5);
  EXPECT_EQ((*dv)->server_timestamp, 6);
  EXPECT_DOUBLE_EQ(std::get<double>((*dv)->value.values[0]), 3.5);
}

TEST(OpcUaCodecTest, EncodesNodeIdsInTheirShortestForm) {
  auto encoded = [](const NodeId& id) {
    BinaryWriter w;
    EncodeNodeId(w, id);
    return w.Take();
  };
  EXPECT_EQ(encoded(NodeId::Numeric(0, 85)), std::string("\x00\x55", 2));
  EXPECT_EQ(encoded(NodeId::Numeric(1, 1000)), std::string("\x01\x01\xe8\x03", 4));
  EXPECT_EQ(encoded(NodeId::Numeric(300, 70000)).size(), 7u);
  EXPECT_EQ(encoded(NodeId::String(1, "ab")), std::string("\x03\x01\x00\x02\x00\x00\x00" "ab", 9));
}

TEST(OpcUaCodecTest, ParsesAndPrintsNodeIdText) {
  for (std::string text : {"i=85", "ns=1;s=Machine1.Temperature", "ns=2;g=09087e75-8e5e-499b-954f-f2a9603db28a",
                           "ns=3;b=AAEC/w==", "ns=1;s=a;b=c"}) {
    auto id = NodeId::Parse(text);
    ASSERT_TRUE(id.ok()) << text << ": " << id.status().ToString();
    EXPECT_EQ(id->ToString(), text);
  }
  for (std::string text : {"", "x", "ns=1", "ns=70000;i=1", "i=abc", "ns=1;q=1", "ns=1;g=123"}) {
    EXPECT_FALSE(NodeId::Parse(text).ok()) << text;
  }
}

TEST(OpcUaCodecTest, DecodeLimitsStopHugeCountsBeforeAllocating) {
  DecodeLimits limits;
  limits.max_array_length = 1000;
  limits.max_string_bytes = 100;
  auto decode = [&](std::string bytes) {
    BinaryReader r(Bytes(bytes), limits);
    DecodeVariant(r);
    return r.status();
  };
  EXPECT_NE(decode(std::string("\x8b\xff\xff\xff\x7f", 5)).message().find("exceeds the limit"), std::string::npos);
  EXPECT_NE(decode(std::string("\x8b\x00\x00\x00\x80", 5)).message().find("negative array length"), std::string::npos);
  EXPECT_NE(decode(std::string("\x8b\xe8\x03\x00\x00", 5)).message().find("cannot fit"), std::string::npos);
  EXPECT_NE(decode(std::string("\x0c\x65\x00\x00\x00", 5)).message().find("exceeds the limit of 100"),
            std::string::npos);
  EXPECT_NE(decode(std::string("\x3f", 1)).message().find("unknown variant type 63"), std::string::npos);
  EXPECT_NE(decode(std::string("\x0b\x00\x00", 3)).message().find("ends early"), std::string::npos);
}

TEST(OpcUaCodecTest, MemoryBudgetBoundsManySmallElements) {
  DecodeLimits limits;
  limits.max_decoded_bytes = 64 * 1024;
  BinaryWriter w;
  w.U8(0x80 | 1);  // Boolean array: one byte each on the wire, a Scalar each in memory
  w.I32(100'000);
  w.Raw(std::string(100'000, '\x01'));
  BinaryReader r(Bytes(w.bytes()), limits);
  DecodeVariant(r);
  EXPECT_NE(r.status().message().find("decoded size exceeds"), std::string::npos) << r.status().ToString();
}

TEST(OpcUaCodecTest, SkipsDiagnosticInfoButBoundsItsNesting) {
  std::string deep;
  for (int i = 0; i < 100; ++i) deep.push_back('\x40');
  DecodeLimits limits;
  BinaryReader r(Bytes(deep), limits);
  SkipDiagnosticInfo(r);
  EXPECT_NE(r.status().message().find("nesting deeper than"), std::string::npos);

  std::string full = std::string("\x7f") + std::string(16, '\0') + std::string("\x01\x00\x00\x00x", 5) +
                     std::string(4, '\0') + std::string("\x00", 1);
  BinaryReader ok(Bytes(full), limits);
  SkipDiagnosticInfo(ok);
  EXPECT_TRUE(ok.ok()) << ok.status().ToString();
  EXPECT_EQ(ok.remaining(), 0u);
}

TEST(OpcUaServicesTest, EncodesAnonymousAndUserNameIdentityTokens) {
  auto token_of = [](const ActivateSessionRequest& request) {
    BinaryWriter w;
    request.Encode(w);
    DecodeLimits limits;
    BinaryReader r(Bytes(w.bytes()), limits);
    r.SkipString();  // client signature
    r.SkipString();
    r.I32();         // software certificates
    r.I32();         // locale ids
    ExtensionObject token = DecodeExtensionObject(r);
    EXPECT_TRUE(r.ok());
    return token;
  };
  ExtensionObject anonymous = token_of(ActivateSessionRequest{.policy_id = "anon"});
  EXPECT_EQ(anonymous.type_id, NodeId::Numeric(0, 321));
  EXPECT_EQ(anonymous.body, std::string("\x04\x00\x00\x00" "anon", 8));
  ExtensionObject user = token_of(ActivateSessionRequest{.policy_id = "u", .user_name = "op", .password = "pw"});
  EXPECT_EQ(user.type_id, NodeId::Numeric(0, 324));
  DecodeLimits limits;
  BinaryReader r(Bytes(user.body), limits);
  EXPECT_EQ(r.String(), "u");
  EXPECT_EQ(r.String(), "op");
  EXPECT_EQ(r.String(), "pw");
  EXPECT_EQ(r.I32(), -1);  // no encryption algorithm
  EXPECT_EQ(r.remaining(), 0u);
}

TEST(OpcUaDataTypesTest, MapsValuesToSamplesWithStatusAndTimestamps) {
  Batch batch;
  DataValue value{true, Variant::Of(BuiltinType::kFloat, 21.5), 0x40000000, DateTimeFromUnixNs(1'700'000'000'000'000'000)};
  AppendSample(batch, 7, DataType::kFloat64, value, 99);
  ASSERT_EQ(batch.size(), 1u);
  EXPECT_EQ(batch.points[0].status, 0x40000000u);
  EXPECT_EQ(batch.points[0].ts_ns, 1'700'000'000'000'000'000);
  EXPECT_DOUBLE_EQ(batch.points[0].value.f64(), 21.5);

  DataValue server_only{true, Variant::Of(BuiltinType::kInt32, int64_t{5}), 0, 0, DateTimeFromUnixNs(2'000)};
  AppendSample(batch, 7, DataType::kInt64, server_only, 99);
  EXPECT_EQ(batch.points[1].ts_ns, 2'000);
  EXPECT_EQ(batch.points[1].value.i64(), 5);

  DataValue none;
  AppendSample(batch, 7, DataType::kString, none, 99);
  EXPECT_EQ(batch.points[2].ts_ns, 99);
  EXPECT_EQ(batch.points[2].status, 0x80740000u);  // BadTypeMismatch: no value

  DataValue text{true, Variant::Of(BuiltinType::kString, std::string("x"))};
  AppendSample(batch, 7, DataType::kFloat64, text, 99);
  EXPECT_EQ(batch.points[3].status, 0x80740000u);
}

TEST(OpcUaDataTypesTest, BuildsWriteVariantsOfTheNodesType) {
  auto i32 = VariantForWrite(WriteValue{42.0}, BuiltinType::kInt32);
  ASSERT_TRUE(i32.ok());
  EXPECT_EQ(std::get<int64_t>(i32->values[0]), 42);
  EXPECT_FALSE(VariantForWrite(WriteValue{42.5}, BuiltinType::kInt32).ok());
  EXPECT_FALSE(VariantForWrite(WriteValue{300.0}, BuiltinType::kByte).ok());
  EXPECT_TRUE(VariantForWrite(WriteValue{255.0}, BuiltinType::kByte).ok());
  EXPECT_TRUE(VariantForWrite(WriteValue{-128.0}, BuiltinType::kSByte).ok());
  EXPECT_FALSE(VariantForWrite(WriteValue{9.3e18}, BuiltinType::kInt64).ok());
  EXPECT_FALSE(VariantForWrite(WriteValue{-1.0}, BuiltinType::kUInt32).ok());
  EXPECT_FALSE(VariantForWrite(WriteValue{std::string("x")}, BuiltinType::kDouble).ok());
  auto big = VariantForWrite(WriteValue{int64_t{9'007'199'254'740'993}}, BuiltinType::kInt64);
  ASSERT_TRUE(big.ok());
  EXPECT_EQ(std::get<int64_t>(big->values[0]), 9'007'199'254'740'993);
  EXPECT_EQ(BuiltinTypeOfDataType(NodeId::Numeric(0, 290)), BuiltinType::kDouble);
  EXPECT_EQ(BuiltinTypeOfDataType(NodeId::Numeric(1, 10)), std::nullopt);
}

}  // namespace
}  // namespace zhizao::connect::opcua
