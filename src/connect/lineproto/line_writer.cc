#include "connect/lineproto/line_writer.h"

#include <charconv>
#include <variant>

#include "connect/lineproto/internal/escape.h"

namespace zhizao::connect::lineproto {
namespace {

template <typename T>
void AppendNumber(T value, std::string* out) {
  char buffer[32];
  auto [end, ec] = std::to_chars(buffer, buffer + sizeof(buffer), value);
  out->append(buffer, end);
}

void AppendValue(const FieldValue& value, std::string* out) {
  switch (TypeOf(value)) {
    case FieldType::kFloat: AppendNumber(std::get<double>(value), out); break;
    case FieldType::kInteger:
      AppendNumber(std::get<int64_t>(value), out);
      out->push_back('i');
      break;
    case FieldType::kUnsigned:
      AppendNumber(std::get<uint64_t>(value), out);
      out->push_back('u');
      break;
    case FieldType::kString:
      out->push_back('"');
      internal::AppendEscaped(std::get<std::string_view>(value), internal::EscapeSet::kString, out);
      out->push_back('"');
      break;
    case FieldType::kBoolean: out->append(std::get<bool>(value) ? "true" : "false"); break;
  }
}

}  // namespace

void AppendEscapedMeasurement(std::string_view name, std::string* out) {
  internal::AppendEscaped(name, internal::EscapeSet::kMeasurement, out);
}

void AppendEscapedName(std::string_view name, std::string* out) {
  internal::AppendEscaped(name, internal::EscapeSet::kName, out);
}

void AppendLine(const ParsedLine& line, std::string* out) {
  out->append(line.series_key);
  char separator = ' ';
  for (const Field& field : line.fields) {
    out->push_back(separator);
    separator = ',';
    AppendEscapedName(field.key, out);
    out->push_back('=');
    AppendValue(field.value, out);
  }
  out->push_back(' ');
  AppendNumber(line.ts_ns, out);
  out->push_back('\n');
}

}  // namespace zhizao::connect::lineproto
