#include "connect/mqtt/internal/sparkplug_payload.h"

#include <array>
#include <cmath>
#include <limits>

#include "connect/mqtt/sparkplug_b.pb.h"

namespace zhizao::connect::mqtt {
namespace {

using Metric = zhizao::sparkplug::Payload::Metric;
namespace t = sparkplug_type;

constexpr std::array<std::string_view, 35> kTypeNames = {
    "Unknown",       "Int8",          "Int16",          "Int32",          "Int64",        "UInt8",        "UInt16",
    "UInt32",        "UInt64",        "Float",          "Double",         "Boolean",      "String",       "DateTime",
    "Text",          "UUID",          "DataSet",        "Bytes",          "File",         "Template",     "PropertySet",
    "PropertySetList", "Int8Array",   "Int16Array",     "Int32Array",     "Int64Array",   "UInt8Array",   "UInt16Array",
    "UInt32Array",   "UInt64Array",   "FloatArray",     "DoubleArray",    "BooleanArray", "StringArray",  "DateTimeArray"};

RawValue RawOf(const Metric& m) {
  RawValue raw;
  switch (m.value_case()) {
    case Metric::kIntValue: raw = {RawValue::Kind::kInt, m.int_value()}; break;
    case Metric::kLongValue: raw = {RawValue::Kind::kLong, m.long_value()}; break;
    case Metric::kFloatValue: raw = {RawValue::Kind::kFloat, 0, m.float_value()}; break;
    case Metric::kDoubleValue: raw = {RawValue::Kind::kDouble, 0, m.double_value()}; break;
    case Metric::kBooleanValue: raw = {RawValue::Kind::kBool, m.boolean_value() ? 1u : 0u}; break;
    case Metric::kStringValue: raw = {RawValue::Kind::kString, 0, 0, m.string_value()}; break;
    case Metric::VALUE_NOT_SET: break;
    default: raw.kind = RawValue::Kind::kOther; break;
  }
  return raw;
}

bool IsInteger(RawValue::Kind kind) { return kind == RawValue::Kind::kInt || kind == RawValue::Kind::kLong; }

// Two's complement of the low `bits` bits, as the specification stores signed types.
int64_t SignExtend(uint64_t value, int bits) {
  if (bits == 64) return static_cast<int64_t>(value);
  uint64_t sign = uint64_t{1} << (bits - 1);
  uint64_t low = value & ((uint64_t{1} << bits) - 1);
  return static_cast<int64_t>(low ^ sign) - static_cast<int64_t>(sign);
}

Result<MetricValue> IntegerValue(const RawValue& raw, uint32_t type) {
  if (!IsInteger(raw.kind)) return Status::InvalidArgument("an integer metric carries no integer value");
  switch (type) {
    case t::kInt8: return MetricValue(SignExtend(raw.bits, 8));
    case t::kInt16: return MetricValue(SignExtend(raw.bits, 16));
    case t::kInt32: return MetricValue(SignExtend(raw.bits, 32));
    case t::kInt64: return MetricValue(SignExtend(raw.bits, 64));
    case t::kUInt8: return MetricValue(static_cast<int64_t>(raw.bits & 0xFF));
    case t::kUInt16: return MetricValue(static_cast<int64_t>(raw.bits & 0xFFFF));
    case t::kUInt32: return MetricValue(static_cast<int64_t>(raw.bits & 0xFFFFFFFF));
    default:
      if (raw.bits > uint64_t{std::numeric_limits<int64_t>::max()}) {
        return Status::InvalidArgument("UInt64 value " + std::to_string(raw.bits) + " is beyond int64");
      }
      return MetricValue(static_cast<int64_t>(raw.bits));
  }
}

// The value as the type `type` wants for a command, or InvalidArgument.
Status SetCommandValue(Metric& m, uint32_t type, const WriteValue& value) {
  std::optional<DataType> catalog = CatalogTypeOf(type);
  if (!catalog) return Status::InvalidArgument("metric type " + SparkplugTypeName(type) + " cannot be written");
  const double* d = std::get_if<double>(&value);
  const int64_t* i = std::get_if<int64_t>(&value);
  switch (*catalog) {
    case DataType::kFloat64: {
      if (!d && !i) return Status::InvalidArgument("a " + SparkplugTypeName(type) + " metric takes a number");
      double v = d ? *d : static_cast<double>(*i);
      if (type == t::kFloat) m.set_float_value(static_cast<float>(v));
      else m.set_double_value(v);
      return Status::Ok();
    }
    case DataType::kInt64: {
      if (d && (std::trunc(*d) != *d || !(std::abs(*d) < 9.2e18))) return Status::InvalidArgument("not a whole number");
      if (!d && !i) return Status::InvalidArgument("a " + SparkplugTypeName(type) + " metric takes a whole number");
      int64_t v = d ? static_cast<int64_t>(*d) : *i;
      if (type == t::kInt64 || type == t::kUInt64) m.set_long_value(static_cast<uint64_t>(v));
      else m.set_int_value(static_cast<uint32_t>(v));
      return Status::Ok();
    }
    case DataType::kBool:
      if (!std::holds_alternative<bool>(value)) return Status::InvalidArgument("a Boolean metric takes true or false");
      m.set_boolean_value(std::get<bool>(value));
      return Status::Ok();
    case DataType::kString:
      if (!std::holds_alternative<std::string>(value)) return Status::InvalidArgument("a String metric takes a string");
      m.set_string_value(std::get<std::string>(value));
      return Status::Ok();
  }
  return Status::Internal("unknown catalog type");
}

}  // namespace

std::optional<DataType> CatalogTypeOf(uint32_t type) {
  if (type >= t::kInt8 && type <= t::kUInt64) return DataType::kInt64;
  if (type == t::kFloat || type == t::kDouble) return DataType::kFloat64;
  if (type == t::kBoolean) return DataType::kBool;
  if (type == t::kString || type == t::kText) return DataType::kString;
  return std::nullopt;
}

std::string SparkplugTypeName(uint32_t type) {
  if (type < kTypeNames.size()) return std::string(kTypeNames[type]);
  return "type " + std::to_string(type);
}

Result<DecodedPayload> DecodePayload(std::string_view bytes) {
  zhizao::sparkplug::Payload payload;
  if (bytes.size() > static_cast<size_t>(std::numeric_limits<int>::max()) ||
      !payload.ParseFromArray(bytes.data(), static_cast<int>(bytes.size()))) {
    return Status::Corruption("not a Sparkplug B payload (" + std::to_string(bytes.size()) + " bytes)");
  }
  DecodedPayload decoded;
  if (payload.has_timestamp()) decoded.timestamp_ms = payload.timestamp();
  if (payload.has_seq()) decoded.seq = payload.seq();
  decoded.metrics.reserve(static_cast<size_t>(payload.metrics_size()));
  for (const Metric& m : payload.metrics()) {
    DecodedMetric metric;
    if (m.has_name()) metric.name = m.name();
    if (m.has_alias()) metric.alias = m.alias();
    if (m.has_timestamp()) metric.timestamp_ms = m.timestamp();
    if (m.has_datatype()) metric.datatype = m.datatype();
    metric.is_null = m.is_null();
    metric.value = RawOf(m);
    decoded.metrics.push_back(std::move(metric));
  }
  return decoded;
}

Result<MetricValue> InterpretValue(const RawValue& raw, uint32_t type) {
  std::optional<DataType> catalog = CatalogTypeOf(type);
  if (!catalog) return Status::InvalidArgument("metric type " + SparkplugTypeName(type) + " is not stored");
  switch (*catalog) {
    case DataType::kInt64: return IntegerValue(raw, type);
    case DataType::kFloat64:
      if (raw.kind == RawValue::Kind::kFloat || raw.kind == RawValue::Kind::kDouble) return MetricValue(raw.number);
      return Status::InvalidArgument("a " + SparkplugTypeName(type) + " metric carries no float value");
    case DataType::kBool:
      if (raw.kind == RawValue::Kind::kBool) return MetricValue(raw.bits != 0);
      return Status::InvalidArgument("a Boolean metric carries no boolean value");
    case DataType::kString:
      if (raw.kind == RawValue::Kind::kString) return MetricValue(raw.text);
      return Status::InvalidArgument("a " + SparkplugTypeName(type) + " metric carries no string value");
  }
  return Status::Internal("unknown catalog type");
}

Result<std::string> EncodeCommand(std::string_view metric_name, uint32_t type, const WriteValue& value,
                                  uint64_t timestamp_ms) {
  zhizao::sparkplug::Payload payload;
  payload.set_timestamp(timestamp_ms);
  Metric* metric = payload.add_metrics();
  metric->set_name(std::string(metric_name));
  metric->set_timestamp(timestamp_ms);
  metric->set_datatype(type);
  ZZ_RETURN_IF_ERROR(SetCommandValue(*metric, type, value).WithContext("metric '" + std::string(metric_name) + "'"));
  return payload.SerializeAsString();
}

}  // namespace zhizao::connect::mqtt
