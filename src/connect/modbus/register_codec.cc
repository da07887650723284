#include "connect/modbus/register_codec.h"

#include <array>
#include <bit>
#include <cmath>
#include <limits>
#include <string>

#include "common/check.h"

namespace zhizao::connect::modbus {
namespace {

constexpr std::array<std::string_view, 8> kTypeNames = {"bool",  "int16",  "uint16",  "int32",
                                                        "uint32", "int64", "float32", "float64"};
constexpr std::array<std::string_view, 4> kOrderNames = {"ABCD", "CDAB", "BADC", "DCBA"};

bool SwapsWords(ByteOrder order) { return order == ByteOrder::kCDAB || order == ByteOrder::kDCBA; }
bool SwapsBytes(ByteOrder order) { return order == ByteOrder::kBADC || order == ByteOrder::kDCBA; }
uint16_t SwapBytes(uint16_t word) { return static_cast<uint16_t>((word << 8) | (word >> 8)); }

// The registers as one big-endian integer: the most significant word first.
uint64_t ToBits(std::span<const uint16_t> registers, ByteOrder order) {
  const size_t n = registers.size();
  uint64_t bits = 0;
  for (size_t i = 0; i < n; ++i) {
    uint16_t word = registers[SwapsWords(order) ? n - 1 - i : i];
    bits = (bits << 16) | (SwapsBytes(order) ? SwapBytes(word) : word);
  }
  return bits;
}

void FromBits(uint64_t bits, ByteOrder order, std::span<uint16_t> registers) {
  const size_t n = registers.size();
  for (size_t i = 0; i < n; ++i) {
    auto word = static_cast<uint16_t>(bits >> (16 * (n - 1 - i)));
    registers[SwapsWords(order) ? n - 1 - i : i] = SwapsBytes(order) ? SwapBytes(word) : word;
  }
}

bool IsFloat(ValueType type) { return type == ValueType::kFloat32 || type == ValueType::kFloat64; }

// The raw integer range of an integer type, as doubles that compare exactly.
std::pair<double, double> IntegerRange(ValueType type) {
  switch (type) {
    case ValueType::kInt16: return {-32768.0, 32767.0};
    case ValueType::kUint16: return {0.0, 65535.0};
    case ValueType::kInt32: return {-2147483648.0, 2147483647.0};
    case ValueType::kUint32: return {0.0, 4294967295.0};
    default: return {-9223372036854775808.0, 9223372036854775807.0};
  }
}

Result<double> NumberOf(const WriteValue& value) {
  if (const double* d = std::get_if<double>(&value)) return *d;
  if (const int64_t* i = std::get_if<int64_t>(&value)) return static_cast<double>(*i);
  if (const bool* b = std::get_if<bool>(&value)) return *b ? 1.0 : 0.0;
  return Status::InvalidArgument("a Modbus register takes a number, not a string");
}

Result<int64_t> IntegerRaw(const WriteValue& value, const TagCodec& codec) {
  auto [lo, hi] = IntegerRange(codec.type);
  const std::string type_name(ValueTypeName(codec.type));
  if (const int64_t* exact = std::get_if<int64_t>(&value); exact != nullptr && !codec.scaled()) {
    if (static_cast<double>(*exact) < lo || static_cast<double>(*exact) > hi) {
      return Status::OutOfRange(std::to_string(*exact) + " does not fit " + type_name);
    }
    return *exact;
  }
  ZZ_ASSIGN_OR_RETURN(double number, NumberOf(value));
  const double raw = (number - codec.offset) / codec.scale;
  if (!std::isfinite(raw)) return Status::InvalidArgument("cannot write a non-finite value to a register");
  if (!codec.scaled() && raw != std::trunc(raw)) {
    return Status::InvalidArgument("a " + type_name + " register takes a whole number");
  }
  const double rounded = std::round(raw);
  // hi of int64 rounds up to 2^63 as a double: the bound is exclusive there.
  if (rounded < lo || rounded > hi || (codec.type == ValueType::kInt64 && rounded >= hi)) {
    return Status::OutOfRange("the raw value " + std::to_string(rounded) + " does not fit " + type_name);
  }
  return static_cast<int64_t>(rounded);
}

Result<double> FloatRaw(const WriteValue& value, const TagCodec& codec) {
  ZZ_ASSIGN_OR_RETURN(double number, NumberOf(value));
  const double raw = codec.scaled() ? (number - codec.offset) / codec.scale : number;
  if (!std::isfinite(raw)) return Status::InvalidArgument("cannot write a non-finite value to a register");
  if (codec.type == ValueType::kFloat32 && std::fabs(raw) > std::numeric_limits<float>::max()) {
    return Status::OutOfRange("the raw value " + std::to_string(raw) + " does not fit float32");
  }
  return raw;
}

}  // namespace

std::optional<ValueType> ParseValueType(std::string_view name) {
  for (size_t i = 0; i < kTypeNames.size(); ++i) {
    if (kTypeNames[i] == name) return static_cast<ValueType>(i);
  }
  return std::nullopt;
}

std::string_view ValueTypeName(ValueType type) { return kTypeNames[static_cast<size_t>(type)]; }

std::optional<ByteOrder> ParseByteOrder(std::string_view name) {
  for (size_t i = 0; i < kOrderNames.size(); ++i) {
    if (kOrderNames[i] == name) return static_cast<ByteOrder>(i);
  }
  return std::nullopt;
}

std::string_view ByteOrderName(ByteOrder order) { return kOrderNames[static_cast<size_t>(order)]; }

int RegisterCount(ValueType type) {
  switch (type) {
    case ValueType::kInt32:
    case ValueType::kUint32:
    case ValueType::kFloat32: return 2;
    case ValueType::kInt64:
    case ValueType::kFloat64: return 4;
    default: return 1;
  }
}

DataType TagCodec::catalog_type() const {
  if (type == ValueType::kBool) return DataType::kBool;
  return IsFloat(type) || scaled() ? DataType::kFloat64 : DataType::kInt64;
}

RawValue DecodeRegisters(std::span<const uint16_t> registers, ValueType type, ByteOrder order) {
  ZZ_CHECK(registers.size() == static_cast<size_t>(RegisterCount(type)) && type != ValueType::kBool,
           "DecodeRegisters takes exactly the registers of one non-bool value");
  const uint64_t bits = ToBits(registers, order);
  switch (type) {
    case ValueType::kInt16: return int64_t{static_cast<int16_t>(bits)};
    case ValueType::kUint16: return int64_t{static_cast<uint16_t>(bits)};
    case ValueType::kInt32: return int64_t{static_cast<int32_t>(bits)};
    case ValueType::kUint32: return int64_t{static_cast<uint32_t>(bits)};
    case ValueType::kInt64: return static_cast<int64_t>(bits);
    case ValueType::kFloat32: return double{std::bit_cast<float>(static_cast<uint32_t>(bits))};
    default: return std::bit_cast<double>(bits);
  }
}

void EncodeRaw(const RawValue& raw, ValueType type, ByteOrder order, std::span<uint16_t> registers) {
  ZZ_CHECK(registers.size() == static_cast<size_t>(RegisterCount(type)) && type != ValueType::kBool,
           "EncodeRaw fills exactly the registers of one non-bool value");
  uint64_t bits = 0;
  if (type == ValueType::kFloat32) {
    const double d = std::holds_alternative<double>(raw) ? std::get<double>(raw) : static_cast<double>(std::get<int64_t>(raw));
    bits = std::bit_cast<uint32_t>(static_cast<float>(d));
  } else if (type == ValueType::kFloat64) {
    const double d = std::holds_alternative<double>(raw) ? std::get<double>(raw) : static_cast<double>(std::get<int64_t>(raw));
    bits = std::bit_cast<uint64_t>(d);
  } else {
    ZZ_CHECK(std::holds_alternative<int64_t>(raw), "an integer register takes an integer raw value");
    bits = static_cast<uint64_t>(std::get<int64_t>(raw));  // FromBits keeps the low words
  }
  FromBits(bits, order, registers);
}

Value DecodeSample(std::span<const uint16_t> registers, const TagCodec& codec) {
  const RawValue raw = DecodeRegisters(registers, codec.type, codec.order);
  if (codec.catalog_type() == DataType::kInt64) return Value::Int64(std::get<int64_t>(raw));
  const double number = std::holds_alternative<double>(raw) ? std::get<double>(raw)
                                                            : static_cast<double>(std::get<int64_t>(raw));
  // Unscaled values pass untouched: -0.0 * 1 + 0 would come out as +0.0.
  return Value::Float64(codec.scaled() ? number * codec.scale + codec.offset : number);
}

Value DecodeBit(bool bit) { return Value::Bool(bit); }

Result<std::vector<uint16_t>> EncodeWrite(const WriteValue& value, const TagCodec& codec) {
  ZZ_CHECK(codec.type != ValueType::kBool, "a bit is written with EncodeBitWrite");
  std::vector<uint16_t> registers(static_cast<size_t>(RegisterCount(codec.type)));
  RawValue raw;
  if (IsFloat(codec.type)) {
    ZZ_ASSIGN_OR_RETURN(raw, FloatRaw(value, codec));
  } else {
    ZZ_ASSIGN_OR_RETURN(raw, IntegerRaw(value, codec));
  }
  EncodeRaw(raw, codec.type, codec.order, registers);
  return registers;
}

Result<bool> EncodeBitWrite(const WriteValue& value) {
  if (const bool* b = std::get_if<bool>(&value)) return *b;
  if (const int64_t* i = std::get_if<int64_t>(&value); i != nullptr && (*i == 0 || *i == 1)) return *i == 1;
  if (const double* d = std::get_if<double>(&value); d != nullptr && (*d == 0.0 || *d == 1.0)) return *d == 1.0;
  return Status::InvalidArgument("a coil takes true, false, 0 or 1");
}

}  // namespace zhizao::connect::modbus
