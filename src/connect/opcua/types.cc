#include "connect/opcua/types.h"

#include <charconv>
#include <cstdio>

namespace zhizao::connect::opcua {
namespace {

constexpr std::string_view kBase64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

std::string Base64(std::string_view bytes) {
  std::string out;
  size_t i = 0;
  for (; i + 2 < bytes.size(); i += 3) {
    uint32_t v = (uint8_t(bytes[i]) << 16) | (uint8_t(bytes[i + 1]) << 8) | uint8_t(bytes[i + 2]);
    for (int shift : {18, 12, 6, 0}) out.push_back(kBase64[(v >> shift) & 63]);
  }
  if (i < bytes.size()) {
    uint32_t v = uint8_t(bytes[i]) << 16;
    if (i + 1 < bytes.size()) v |= uint8_t(bytes[i + 1]) << 8;
    out.push_back(kBase64[(v >> 18) & 63]);
    out.push_back(kBase64[(v >> 12) & 63]);
    out.push_back(i + 1 < bytes.size() ? kBase64[(v >> 6) & 63] : '=');
    out.push_back('=');
  }
  return out;
}

Result<std::string> Unbase64(std::string_view text) {
  std::string out;
  uint32_t acc = 0;
  int bits = 0;
  for (char c : text) {
    if (c == '=') break;
    size_t v = kBase64.find(c);
    if (v == std::string_view::npos) return Status::InvalidArgument("invalid base64 in node id");
    acc = (acc << 6) | static_cast<uint32_t>(v);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out.push_back(static_cast<char>((acc >> bits) & 0xFF));
    }
  }
  return out;
}

// Guid text "01234567-89ab-cdef-0123-456789abcdef": Data1..3 are numbers, Data4 bytes in order.
std::string GuidText(std::string_view b) {
  auto u = [&](size_t i) { return static_cast<unsigned>(static_cast<uint8_t>(b[i])); };
  char buf[40];
  std::snprintf(buf, sizeof buf, "%08x-%04x-%04x-%02x%02x-%02x%02x%02x%02x%02x%02x",
                u(0) | u(1) << 8 | u(2) << 16 | u(3) << 24, u(4) | u(5) << 8, u(6) | u(7) << 8, u(8), u(9),
                u(10), u(11), u(12), u(13), u(14), u(15));
  return buf;
}

Result<std::string> ParseGuid(std::string_view text) {
  std::string hex;
  for (char c : text) {
    if (c != '-') hex.push_back(c);
  }
  if (text.size() != 36 || hex.size() != 32) return Status::InvalidArgument("invalid guid in node id");
  uint8_t raw[16];
  for (int i = 0; i < 16; ++i) {
    auto [p, ec] = std::from_chars(hex.data() + 2 * i, hex.data() + 2 * i + 2, raw[i], 16);
    if (ec != std::errc() || p != hex.data() + 2 * i + 2) return Status::InvalidArgument("invalid guid in node id");
  }
  // Text order is big-endian for Data1..3; the wire is little-endian.
  const int order[16] = {3, 2, 1, 0, 5, 4, 7, 6, 8, 9, 10, 11, 12, 13, 14, 15};
  std::string out(16, '\0');
  for (int i = 0; i < 16; ++i) out[i] = static_cast<char>(raw[order[i]]);
  return out;
}

}  // namespace

std::string_view BuiltinTypeName(BuiltinType type) {
  static constexpr std::string_view kNames[] = {
      "Null", "Boolean", "SByte", "Byte", "Int16", "UInt16", "Int32", "UInt32", "Int64",
      "UInt64", "Float", "Double", "String", "DateTime", "Guid", "ByteString", "XmlElement", "NodeId",
      "ExpandedNodeId", "StatusCode", "QualifiedName", "LocalizedText", "ExtensionObject", "DataValue",
      "Variant", "DiagnosticInfo"};
  auto i = static_cast<size_t>(type);
  return i < std::size(kNames) ? kNames[i] : "Unknown";
}

std::string NodeId::ToString() const {
  std::string out = ns == 0 ? "" : "ns=" + std::to_string(ns) + ";";
  switch (kind) {
    case Kind::kNumeric: return out + "i=" + std::to_string(numeric);
    case Kind::kString: return out + "s=" + text;
    case Kind::kGuid: return out + "g=" + (text.size() == 16 ? GuidText(text) : std::string("?"));
    case Kind::kOpaque: return out + "b=" + Base64(text);
  }
  return out;
}

Result<NodeId> NodeId::Parse(std::string_view text) {
  NodeId id;
  std::string_view rest = text;
  if (rest.starts_with("ns=")) {
    size_t semi = rest.find(';');
    if (semi == std::string_view::npos) return Status::InvalidArgument("node id '" + std::string(text) + "' lacks ';'");
    uint32_t ns = 0;
    auto [p, ec] = std::from_chars(rest.data() + 3, rest.data() + semi, ns);
    if (ec != std::errc() || p != rest.data() + semi || ns > 0xFFFF) {
      return Status::InvalidArgument("node id '" + std::string(text) + "' has an invalid namespace index");
    }
    id.ns = static_cast<uint16_t>(ns);
    rest.remove_prefix(semi + 1);
  }
  if (rest.size() < 2 || rest[1] != '=') {
    return Status::InvalidArgument("node id '" + std::string(text) + "' is not of the form [ns=N;]i=|s=|g=|b=");
  }
  std::string_view body = rest.substr(2);
  switch (rest[0]) {
    case 'i': {
      auto [p, ec] = std::from_chars(body.data(), body.data() + body.size(), id.numeric);
      if (ec != std::errc() || p != body.data() + body.size()) {
        return Status::InvalidArgument("node id '" + std::string(text) + "' has an invalid numeric id");
      }
      return id;
    }
    case 's':
      id.kind = Kind::kString;
      id.text = std::string(body);
      return id;
    case 'g': {
      id.kind = Kind::kGuid;
      ZZ_ASSIGN_OR_RETURN(id.text, ParseGuid(body));
      return id;
    }
    case 'b': {
      id.kind = Kind::kOpaque;
      ZZ_ASSIGN_OR_RETURN(id.text, Unbase64(body));
      return id;
    }
    default: return Status::InvalidArgument("node id '" + std::string(text) + "' has an unknown id type");
  }
}

}  // namespace zhizao::connect::opcua
