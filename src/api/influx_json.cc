#include "api/influx_json.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstring>
#include <string_view>
#include <type_traits>
#include <variant>

#include "common/time_format.h"

namespace zhizao::api {
namespace {

namespace iql = query::influxql;

// nlohmann's layout limits for floats (detail::to_chars: kMinExp, kMaxExp).
constexpr int kMinExp = -4;
constexpr int kMaxExp = 15;

void AppendInt(int64_t v, std::string& out) {
  char buf[24];
  auto [end, ec] = std::to_chars(buf, buf + sizeof buf, v);
  (void)ec;  // 24 bytes hold any int64
  out.append(buf, end);
}

// A string as nlohmann's dump escapes it. Plain printable ASCII (names, tags, times: nearly
// every string of an answer) is copied; anything else goes through nlohmann itself, so that
// escapes and the replacement of invalid UTF-8 stay exactly its own.
void AppendString(const std::string& s, std::string& out) {
  bool plain = true;
  for (char c : s) {
    auto u = static_cast<unsigned char>(c);
    if (u < 0x20 || u >= 0x7f || c == '"' || c == '\\') {
      plain = false;
      break;
    }
  }
  if (!plain) {
    out += nlohmann::json(s).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
    return;
  }
  out += '"';
  out += s;
  out += '"';
}

// The decimal of x when it has 1 to 4 places and 1e-4 <= |x| < 1e9, as a sensor's reading
// (71.25) has, written at p (at most 15 bytes); null otherwise. Doubles there lie far closer
// together than 1e-4, so exactly one decimal of that few places reads back as x: the shortest
// round-trip digits, which to_chars finds by a general search, laid out plain as both to_chars
// and nlohmann lay out numbers of that size. REQUIRES: x is not a whole number.
char* WriteShortDecimal(double x, char* p) {
  double a = std::abs(x);
  if (!(a >= 1e-4 && a < 1e9)) return nullptr;
  double scale = 1;
  for (int places = 1; places <= 4; ++places) {
    scale *= 10;
    // The product is off by < 1e13 × 2^-52, far below 0.5: rounding finds the decimal if there is one.
    auto n = static_cast<int64_t>(a * scale + 0.5);
    if (static_cast<double>(n) / scale != a) continue;  // the decimal as a parser reads it
    if (x < 0) *p++ = '-';
    char fraction[4];
    for (int i = places - 1; i >= 0; --i, n /= 10) fraction[i] = static_cast<char>('0' + n % 10);
    p = std::to_chars(p, p + 9, n).ptr;  // the whole part, below 1e9
    *p++ = '.';
    return std::copy(fraction, fraction + places, p);
  }
  return nullptr;
}

// The shortest digits of a finite, nonzero |x| and its decimal exponent: x = digits × 10^exp.
void ShortestDigits(double x, std::string& digits, int& exp) {
  char buf[32];
  auto [end, ec] = std::to_chars(buf, buf + sizeof buf, x, std::chars_format::scientific);
  (void)ec;  // 32 bytes hold any double in scientific notation
  const char* e = std::find(buf, end, 'e');
  digits.clear();
  for (const char* p = buf; p != e; ++p) {
    if (*p >= '0' && *p <= '9') digits += *p;
  }
  int e10 = 0;
  std::from_chars(e + 1 + (e[1] == '+' ? 1 : 0), end, e10);
  exp = e10 - static_cast<int>(digits.size()) + 1;
}

void AppendExponent(int e, std::string& out) {
  out += 'e';
  out += e < 0 ? '-' : '+';
  int a = e < 0 ? -e : e;
  if (a < 10) out += '0';
  AppendInt(a, out);
}

void AppendValue(const iql::ResultValue& v, std::string& out) {
  std::visit(
      [&](const auto& x) {
        using T = std::decay_t<decltype(x)>;
        if constexpr (std::is_same_v<T, std::monostate>) out += "null";
        else if constexpr (std::is_same_v<T, double>) AppendInfluxFloat(x, out);
        else if constexpr (std::is_same_v<T, int64_t>) AppendInt(x, out);
        else if constexpr (std::is_same_v<T, bool>) out += x ? "true" : "false";
        else AppendString(x, out);
      },
      v);
}

// Go's integer division truncates toward zero; so does C++'s.
void AppendTime(int64_t t, int64_t divisor, std::string& out) {
  if (divisor == 0) AppendString(FormatRfc3339(t), out);
  else AppendInt(t / divisor, out);
}

// Sample i's value, spelled as AppendValue spells the cell SampleValue makes of it.
// Rows [begin, end) of a series.
struct Rows {
  size_t begin = 0;
  size_t end = 0;
};

void AppendSampleValue(const storage::SeriesSamples& s, size_t i, std::string& out) {
  switch (s.type) {
    case DataType::kFloat64: return AppendInfluxFloat(s.f64[i], out);
    case DataType::kInt64: return AppendInt(s.i64[i], out);
    case DataType::kBool: out += s.i64[i] != 0 ? "true" : "false"; return;
    case DataType::kString: return AppendString(s.str[i], out);
  }
}

// Number sample i at p, as AppendSampleValue spells it: at most 32 bytes.
char* WriteNumber(const storage::SeriesSamples& s, size_t i, char* p) {
  if (s.type == DataType::kInt64) return std::to_chars(p, p + 20, s.i64[i]).ptr;
  if (s.type == DataType::kBool) {
    std::string_view text = s.i64[i] != 0 ? "true" : "false";
    return std::copy(text.begin(), text.end(), p);
  }
  double x = s.f64[i];
  if (x != std::trunc(x)) {
    if (char* end = WriteShortDecimal(x, p)) return end;
  }
  thread_local std::string text;  // any other float: at most 25 bytes ("-1.2345678901234567e-308")
  text.clear();
  AppendInfluxFloat(x, text);
  return std::copy(text.begin(), text.end(), p);
}

// The rows [begin, end) of number samples from p on, times divided by `divide`.
template <typename Divide>
char* WriteNumberRows(const storage::SeriesSamples& s, Rows rows, Divide divide, char* p) {
  for (size_t i = rows.begin; i < rows.end; ++i) {
    if (i > rows.begin) *p++ = ',';
    *p++ = '[';
    p = std::to_chars(p, p + 20, divide(s.ts_ns[i])).ptr;
    *p++ = ',';
    p = WriteNumber(s, i, p);
    *p++ = ']';
  }
  return p;
}

void AppendSamples(const storage::SeriesSamples& s, Rows rows, int64_t divisor, std::string& out) {
  if (divisor == 0 || s.type == DataType::kString) {
    for (size_t i = rows.begin; i < rows.end; ++i) {
      out += i > rows.begin ? ",[" : "[";
      AppendTime(s.ts_ns[i], divisor, out);
      out += ',';
      AppendSampleValue(s, i, out);
      out += ']';
    }
    return;
  }
  // Numbers with integer times: rows of known bounds, written in place (the answers of
  // thousands of rows spent most of their time appending pieces to the string). Times are
  // truncated toward zero, as Go divides; the usual units divide by a constant.
  constexpr size_t kMaxRowBytes = 64;  // ",[" + an int64 (20) + "," + a number (32) + "]"
  size_t start = out.size();
  out.resize(start + (rows.end - rows.begin) * kMaxRowBytes);
  char* p = out.data() + start;
  switch (divisor) {
    case 1'000'000: p = WriteNumberRows(s, rows, [](int64_t t) { return t / 1'000'000; }, p); break;
    case 1'000'000'000: p = WriteNumberRows(s, rows, [](int64_t t) { return t / 1'000'000'000; }, p); break;
    default: p = WriteNumberRows(s, rows, [divisor](int64_t t) { return t / divisor; }, p); break;
  }
  out.resize(static_cast<size_t>(p - out.data()));
}

