#include "connect/opcua/data_types.h"

#include <cmath>
#include <limits>

#include "connect/opcua/status_codes.h"

namespace zhizao::connect::opcua {
namespace {

constexpr uint32_t kNumber = 26, kInteger = 27, kUInteger = 28, kEnumeration = 29;
constexpr uint32_t kIntegerId = 288, kDuration = 290, kUtcTime = 294, kLocaleId = 295;

// A number held by a Scalar, if it holds one.
std::optional<double> NumberOf(const Scalar& s) {
  if (auto* b = std::get_if<bool>(&s)) return *b ? 1.0 : 0.0;
  if (auto* i = std::get_if<int64_t>(&s)) return static_cast<double>(*i);
  if (auto* u = std::get_if<uint64_t>(&s)) return static_cast<double>(*u);
  if (auto* d = std::get_if<double>(&s)) return *d;
  return std::nullopt;
}

std::optional<int64_t> IntegerOf(BuiltinType type, const Scalar& s) {
  if (type == BuiltinType::kDateTime) {
    if (auto* t = std::get_if<int64_t>(&s)) return *t == 0 ? 0 : UnixNsFromDateTime(*t);
  }
  if (auto* i = std::get_if<int64_t>(&s)) return *i;
  if (auto* u = std::get_if<uint64_t>(&s)) return static_cast<int64_t>(*u);
  if (auto* b = std::get_if<bool>(&s)) return *b ? 1 : 0;
  if (auto* d = std::get_if<double>(&s); d && std::isfinite(*d) && std::fabs(*d) < 9.2e18) return std::llround(*d);
  return std::nullopt;
}

std::optional<std::string> TextOf(const Scalar& s) {
  if (auto* text = std::get_if<std::string>(&s)) return *text;
  if (auto* localized = std::get_if<LocalizedText>(&s)) return localized->text;
  if (auto* name = std::get_if<QualifiedName>(&s)) return name->name;
  if (auto* node = std::get_if<NodeId>(&s)) return node->ToString();
  if (auto* i = std::get_if<int64_t>(&s)) return std::to_string(*i);
  if (auto* u = std::get_if<uint64_t>(&s)) return std::to_string(*u);
  if (auto* d = std::get_if<double>(&s)) return std::to_string(*d);
  if (auto* b = std::get_if<bool>(&s)) return std::string(*b ? "true" : "false");
  return std::nullopt;
}

void AppendBad(Batch& batch, TagId tag, DataType type, int64_t ts_ns, uint32_t status) {
  if (type == DataType::kString) return batch.AddString(tag, ts_ns, "", status);
  batch.points.push_back({tag, status, ts_ns, type == DataType::kInt64 ? Value::Int64(0)
                                              : type == DataType::kBool ? Value::Bool(false)
                                                                        : Value::Float64(0)});
}

template <typename T>
Result<Scalar> CheckedInteger(double v, BuiltinType type) {
  // 2^digits is exact as a double, unlike the type's maximum (2^63 - 1 rounds up to 2^63).
  const double above = std::ldexp(1.0, std::numeric_limits<T>::digits);
  const double lowest = std::is_signed_v<T> ? -above : 0.0;
  if (!std::isfinite(v) || v != std::trunc(v) || v < lowest || v >= above) {
    return Status::InvalidArgument("value " + std::to_string(v) + " does not fit an OPC UA " +
                                   std::string(BuiltinTypeName(type)));
  }
  if constexpr (std::is_signed_v<T>) {
    return Scalar(static_cast<int64_t>(v));
  } else {
    return Scalar(static_cast<uint64_t>(v));
  }
}

Result<Scalar> NumericScalar(double v, BuiltinType type) {
  switch (type) {
    case BuiltinType::kBoolean: return Scalar(v != 0);
    case BuiltinType::kSByte: return CheckedInteger<int8_t>(v, type);
    case BuiltinType::kByte: return CheckedInteger<uint8_t>(v, type);
    case BuiltinType::kInt16: return CheckedInteger<int16_t>(v, type);
    case BuiltinType::kUInt16: return CheckedInteger<uint16_t>(v, type);
    case BuiltinType::kInt32: return CheckedInteger<int32_t>(v, type);
    case BuiltinType::kUInt32: return CheckedInteger<uint32_t>(v, type);
    case BuiltinType::kInt64: return CheckedInteger<int64_t>(v, type);
    case BuiltinType::kUInt64: return CheckedInteger<uint64_t>(v, type);
    case BuiltinType::kFloat:
    case BuiltinType::kDouble: return Scalar(v);
    default:
      return Status::InvalidArgument("a number cannot be written to a node of type " +
                                     std::string(BuiltinTypeName(type)));
  }
}

}  // namespace

std::optional<BuiltinType> BuiltinTypeOfDataType(const NodeId& data_type) {
  if (data_type.ns != 0 || data_type.kind != NodeId::Kind::kNumeric) return std::nullopt;
  const uint32_t id = data_type.numeric;
  if (id >= 1 && id <= kMaxBuiltinType) return static_cast<BuiltinType>(id);
  switch (id) {
    case kNumber:
    case kDuration: return BuiltinType::kDouble;
    case kInteger: return BuiltinType::kInt64;
    case kUInteger: return BuiltinType::kUInt64;
    case kEnumeration: return BuiltinType::kInt32;
    case kIntegerId: return BuiltinType::kUInt32;
    case kUtcTime: return BuiltinType::kDateTime;
    case kLocaleId: return BuiltinType::kString;
    default: return std::nullopt;
  }
}

DataType CatalogTypeOf(BuiltinType type) {
  switch (type) {
    case BuiltinType::kBoolean: return DataType::kBool;
    case BuiltinType::kSByte:
    case BuiltinType::kByte:
    case BuiltinType::kInt16:
    case BuiltinType::kUInt16:
    case BuiltinType::kInt32:
    case BuiltinType::kUInt32:
    case BuiltinType::kInt64:
    case BuiltinType::kUInt64:
    case BuiltinType::kStatusCode:
    case BuiltinType::kDateTime: return DataType::kInt64;
    case BuiltinType::kFloat:
    case BuiltinType::kDouble: return DataType::kFloat64;
    default: return DataType::kString;
  }
}

void AppendSample(Batch& batch, TagId tag, DataType type, const DataValue& value, int64_t receive_ns) {
  int64_t ts_ns = receive_ns;
  if (value.source_timestamp > 0) {
    ts_ns = UnixNsFromDateTime(value.source_timestamp);
  } else if (value.server_timestamp > 0) {
    ts_ns = UnixNsFromDateTime(value.server_timestamp);
  }
  const Variant& v = value.value;
  if (!value.has_value || !v.is_scalar()) {
    return AppendBad(batch, tag, type, ts_ns,
                     ua_status::IsBad(value.status) ? value.status : ua_status::kBadTypeMismatch);
  }
  const Scalar& s = v.values[0];
  switch (type) {
    case DataType::kFloat64:
      if (auto n = NumberOf(s)) return batch.AddFloat64(tag, ts_ns, *n, value.status);
      break;
    case DataType::kInt64:
      if (auto i = IntegerOf(v.type, s)) return batch.AddInt64(tag, ts_ns, *i, value.status);
      break;
    case DataType::kBool:
      if (auto n = NumberOf(s)) return batch.AddBool(tag, ts_ns, *n != 0, value.status);
      break;
    case DataType::kString:
      if (auto t = TextOf(s)) return batch.AddString(tag, ts_ns, std::move(*t), value.status);
      break;
  }
  AppendBad(batch, tag, type, ts_ns, ua_status::kBadTypeMismatch);
}

Result<Variant> VariantForWrite(const WriteValue& value, BuiltinType type) {
  if (auto* text = std::get_if<std::string>(&value)) {
    if (type != BuiltinType::kString && type != BuiltinType::kByteString) {
      return Status::InvalidArgument("text cannot be written to a node of type " + std::string(BuiltinTypeName(type)));
    }
    return Variant::Of(type, *text);
  }
  double number = 0;
  if (auto* d = std::get_if<double>(&value)) number = *d;
  if (auto* i = std::get_if<int64_t>(&value)) {
    if (type == BuiltinType::kInt64) return Variant::Of(type, *i);  // exact beyond 2^53
    number = static_cast<double>(*i);
  }
  if (auto* b = std::get_if<bool>(&value)) number = *b ? 1 : 0;
  if (type == BuiltinType::kString) return Variant::Of(type, std::to_string(number));
  ZZ_ASSIGN_OR_RETURN(Scalar scalar, NumericScalar(number, type));
  return Variant::Of(type, std::move(scalar));
}

}  // namespace zhizao::connect::opcua
