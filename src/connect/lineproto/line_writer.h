// Writes points as InfluxDB line protocol, escaped so that LineReader reads them back equal.
// Thread-safe (stateless).
#pragma once

#include <string>
#include <string_view>

#include "connect/lineproto/parsed_line.h"

namespace zhizao::connect::lineproto {

// Appends `line` to *out as `<series_key> <fields> <ts_ns>\n`: fields in their order, floats
// in the shortest form that reads back to the same double, integers with `i`, unsigned with
// `u`, booleans as `true`/`false`, strings quoted with `"` and `\` escaped.
// REQUIRES: `line` satisfies ParsedLine's invariants (as LineReader returns them); float
// values are finite.
void AppendLine(const ParsedLine& line, std::string* out);

// Appends a name escaped for its place: a measurement escapes ',' and ' '; a tag key, tag
// value or field key also '='.
void AppendEscapedMeasurement(std::string_view name, std::string* out);
void AppendEscapedName(std::string_view name, std::string* out);

}  // namespace zhizao::connect::lineproto
