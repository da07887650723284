// The OPC UA built-in types (Part 6, 5.1.2) as plain values, and NodeId's text form (Part 6, 5.3.1.10).
// Values, not thread-safe; copy freely.
#pragma once

#include <array>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "common/status.h"

namespace zhizao::connect::opcua {

// Built-in type ids as a Variant's encoding mask carries them.
enum class BuiltinType : uint8_t {
  kNull = 0, kBoolean = 1, kSByte = 2, kByte = 3, kInt16 = 4, kUInt16 = 5, kInt32 = 6, kUInt32 = 7,
  kInt64 = 8, kUInt64 = 9, kFloat = 10, kDouble = 11, kString = 12, kDateTime = 13, kGuid = 14,
  kByteString = 15, kXmlElement = 16, kNodeId = 17, kExpandedNodeId = 18, kStatusCode = 19,
  kQualifiedName = 20, kLocalizedText = 21, kExtensionObject = 22, kDataValue = 23, kVariant = 24,
  kDiagnosticInfo = 25,
};
inline constexpr uint8_t kMaxBuiltinType = 25;
std::string_view BuiltinTypeName(BuiltinType type);

using Guid = std::array<uint8_t, 16>;  // as on the wire: Data1..3 little-endian, Data4 bytes

struct NodeId {
  enum class Kind : uint8_t { kNumeric, kString, kGuid, kOpaque };
  uint16_t ns = 0;
  Kind kind = Kind::kNumeric;
  uint32_t numeric = 0;
  std::string text;  // kString: the string; kOpaque: the bytes; kGuid: the 16 bytes

  static NodeId Numeric(uint16_t ns, uint32_t id) { return {ns, Kind::kNumeric, id, {}}; }
  static NodeId String(uint16_t ns, std::string s) { return {ns, Kind::kString, 0, std::move(s)}; }
  bool is_null() const { return ns == 0 && kind == Kind::kNumeric && numeric == 0; }
  friend bool operator==(const NodeId&, const NodeId&) = default;

  // "i=85", "ns=1;s=Machine1.Temperature", "ns=2;g=09087e75-...", "ns=3;b=base64".
  std::string ToString() const;
  // The inverse of ToString(). InvalidArgument for any other text.
  static Result<NodeId> Parse(std::string_view text);
};

struct ExpandedNodeId {
  NodeId node;
  std::string namespace_uri;  // empty when the node id's namespace index applies
  uint32_t server_index = 0;
  friend bool operator==(const ExpandedNodeId&, const ExpandedNodeId&) = default;
};

struct QualifiedName {
  uint16_t ns = 0;
  std::string name;
  friend bool operator==(const QualifiedName&, const QualifiedName&) = default;
};

struct LocalizedText {
  std::string locale;
  std::string text;
  friend bool operator==(const LocalizedText&, const LocalizedText&) = default;
};

// A structure the codec does not decode itself: its encoding id and its encoded body.
struct ExtensionObject {
  NodeId type_id;  // the encoding id, e.g. i=811 for a DataChangeNotification
  uint8_t encoding = 0;  // 0 no body, 1 binary body, 2 XML body
  std::string body;
  friend bool operator==(const ExtensionObject&, const ExtensionObject&) = default;
};

// DateTime: 100 ns ticks since 1601-01-01 UTC (Part 6, 5.2.2.5).
inline constexpr int64_t kUnixEpochTicks = 116'444'736'000'000'000;
inline int64_t UnixNsFromDateTime(int64_t ticks) { return (ticks - kUnixEpochTicks) * 100; }
inline int64_t DateTimeFromUnixNs(int64_t ns) { return ns / 100 + kUnixEpochTicks; }

struct Variant;
struct DataValue;

// One element of a Variant. Signed integers widen to int64_t, unsigned ones (and StatusCode)
// to uint64_t, Float to double, and String, ByteString and XmlElement are bytes: the Variant's
// type says which. Nested DataValues and Variants are shared immutable values.
using Scalar = std::variant<std::monostate, bool, int64_t, uint64_t, double, std::string, Guid, NodeId,
                            ExpandedNodeId, QualifiedName, LocalizedText, ExtensionObject,
                            std::shared_ptr<const DataValue>, std::shared_ptr<const Variant>>;

struct Variant {
  BuiltinType type = BuiltinType::kNull;
  bool is_array = false;
  std::vector<Scalar> values;       // exactly one for a scalar; none for kNull
  std::vector<int32_t> dimensions;  // of a multi-dimensional array; empty otherwise

  static Variant Of(BuiltinType type, Scalar value) { return {type, false, {std::move(value)}, {}}; }
  bool is_scalar() const { return !is_array && values.size() == 1; }
};

struct DataValue {
  bool has_value = false;
  Variant value;
  uint32_t status = 0;  // Good unless the mask carried one
  int64_t source_timestamp = 0;  // DateTime ticks; 0 when absent
  int64_t server_timestamp = 0;
  uint16_t source_picoseconds = 0;
  uint16_t server_picoseconds = 0;
};

}  // namespace zhizao::connect::opcua