size_t RowCount(const iql::ResultSeries& s) { return s.samples ? s.samples->size() : s.values.size(); }

// The series with its rows [begin, end); "partial":true when more of its rows follow elsewhere.
void AppendSeries(const iql::ResultSeries& s, Rows rows, bool partial, int64_t divisor, std::string& out) {
  out += '{';
  if (!s.name.empty()) {
    out += "\"name\":";
    AppendString(s.name, out);
    out += ',';
  }
  if (!s.tags.empty()) {
    // A JSON object keeps one value per key (nlohmann's assignment keeps the last, in the first's place).
    out += "\"tags\":{";
    for (size_t i = 0; i < s.tags.size(); ++i) {
      size_t last = i;
      bool earlier = false;
      for (size_t j = 0; j < s.tags.size(); ++j) {
        if (s.tags[j].first != s.tags[i].first) continue;
        if (j < i) earlier = true;
        last = j;
      }
      if (earlier) continue;
      if (i > 0) out += ',';
      AppendString(s.tags[i].first, out);
      out += ':';
      AppendString(s.tags[last].second, out);
    }
    out += "},";
  }
  out += "\"columns\":[";
  for (size_t i = 0; i < s.columns.size(); ++i) {
    if (i > 0) out += ',';
    AppendString(s.columns[i], out);
  }
  out += "],\"values\":[";
  if (s.samples) AppendSamples(*s.samples, rows, divisor, out);
  for (size_t r = rows.begin; !s.samples && r < rows.end; ++r) {
    const auto& row = s.values[r];
    out += r > rows.begin ? ",[" : "[";
    for (size_t i = 0; i < row.size(); ++i) {
      if (i > 0) out += ',';
      if (i == 0 && s.time_first) AppendTime(std::get<int64_t>(row[0]), divisor, out);
      else AppendValue(row[i], out);
    }
    out += ']';
  }
  out += partial ? "],\"partial\":true}" : "]}";
}

}  // namespace

