// Helpers shared by the line-protocol tests.
#pragma once

#include <charconv>
#include <string>
#include <string_view>

#include "connect/lineproto/line_reader.h"

namespace zhizao::connect::lineproto {

// The time the tests give lines without a timestamp.
inline constexpr int64_t kNowNs = 1'700'000'000'123'456'789;

// A point as one readable string: `measurement | k=v,... | field=type:value,... | ts_ns`, every
// name and string unescaped, floats in their shortest round-trip form.
inline std::string Describe(const ParsedLine& line) {
  std::string out(line.measurement);
  out += " | ";
  for (size_t i = 0; i < line.tags.size(); ++i) {
    out += (i ? "," : "") + std::string(line.tags[i].key) + "=" + std::string(line.tags[i].value);
  }
  out += " | ";
  for (size_t i = 0; i < line.fields.size(); ++i) {
    const FieldValue& v = line.fields[i].value;
    out += (i ? "," : "") + std::string(line.fields[i].key) + "=" + std::string(FieldTypeName(TypeOf(v))) + ":";
    char buffer[32];
    char* end = buffer;
    switch (TypeOf(v)) {
      case FieldType::kFloat: end = std::to_chars(buffer, buffer + 32, std::get<double>(v)).ptr; break;
      case FieldType::kInteger: end = std::to_chars(buffer, buffer + 32, std::get<int64_t>(v)).ptr; break;
      case FieldType::kUnsigned: end = std::to_chars(buffer, buffer + 32, std::get<uint64_t>(v)).ptr; break;
      case FieldType::kString: out += "\"" + std::string(std::get<std::string_view>(v)) + "\""; break;
      case FieldType::kBoolean: out += std::get<bool>(v) ? "true" : "false"; break;
    }
    out.append(buffer, end);
  }
  return out + " | " + std::to_string(line.ts_ns);
}

// Reads a one-line body: Describe() of its point, or "error: <reason>".
inline std::string ParseOne(std::string_view body, Precision precision = Precision::kNanosecond) {
  LineReader reader(body, {.precision = precision, .default_ts_ns = kNowNs});
  if (reader.Next()) return Describe(reader.line());
  if (reader.errors().empty()) return "no line";
  return "error: " + reader.errors()[0].reason;
}

}  // namespace zhizao::connect::lineproto
