// Numbers of line protocol: field values and timestamps. Private to lineproto/.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "connect/lineproto/internal/char_class.h"
#include "connect/lineproto/internal/swar.h"
#include "connect/lineproto/parsed_line.h"

namespace zhizao::connect::lineproto::internal {

inline constexpr double kExactPow10[] = {1e0,  1e1,  1e2,  1e3,  1e4,  1e5,  1e6,  1e7,  1e8,  1e9,  1e10, 1e11,
                                         1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22};

// The common float of a plant, `d+` or `d+.d*` in at most 7 bytes followed by a byte that
// kEndsValue, read with one 8-byte load: returns the end and sets *v, or returns nullptr to
// leave it to ParseNumberSlow. REQUIRES: 8 readable bytes at p.
[[gnu::always_inline]] inline const char* ParseShortFloat(const char* p, double* v) {
  const uint64_t word = swar::Load(p);
  const int int_digits = swar::DigitRunLength(word);
  if (int_digits == 0 || int_digits >= 7) return nullptr;
  uint64_t digits = word & swar::LowBytes(int_digits);
  const bool point = p[int_digits] == '.';
  int frac_digits = 0;
  if (point) {
    const uint64_t fraction = word >> (8 * (int_digits + 1));  // zeros shifted in end the run
    frac_digits = swar::DigitRunLength(fraction);
    digits |= (fraction & swar::LowBytes(frac_digits)) << (8 * int_digits);
  }
  const char* stop = p + int_digits + point + frac_digits;
  if (stop - p >= 8 || !Is(*stop, kEndsValue)) return nullptr;
  // At most 7 digits: below 2^53, and 10^frac_digits is exact, so one division rounds correctly.
  *v = static_cast<double>(swar::DigitsValue(digits, int_digits + frac_digits)) / kExactPow10[frac_digits];
  return stop;
}

// Everything ParseNumber reads, for the values ParseShortFloat leaves.
const char* ParseNumberSlow(const char* p, const char* end, FieldValue* value, std::string* reason);

// Parses the number field value at p, which starts with a digit, '.' or '-':
//   float     -?(digits[.digits?]|.digits)([eE][+-]?digits)?   correctly rounded; ±0 on underflow
//   integer   -?digits i      int64
//   unsigned  digits u        uint64
// The value runs to the first byte that kEndsValue or to end. Returns the position after it and
// sets *value, or returns nullptr and sets *reason to InfluxDB's wording ("invalid number",
// "invalid float" for a bad exponent or a float beyond ±DBL_MAX, "unable to parse integer ...").
inline const char* ParseNumber(const char* p, const char* end, FieldValue* value, std::string* reason) {
  const bool negative = *p == '-';
  double v = 0;
  const char* stop = end - p >= 9 ? ParseShortFloat(p + negative, &v) : nullptr;
  if (stop == nullptr) return ParseNumberSlow(p, end, value, reason);
  *value = negative ? -v : v;
  return stop;
}

// Reads the run of ASCII digits at p, appending them to *value (value * 10^n + digits; it
// wraps past 19 digits, so callers count them). Returns the end of the run.
inline const char* ReadDigits(const char* p, const char* end, uint64_t* value) {
  static constexpr uint64_t kPow10[] = {1, 10, 100, 1000, 10000, 100000, 1000000, 10000000, 100000000};
  uint64_t v = *value;
  for (; end - p >= 8; p += 8) {
    const uint64_t word = swar::Load(p);
    const int n = swar::DigitRunLength(word);
    if (n == 0) break;
    v = v * kPow10[n] + swar::DigitsValue(word, n);
    if (n < 8) {
      *value = v;
      return p + n;
    }
  }
  for (; p < end && static_cast<unsigned char>(*p - '0') < 10; ++p) v = v * 10 + static_cast<uint64_t>(*p - '0');
  *value = v;
  return p;
}

// Parses `-?digits` as an int64. Returns false on anything else or overflow.
bool ParseInt64(std::string_view text, int64_t* out);

// Converts a timestamp in units of `ns_per_unit` to ns. Returns false outside
// [kMinTimestampNs, kMaxTimestampNs].
bool TimestampToNs(int64_t ts, int64_t ns_per_unit, int64_t* ns);

}  // namespace zhizao::connect::lineproto::internal