void AppendInfluxFloat(double x, std::string& out) {
  constexpr double kInt64Bound = 9.2e18;
  if (!std::isfinite(x)) {
    out += "null";
    return;
  }
  if (x == 0) {
    out += std::signbit(x) ? "-0.0" : "0";
    return;
  }
  if (x == std::trunc(x) && std::abs(x) < kInt64Bound) {
    AppendInt(static_cast<int64_t>(x), out);
    return;
  }
  char decimal[16];
  if (char* end = WriteShortDecimal(x, decimal)) {
    out.append(decimal, end);
    return;
  }
  // Below 1e15, plain notation from to_chars is nlohmann's text already: both print the
  // shortest digits, and to_chars chooses plain whenever it is not longer, which for a fraction
  // under 1e15 is nlohmann's range of plain layouts (at most 3 zeros after the point). From
  // 1e15 on nlohmann writes an exponent, and to_chars' plain digits are not the shortest.
  constexpr double kPlainBound = 1e15;
  char plain[32];
  auto [end, ec] = std::to_chars(plain, plain + sizeof plain, x);
  if (ec == std::errc() && std::abs(x) < kPlainBound && std::find(plain, end, 'e') == end) {
    out.append(plain, end);
    return;
  }
  if (x < 0) out += '-';
  thread_local std::string digits;
  int exp = 0;
  ShortestDigits(std::abs(x), digits, exp);
  const int k = static_cast<int>(digits.size());
  const int n = k + exp;  // the decimal point's position after the first digit
  if (k <= n && n <= kMaxExp) {
    out += digits;
    out.append(static_cast<size_t>(n - k), '0');
    out += ".0";
  } else if (0 < n && n <= kMaxExp) {
    out.append(digits, 0, static_cast<size_t>(n));
    out += '.';
    out.append(digits, static_cast<size_t>(n));
  } else if (kMinExp < n && n <= 0) {
    out += "0.";
    out.append(static_cast<size_t>(-n), '0');
    out += digits;
  } else {
    out += digits[0];
    if (k > 1) {
      out += '.';
      out.append(digits, 1);
    }
    AppendExponent(n - 1, out);
  }
}

void AppendInfluxResult(const iql::StatementResult& r, int64_t divisor, std::string& out) {
  out += "{\"statement_id\":";
  AppendInt(r.statement_id, out);
  if (!r.error.empty()) {
    out += ",\"error\":";
    AppendString(r.error, out);
  } else if (!r.series.empty()) {
    out += ",\"series\":[";
    for (size_t i = 0; i < r.series.size(); ++i) {
      if (i > 0) out += ',';
      AppendSeries(r.series[i], {0, RowCount(r.series[i])}, false, divisor, out);
    }
    out += ']';
  }
  out += '}';
}

void AppendInfluxChunks(const iql::StatementResult& r, size_t chunk_size, int64_t divisor, std::string& out) {
  const bool selected = !r.series.empty() && (r.series[0].time_first || r.series[0].samples);
  if (!r.error.empty() || !selected || chunk_size == 0) {
    out += "{\"results\":[";
    AppendInfluxResult(r, divisor, out);
    out += "]}\n";
    return;
  }
  for (size_t i = 0; i < r.series.size(); ++i) {
    const size_t n = RowCount(r.series[i]);
    for (size_t begin = 0; begin < n || begin == 0; begin += chunk_size) {
      const size_t end = std::min(n, begin + chunk_size);
      const bool more_rows = end < n, last = !more_rows && i + 1 == r.series.size();
      out += "{\"results\":[{\"statement_id\":";
      AppendInt(r.statement_id, out);
      out += ",\"series\":[";
      AppendSeries(r.series[i], {begin, end}, more_rows, divisor, out);
      out += last ? "]}]}\n" : "],\"partial\":true}]}\n";
      if (end == n) break;
    }
  }
}

std::string InfluxResultsJson(const std::vector<iql::StatementResult>& results, int64_t divisor) {
  std::string out = "{\"results\":[";
  for (size_t i = 0; i < results.size(); ++i) {
    if (i > 0) out += ',';
    AppendInfluxResult(results[i], divisor, out);
  }
  out += "]}";
  return out;
}

}  // namespace zhizao::api
