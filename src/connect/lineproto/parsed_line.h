// One point of InfluxDB line protocol as the parser hands it over: views, not copies.
// Grammar, escaping and every decision: docs/formats/line_protocol.md.
#pragma once

#include <cstdint>
#include <span>
#include <string_view>
#include <variant>

namespace zhizao::connect::lineproto {

// The alternatives of FieldValue, in the same order.
enum class FieldType : uint8_t { kFloat = 0, kInteger = 1, kUnsigned = 2, kString = 3, kBoolean = 4 };

// float64 (`1.5`), int64 (`1i`), uint64 (`1u`), string (`"a"`, unescaped) or boolean (`t`).
// A string alternative views the request body or the reader's scratch (see ParsedLine).
using FieldValue = std::variant<double, int64_t, uint64_t, std::string_view, bool>;

inline FieldType TypeOf(const FieldValue& value) { return static_cast<FieldType>(value.index()); }

// "float", "integer", "unsigned", "string" or "boolean", as InfluxDB names them.
std::string_view FieldTypeName(FieldType type);

struct Tag {
  std::string_view key;    // unescaped, not empty
  std::string_view value;  // unescaped, not empty
};

struct Field {
  std::string_view key;  // unescaped, not empty
  FieldValue value;
};

// A valid line. Every view stays valid until the reader that produced it advances or dies,
// and no longer than the request body: a name without escapes views the body, an escaped
// one views the reader's scratch.
struct ParsedLine {
  std::string_view measurement;  // unescaped, not empty
  // Sorted by key (bytewise, like Go's bytes.Compare); keys are unique.
  std::span<const Tag> tags;
  // In order of first appearance; keys are unique, a repeated key's last value wins.
  std::span<const Field> fields;
  // The canonical, escaped series key: measurement then tags in sorted order, as InfluxDB's
  // SHOW SERIES prints it: `plant,device=d00042,line=l03,site=s01`.
  std::string_view series_key;
  int64_t ts_ns = 0;        // the line's timestamp converted to ns, or the default time
  int64_t line_number = 0;  // 1-based; the line where the point starts
};

}  // namespace zhizao::connect::lineproto
