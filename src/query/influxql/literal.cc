#include "query/influxql/literal.h"

#include <charconv>
#include <iterator>
#include <limits>

#include "query/influxql/lexer.h"

namespace zhizao::query::influxql::internal {
namespace {

constexpr int64_t kMicro = 1'000;
constexpr int64_t kMilli = 1'000'000;
constexpr int64_t kSecond = 1'000'000'000;
constexpr int64_t kMinute = 60 * kSecond;
constexpr int64_t kHour = 60 * kMinute;
constexpr int64_t kDay = 24 * kHour;
constexpr int64_t kWeek = 7 * kDay;

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

// The unit at text[i], and how many bytes it takes; 0 when there is none.
size_t ReadUnit(std::string_view text, size_t i, int64_t* unit_ns) {
  const char c = text[i];
  const char next = i + 1 < text.size() ? text[i + 1] : '\0';
  if (c == 'n' && next == 's') return *unit_ns = 1, 2;
  if (c == 'm' && next == 's') return *unit_ns = kMilli, 2;
  if (c == '\xC2' && next == '\xB5') return *unit_ns = kMicro, 2;  // µ, U+00B5
  switch (c) {
    case 'u': return *unit_ns = kMicro, 1;
    case 's': return *unit_ns = kSecond, 1;
    case 'm': return *unit_ns = kMinute, 1;
    case 'h': return *unit_ns = kHour, 1;
    case 'd': return *unit_ns = kDay, 1;
    case 'w': return *unit_ns = kWeek, 1;
    default: return 0;
  }
}

}  // namespace

std::optional<int64_t> ParseDuration(std::string_view text) {
  int64_t total = 0;
  size_t i = 0;
  if (text.empty()) return std::nullopt;
  while (i < text.size()) {
    const size_t digits = i;
    while (i < text.size() && IsDigit(text[i])) ++i;
    if (i == digits || i >= text.size()) return std::nullopt;
    int64_t count = 0;
    const auto [end, error] = std::from_chars(text.data() + digits, text.data() + i, count);
    if (error != std::errc() || end != text.data() + i) return std::nullopt;
    int64_t unit_ns = 0;
    const size_t unit_size = ReadUnit(text, i, &unit_ns);
    if (unit_size == 0) return std::nullopt;
    i += unit_size;
    int64_t part = 0;
    if (__builtin_mul_overflow(count, unit_ns, &part) || __builtin_add_overflow(total, part, &total)) {
      return std::nullopt;
    }
  }
  return total;
}

std::string FormatDuration(int64_t ns) {
  if (ns == 0) return "0s";
  if (ns == std::numeric_limits<int64_t>::min()) return "-9223372036854775808ns";
  if (ns < 0) return "-" + FormatDuration(-ns);
  static constexpr std::pair<int64_t, const char*> kUnits[] = {
      {kWeek, "w"}, {kDay, "d"}, {kHour, "h"}, {kMinute, "m"}, {kSecond, "s"}, {kMilli, "ms"}, {kMicro, "u"}};
  for (const auto& [unit_ns, suffix] : kUnits) {
    if (ns % unit_ns == 0) return std::to_string(ns / unit_ns) + suffix;
  }
  return std::to_string(ns) + "ns";
}

std::string FormatNumber(double value) {
  // Fixed notation of a double takes at most 309 integer digits plus a 1074-digit fraction.
  char buffer[1100];
  const auto [end, error] = std::to_chars(std::begin(buffer), std::end(buffer), value, std::chars_format::fixed);
  if (error != std::errc()) return "0.0";  // unreachable for finite values; the buffer fits all
  std::string text(buffer, end);
  if (text.find('.') == std::string::npos) text += ".0";
  return text;
}

std::string QuoteIdent(std::string_view name) {
  bool bare = !name.empty() && !IsKeyword(name) && !IsDigit(name[0]);
  for (const char c : name) {
    const bool ident_char = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || IsDigit(c) || c == '_';
    bare = bare && ident_char;
  }
  if (bare) return std::string(name);
  std::string quoted = "\"";
  for (const char c : name) {
    if (c == '"' || c == '\\') quoted += '\\';
    if (c == '\n') {
      quoted += "\\n";
    } else {
      quoted += c;
    }
  }
  return quoted + "\"";
}

std::string QuoteString(std::string_view value) {
  std::string quoted = "'";
  for (const char c : value) {
    if (c == '\'' || c == '\\') quoted += '\\';
    if (c == '\n') {
      quoted += "\\n";
    } else {
      quoted += c;
    }
  }
  return quoted + "'";
}

std::string ToLower(std::string_view text) {
  std::string lower(text);
  for (char& c : lower) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return lower;
}

}  // namespace zhizao::query::influxql::internal
