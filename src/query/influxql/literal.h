// Reading and writing InfluxQL literals: durations, numbers, quoted identifiers and strings.
// Private to influxql/; shared by the parser and the printer so that they agree.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace zhizao::query::influxql::internal {

// InfluxDB's ParseDuration: one or more <digits><unit> runs, units ns, u or µ, ms, s, m, h, d,
// w (`1h30m`). Returns nullopt for anything else and, unlike InfluxDB, on int64 overflow.
std::optional<int64_t> ParseDuration(std::string_view text);

// The largest unit that divides `ns` exactly, as InfluxDB's FormatDuration: "10s", "-15m",
// "1w", "0s", "1500ms".
std::string FormatDuration(int64_t ns);

// Shortest text that reads back as exactly `value`, always with a '.' and never an exponent,
// since InfluxQL numbers have none: "0.5", "3.0", "-2.25".
// REQUIRES: value is finite.
std::string FormatNumber(double value);

// `name` bare when it is a valid unquoted identifier and no keyword, else "double quoted".
std::string QuoteIdent(std::string_view name);

// 'single quoted', with \\, \' and \n escaped.
std::string QuoteString(std::string_view value);

// The lower-case copy of ASCII `text`.
std::string ToLower(std::string_view text);

}  // namespace zhizao::query::influxql::internal
