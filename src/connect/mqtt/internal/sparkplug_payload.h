// Sparkplug B payloads (specification 3.0, section 6.4) read into plain values, and the
// command payloads this host writes. The protobuf types stay inside sparkplug_payload.cc.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "common/batch.h"
#include "common/status.h"
#include "connect/connector.h"

namespace zhizao::connect::mqtt {

// The metric data types of the specification (6.4.16) this host stores or writes.
namespace sparkplug_type {
inline constexpr uint32_t kInt8 = 1, kInt16 = 2, kInt32 = 3, kInt64 = 4;
inline constexpr uint32_t kUInt8 = 5, kUInt16 = 6, kUInt32 = 7, kUInt64 = 8;
inline constexpr uint32_t kFloat = 9, kDouble = 10, kBoolean = 11, kString = 12, kText = 14;
}  // namespace sparkplug_type

// The catalog type a Sparkplug data type is stored as: Int8..UInt64 int64, Float and Double
// float64, Boolean bool, String and Text string; nullopt for the rest (DateTime, DataSet,
// Template, arrays...), which this host does not store.
std::optional<DataType> CatalogTypeOf(uint32_t sparkplug_type);

// The specification's name of a data type ("Int32", "Template"...), or "type <n>".
std::string SparkplugTypeName(uint32_t sparkplug_type);

// A metric's value as it was on the wire, before its data type (often given only in the
// BIRTH) says how to read it. kOther: a DataSet, Template, bytes or an extension.
struct RawValue {
  enum class Kind : uint8_t { kNone, kInt, kLong, kFloat, kDouble, kBool, kString, kOther };
  Kind kind = Kind::kNone;
  uint64_t bits = 0;  // kInt, kLong, kBool
  double number = 0;  // kFloat, kDouble
  std::string text;   // kString
};

struct DecodedMetric {
  std::optional<std::string> name;
  std::optional<uint64_t> alias;
  std::optional<uint64_t> timestamp_ms;
  std::optional<uint32_t> datatype;
  bool is_null = false;
  RawValue value;
};

struct DecodedPayload {
  std::optional<uint64_t> timestamp_ms;
  std::optional<uint64_t> seq;
  std::vector<DecodedMetric> metrics;
};

// Corruption for bytes that are not a Sparkplug B payload.
Result<DecodedPayload> DecodePayload(std::string_view bytes);

using MetricValue = std::variant<double, int64_t, bool, std::string>;

// The value of `raw` read as `sparkplug_type` (one CatalogTypeOf knows). InvalidArgument when
// the wire value does not fit the type (a string for an Int32, a UInt64 beyond int64...).
Result<MetricValue> InterpretValue(const RawValue& raw, uint32_t sparkplug_type);

// A payload with one metric `metric_name` of `sparkplug_type` set to `value` (converted to the
// type; InvalidArgument when it cannot be), stamped `timestamp_ms`, for an NCMD or DCMD.
Result<std::string> EncodeCommand(std::string_view metric_name, uint32_t sparkplug_type, const WriteValue& value,
                                  uint64_t timestamp_ms);

}  // namespace zhizao::connect::mqtt
