// Unescaping and escaping of names and string values. Private to lineproto/.
// The rules are those of docs/formats/line_protocol.md, "Escaping".
#pragma once

#include <string>
#include <string_view>

namespace zhizao::connect::lineproto::internal {

enum class EscapeSet : uint8_t {
  kMeasurement,  // \,  "\ "
  kName,         // \,  "\ "  \=   (tag keys, tag values, field keys)
  kString,       // \"  \\        (string field values, without their quotes)
};

// Appends `raw` to *out with every escape of `set` replaced by the byte it stands for. A
// backslash with the byte after it is read as one unit: kept as written unless it is an escape
// of `set`, so "\\," in a name stays "\\," and "\n" in a string stays a backslash and an 'n'.
void AppendUnescaped(std::string_view raw, EscapeSet set, std::string* out);

// The inverse for names and strings: a backslash before each byte that `set` escapes.
void AppendEscaped(std::string_view text, EscapeSet set, std::string* out);

}  // namespace zhizao::connect::lineproto::internal
