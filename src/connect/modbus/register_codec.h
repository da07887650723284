// Turns Modbus registers into tag values and back: every data type in all four word/byte orders,
// with scaling. Our own conversions: libmodbus 3.1.6's float helpers are not symmetric.
//
// Byte order letters name the bytes of the value from most to least significant (A first):
//   ABCD  big-endian: first register holds the most significant word, high byte first
//   CDAB  word swap: first register holds the least significant word, high byte first
//   BADC  byte swap: words in big-endian order, the two bytes of each register swapped
//   DCBA  both: fully little-endian
// For 64-bit values the word swap reverses all four registers. For 16-bit values only the byte
// swap matters (BADC and DCBA read a register low byte first).
// Pure functions; thread-safe.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string_view>
#include <variant>
#include <vector>

#include "common/batch.h"
#include "common/status.h"
#include "connect/connector.h"

namespace zhizao::connect::modbus {

enum class ValueType : uint8_t { kBool, kInt16, kUint16, kInt32, kUint32, kInt64, kFloat32, kFloat64 };
enum class ByteOrder : uint8_t { kABCD, kCDAB, kBADC, kDCBA };

std::optional<ValueType> ParseValueType(std::string_view name);  // "bool", "int16", ... "float64"
std::string_view ValueTypeName(ValueType type);
std::optional<ByteOrder> ParseByteOrder(std::string_view name);  // "ABCD", "CDAB", "BADC", "DCBA"
std::string_view ByteOrderName(ByteOrder order);

// Registers a value of `type` spans: 1, 2 or 4 (bool: 1 bit, counted as 1).
int RegisterCount(ValueType type);

// How one tag's registers become its value: value = raw * scale + offset.
struct TagCodec {
  ValueType type = ValueType::kUint16;
  ByteOrder order = ByteOrder::kABCD;
  double scale = 1.0;
  double offset = 0.0;

  bool scaled() const { return scale != 1.0 || offset != 0.0; }
  // float64 for float types or a scaled tag, int64 for integer types, bool for bits.
  DataType catalog_type() const;
};

// The value read from the wire before scaling: integers exact, floats widened to double.
using RawValue = std::variant<int64_t, double>;

// REQUIRES: registers.size() == RegisterCount(type), type is not kBool.
RawValue DecodeRegisters(std::span<const uint16_t> registers, ValueType type, ByteOrder order);
// REQUIRES: registers.size() == RegisterCount(type), type is not kBool.
void EncodeRaw(const RawValue& raw, ValueType type, ByteOrder order, std::span<uint16_t> registers);

// The sample value of a tag from its registers (or bit), typed as codec.catalog_type().
Value DecodeSample(std::span<const uint16_t> registers, const TagCodec& codec);
Value DecodeBit(bool bit);

// The registers to write for `value`: the inverse of the scaling, rounded to the nearest integer
// for integer types (an unscaled integer tag takes only whole numbers). InvalidArgument for a
// string, a non-finite number or a fraction; OutOfRange when the raw value does not fit the type.
// REQUIRES: codec.type is not kBool.
Result<std::vector<uint16_t>> EncodeWrite(const WriteValue& value, const TagCodec& codec);
// A coil takes a bool, or the number 0 or 1. InvalidArgument otherwise.
Result<bool> EncodeBitWrite(const WriteValue& value);

}  // namespace zhizao::connect::modbus
