// Encoding and decoding of the OPC UA built-in types (Part 6, 5.2.2).
//
// Decoders read from a BinaryReader and never fail loudly: on bad input they return empty
// values and leave the error in the reader, so a caller decodes a whole structure and checks
// reader.status() once. Encoders append to a BinaryWriter.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "connect/opcua/binary_reader.h"
#include "connect/opcua/binary_writer.h"
#include "connect/opcua/types.h"

namespace zhizao::connect::opcua {

void EncodeNodeId(BinaryWriter& w, const NodeId& id);
void EncodeExpandedNodeId(BinaryWriter& w, const ExpandedNodeId& id);
void EncodeQualifiedName(BinaryWriter& w, const QualifiedName& name);
void EncodeLocalizedText(BinaryWriter& w, const LocalizedText& text);
void EncodeExtensionObject(BinaryWriter& w, const ExtensionObject& object);
// The null ExtensionObject: no type, no body.
void EncodeNullExtensionObject(BinaryWriter& w);
// REQUIRES: every element holds the alternative its type widens to (see Scalar).
void EncodeVariant(BinaryWriter& w, const Variant& variant);
void EncodeDataValue(BinaryWriter& w, const DataValue& value);
void EncodeStringArray(BinaryWriter& w, const std::vector<std::string>& strings);
void EncodeU32Array(BinaryWriter& w, const std::vector<uint32_t>& values);

NodeId DecodeNodeId(BinaryReader& r);
ExpandedNodeId DecodeExpandedNodeId(BinaryReader& r);
QualifiedName DecodeQualifiedName(BinaryReader& r);
LocalizedText DecodeLocalizedText(BinaryReader& r);
ExtensionObject DecodeExtensionObject(BinaryReader& r);
Variant DecodeVariant(BinaryReader& r);
DataValue DecodeDataValue(BinaryReader& r);
Guid DecodeGuid(BinaryReader& r);
// DiagnosticInfo is read past, not kept: zhizao reports status codes, not server diagnostics.
void SkipDiagnosticInfo(BinaryReader& r);
void SkipDiagnosticInfoArray(BinaryReader& r);
std::vector<std::string> DecodeStringArray(BinaryReader& r);
std::vector<uint32_t> DecodeU32Array(BinaryReader& r);

// The fewest bytes one element of `type` takes on the wire (bounds array counts).
size_t MinEncodedBytes(BuiltinType type);

// Decodes an array whose elements take at least `min_wire_bytes` each with `decode_one(r)`.
template <typename T, typename F>
std::vector<T> DecodeArray(BinaryReader& r, size_t min_wire_bytes, F&& decode_one) {
  uint32_t n = r.ArrayLength(min_wire_bytes, sizeof(T));
  std::vector<T> out;
  out.reserve(n);
  for (uint32_t i = 0; i < n && r.ok(); ++i) out.push_back(decode_one(r));
  return out;
}

template <typename T, typename F>
void EncodeArray(BinaryWriter& w, const std::vector<T>& values, F&& encode_one) {
  w.I32(static_cast<int32_t>(values.size()));
  for (const T& v : values) encode_one(w, v);
}

}  // namespace zhizao::connect::opcua
