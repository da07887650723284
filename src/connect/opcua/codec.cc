#include "connect/opcua/codec.h"

#include "common/check.h"

namespace zhizao::connect::opcua {
namespace {

constexpr uint8_t kNamespaceUriFlag = 0x80;
constexpr uint8_t kServerIndexFlag = 0x40;
constexpr uint8_t kVariantArrayFlag = 0x80;
constexpr uint8_t kVariantDimensionsFlag = 0x40;

void EncodeNodeIdWithFlags(BinaryWriter& w, const NodeId& id, uint8_t flags) {
  switch (id.kind) {
    case NodeId::Kind::kNumeric:
      if (id.ns == 0 && id.numeric <= 0xFF) {
        w.U8(0x00 | flags);
        w.U8(static_cast<uint8_t>(id.numeric));
      } else if (id.ns <= 0xFF && id.numeric <= 0xFFFF) {
        w.U8(0x01 | flags);
        w.U8(static_cast<uint8_t>(id.ns));
        w.U16(static_cast<uint16_t>(id.numeric));
      } else {
        w.U8(0x02 | flags);
        w.U16(id.ns);
        w.U32(id.numeric);
      }
      return;
    case NodeId::Kind::kString:
      w.U8(0x03 | flags);
      w.U16(id.ns);
      w.String(id.text);
      return;
    case NodeId::Kind::kGuid:
      ZZ_CHECK(id.text.size() == 16, "a guid node id holds 16 bytes");
      w.U8(0x04 | flags);
      w.U16(id.ns);
      w.Raw(id.text);
      return;
    case NodeId::Kind::kOpaque:
      w.U8(0x05 | flags);
      w.U16(id.ns);
      w.String(id.text);
      return;
  }
}

// Reads a node id whose first byte is `encoding` without its flag bits.
NodeId DecodeNodeIdBody(BinaryReader& r, uint8_t encoding) {
  NodeId id;
  switch (encoding) {
    case 0x00: id.numeric = r.U8(); break;
    case 0x01:
      id.ns = r.U8();
      id.numeric = r.U16();
      break;
    case 0x02:
      id.ns = r.U16();
      id.numeric = r.U32();
      break;
    case 0x03:
      id.ns = r.U16();
      id.kind = NodeId::Kind::kString;
      id.text = r.String();
      break;
    case 0x04: {
      id.ns = r.U16();
      id.kind = NodeId::Kind::kGuid;
      auto bytes = r.Take(16);
      id.text.assign(bytes.begin(), bytes.end());
      break;
    }
    case 0x05:
      id.ns = r.U16();
      id.kind = NodeId::Kind::kOpaque;
      id.text = r.String();
      break;
    default: r.Fail("unknown node id encoding " + std::to_string(encoding));
  }
  return id;
}

template <typename T>
const T& Get(const Scalar& s) {
  const T* v = std::get_if<T>(&s);
  ZZ_CHECK(v != nullptr, "a variant element holds the alternative of its type");
  return *v;
}

void EncodeScalar(BinaryWriter& w, BuiltinType type, const Scalar& s) {
  switch (type) {
    case BuiltinType::kNull: return;
    case BuiltinType::kBoolean: return w.Bool(Get<bool>(s));
    case BuiltinType::kSByte:
    case BuiltinType::kByte: return w.U8(static_cast<uint8_t>(type == BuiltinType::kSByte ? Get<int64_t>(s) : int64_t(Get<uint64_t>(s))));
    case BuiltinType::kInt16: return w.I16(static_cast<int16_t>(Get<int64_t>(s)));
    case BuiltinType::kUInt16: return w.U16(static_cast<uint16_t>(Get<uint64_t>(s)));
    case BuiltinType::kInt32: return w.I32(static_cast<int32_t>(Get<int64_t>(s)));
    case BuiltinType::kUInt32:
    case BuiltinType::kStatusCode: return w.U32(static_cast<uint32_t>(Get<uint64_t>(s)));
    case BuiltinType::kInt64:
    case BuiltinType::kDateTime: return w.I64(Get<int64_t>(s));
    case BuiltinType::kUInt64: return w.U64(Get<uint64_t>(s));
    case BuiltinType::kFloat: return w.F32(static_cast<float>(Get<double>(s)));
    case BuiltinType::kDouble: return w.F64(Get<double>(s));
    case BuiltinType::kString:
    case BuiltinType::kByteString:
    case BuiltinType::kXmlElement: return w.String(Get<std::string>(s));
    case BuiltinType::kGuid: {
      const Guid& g = Get<Guid>(s);
      return w.Raw(std::string_view(reinterpret_cast<const char*>(g.data()), g.size()));
    }
    case BuiltinType::kNodeId: return EncodeNodeId(w, Get<NodeId>(s));
    case BuiltinType::kExpandedNodeId: return EncodeExpandedNodeId(w, Get<ExpandedNodeId>(s));
    case BuiltinType::kQualifiedName: return EncodeQualifiedName(w, Get<QualifiedName>(s));
    case BuiltinType::kLocalizedText: return EncodeLocalizedText(w, Get<LocalizedText>(s));
    case BuiltinType::kExtensionObject: return EncodeExtensionObject(w, Get<ExtensionObject>(s));
    case BuiltinType::kDataValue: return EncodeDataValue(w, *Get<std::shared_ptr<const DataValue>>(s));
    case BuiltinType::kVariant: return EncodeVariant(w, *Get<std::shared_ptr<const Variant>>(s));
    case BuiltinType::kDiagnosticInfo: return w.U8(0);  // kept as empty: zhizao never sends diagnostics
  }
}

Scalar DecodeScalar(BinaryReader& r, BuiltinType type) {
  switch (type) {
    case BuiltinType::kNull: return std::monostate{};
    case BuiltinType::kBoolean: return r.Bool();
    case BuiltinType::kSByte: return int64_t{r.I8()};
    case BuiltinType::kByte: return uint64_t{r.U8()};
    case BuiltinType::kInt16: return int64_t{r.I16()};
    case BuiltinType::kUInt16: return uint64_t{r.U16()};
    case BuiltinType::kInt32: return int64_t{r.I32()};
    case BuiltinType::kUInt32:
    case BuiltinType::kStatusCode: return uint64_t{r.U32()};
    case BuiltinType::kInt64:
    case BuiltinType::kDateTime: return r.I64();
    case BuiltinType::kUInt64: return r.U64();
    case BuiltinType::kFloat: return double{r.F32()};
    case BuiltinType::kDouble: return r.F64();
    case BuiltinType::kString:
    case BuiltinType::kByteString:
    case BuiltinType::kXmlElement: return r.String();
    case BuiltinType::kGuid: return DecodeGuid(r);
    case BuiltinType::kNodeId: return DecodeNodeId(r);
    case BuiltinType::kExpandedNodeId: return DecodeExpandedNodeId(r);
    case BuiltinType::kQualifiedName: return DecodeQualifiedName(r);
    case BuiltinType::kLocalizedText: return DecodeLocalizedText(r);
    case BuiltinType::kExtensionObject: return DecodeExtensionObject(r);
    case BuiltinType::kDataValue: return std::make_shared<const DataValue>(DecodeDataValue(r));
    case BuiltinType::kVariant: return std::make_shared<const Variant>(DecodeVariant(r));
    case BuiltinType::kDiagnosticInfo: SkipDiagnosticInfo(r); return std::monostate{};
  }
  return std::monostate{};
}

}  // namespace

size_t MinEncodedBytes(BuiltinType type) {
  switch (type) {
    case BuiltinType::kInt16:
    case BuiltinType::kUInt16:
    case BuiltinType::kNodeId:
    case BuiltinType::kExpandedNodeId: return 2;
    case BuiltinType::kInt32:
    case BuiltinType::kUInt32:
    case BuiltinType::kFloat:
    case BuiltinType::kStatusCode:
    case BuiltinType::kString:
    case BuiltinType::kByteString:
    case BuiltinType::kXmlElement: return 4;
    case BuiltinType::kInt64:
    case BuiltinType::kUInt64:
    case BuiltinType::kDouble:
    case BuiltinType::kDateTime: return 8;
    case BuiltinType::kGuid: return 16;
    case BuiltinType::kQualifiedName: return 6;
    case BuiltinType::kExtensionObject: return 3;
    default: return 1;
  }
}

void EncodeNodeId(BinaryWriter& w, const NodeId& id) { EncodeNodeIdWithFlags(w, id, 0); }

void EncodeExpandedNodeId(BinaryWriter& w, const ExpandedNodeId& id) {
  uint8_t flags = (id.namespace_uri.empty() ? 0 : kNamespaceUriFlag) | (id.server_index == 0 ? 0 : kServerIndexFlag);
  EncodeNodeIdWithFlags(w, id.node, flags);
  if (!id.namespace_uri.empty()) w.String(id.namespace_uri);
  if (id.server_index != 0) w.U32(id.server_index);
}

void EncodeQualifiedName(BinaryWriter& w, const QualifiedName& name) {
  w.U16(name.ns);
  w.String(name.name);
}

void EncodeLocalizedText(BinaryWriter& w, const LocalizedText& text) {
  w.U8((text.locale.empty() ? 0 : 0x01) | (text.text.empty() ? 0 : 0x02));
  if (!text.locale.empty()) w.String(text.locale);
  if (!text.text.empty()) w.String(text.text);
}

void EncodeExtensionObject(BinaryWriter& w, const ExtensionObject& object) {
  EncodeNodeId(w, object.type_id);
  w.U8(object.encoding);
  if (object.encoding != 0) w.String(object.body);
}

void EncodeNullExtensionObject(BinaryWriter& w) {
  w.U8(0x00);  // two-byte node id 0
  w.U8(0x00);
  w.U8(0x00);  // no body
}

void EncodeVariant(BinaryWriter& w, const Variant& variant) {
  if (variant.type == BuiltinType::kNull) return w.U8(0);
  uint8_t mask = static_cast<uint8_t>(variant.type);
  if (variant.is_array) mask |= kVariantArrayFlag;
  if (variant.is_array && !variant.dimensions.empty()) mask |= kVariantDimensionsFlag;
  w.U8(mask);
  if (!variant.is_array) {
    ZZ_CHECK(variant.values.size() == 1, "a scalar variant holds one value");
    return EncodeScalar(w, variant.type, variant.values[0]);
  }
  w.I32(static_cast<int32_t>(variant.values.size()));
  for (const Scalar& s : variant.values) EncodeScalar(w, variant.type, s);
  if (!variant.dimensions.empty()) {
    w.I32(static_cast<int32_t>(variant.dimensions.size()));
    for (int32_t d : variant.dimensions) w.I32(d);
  }
}

void EncodeDataValue(BinaryWriter& w, const DataValue& value) {
  uint8_t mask = (value.has_value ? 0x01 : 0) | (value.status != 0 ? 0x02 : 0) |
                 (value.source_timestamp != 0 ? 0x04 : 0) | (value.server_timestamp != 0 ? 0x08 : 0);
  w.U8(mask);
  if (value.has_value) EncodeVariant(w, value.value);
  if (value.status != 0) w.U32(value.status);
  if (value.source_timestamp != 0) w.I64(value.source_timestamp);
  if (value.server_timestamp != 0) w.I64(value.server_timestamp);
}

void EncodeStringArray(BinaryWriter& w, const std::vector<std::string>& strings) {
  EncodeArray(w, strings, [](BinaryWriter& out, const std::string& s) { out.String(s); });
}

void EncodeU32Array(BinaryWriter& w, const std::vector<uint32_t>& values) {
  EncodeArray(w, values, [](BinaryWriter& out, uint32_t v) { out.U32(v); });
}

NodeId DecodeNodeId(BinaryReader& r) {
  uint8_t encoding = r.U8();
  if (encoding & (kNamespaceUriFlag | kServerIndexFlag)) {
    r.Fail("a NodeId carries ExpandedNodeId flags");
    return {};
  }
  return DecodeNodeIdBody(r, encoding);
}

ExpandedNodeId DecodeExpandedNodeId(BinaryReader& r) {
  uint8_t encoding = r.U8();
  ExpandedNodeId id;
  id.node = DecodeNodeIdBody(r, encoding & 0x3F);
  if (encoding & kNamespaceUriFlag) id.namespace_uri = r.String();
  if (encoding & kServerIndexFlag) id.server_index = r.U32();
  return id;
}

QualifiedName DecodeQualifiedName(BinaryReader& r) {
  QualifiedName name;
  name.ns = r.U16();
  name.name = r.String();
  return name;
}

LocalizedText DecodeLocalizedText(BinaryReader& r) {
  uint8_t mask = r.U8();
  LocalizedText text;
  if (mask & 0x01) text.locale = r.String();
  if (mask & 0x02) text.text = r.String();
  return text;
}

ExtensionObject DecodeExtensionObject(BinaryReader& r) {
  ExtensionObject object;
  object.type_id = DecodeNodeId(r);
  object.encoding = r.U8();
  if (object.encoding == 1 || object.encoding == 2) {
    object.body = r.String();
  } else if (object.encoding != 0) {
    r.Fail("unknown ExtensionObject encoding " + std::to_string(object.encoding));
  }
  return object;
}

Guid DecodeGuid(BinaryReader& r) {
  Guid g{};
  auto bytes = r.Take(16);
  if (bytes.size() == 16) std::copy(bytes.begin(), bytes.end(), g.begin());
  return g;
}

Variant DecodeVariant(BinaryReader& r) {
  Variant variant;
  DepthGuard depth(r);
  if (!depth.entered()) return variant;
  uint8_t mask = r.U8();
  uint8_t type = mask & 0x3F;
  if (type > kMaxBuiltinType) {
    r.Fail("unknown variant type " + std::to_string(type));
    return variant;
  }
  variant.type = static_cast<BuiltinType>(type);
  variant.is_array = (mask & kVariantArrayFlag) != 0;
  if (variant.is_array && variant.type == BuiltinType::kNull) {
    r.Fail("an array of Null variants");
    return {};
  }
  if (!variant.is_array) {
    if (variant.type != BuiltinType::kNull) variant.values.push_back(DecodeScalar(r, variant.type));
    return variant;
  }
  uint32_t n = r.ArrayLength(MinEncodedBytes(variant.type), sizeof(Scalar));
  variant.values.reserve(n);
  for (uint32_t i = 0; i < n && r.ok(); ++i) variant.values.push_back(DecodeScalar(r, variant.type));
  if (mask & kVariantDimensionsFlag) {
    variant.dimensions = DecodeArray<int32_t>(r, 4, [](BinaryReader& in) { return in.I32(); });
  }
  return variant;
}

DataValue DecodeDataValue(BinaryReader& r) {
  DataValue value;
  DepthGuard depth(r);
  if (!depth.entered()) return value;
  uint8_t mask = r.U8();
  if (mask & 0x01) {
    value.has_value = true;
    value.value = DecodeVariant(r);
  }
  if (mask & 0x02) value.status = r.U32();
  if (mask & 0x04) value.source_timestamp = r.I64();
  if (mask & 0x10) value.source_picoseconds = r.U16();
  if (mask & 0x08) value.server_timestamp = r.I64();
  if (mask & 0x20) value.server_picoseconds = r.U16();
  return value;
}

void SkipDiagnosticInfo(BinaryReader& r) {
  DepthGuard depth(r);
  if (!depth.entered()) return;
  uint8_t mask = r.U8();
  for (uint8_t bit : {0x01, 0x02, 0x04, 0x08}) {
    if (mask & bit) r.I32();  // symbolic id, namespace uri, localized text, locale: string-table indexes
  }
  if (mask & 0x10) r.SkipString();
  if (mask & 0x20) r.U32();
  if (mask & 0x40) SkipDiagnosticInfo(r);
}

void SkipDiagnosticInfoArray(BinaryReader& r) {
  uint32_t n = r.ArrayLength(1, 0);
  for (uint32_t i = 0; i < n && r.ok(); ++i) SkipDiagnosticInfo(r);
}

std::vector<std::string> DecodeStringArray(BinaryReader& r) {
  return DecodeArray<std::string>(r, 4, [](BinaryReader& in) { return in.String(); });
}

std::vector<uint32_t> DecodeU32Array(BinaryReader& r) {
  return DecodeArray<uint32_t>(r, 4, [](BinaryReader& in) { return in.U32(); });
}

}  // namespace zhizao::connect::opcua
