#include "connect/lineproto/internal/number_parse.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <system_error>

#include "connect/lineproto/internal/char_class.h"
#include "connect/lineproto/precision.h"

namespace zhizao::connect::lineproto::internal {
namespace {

// With a mantissa below 2^53, one multiplication or division by an exact power of ten
// (kExactPow10) rounds correctly (Clinger's fast path), so most decimals skip from_chars.
constexpr uint64_t kMaxExactMantissa = uint64_t{1} << 53;
// Keeps exponent arithmetic far from int64 overflow; anything this large is out of range anyway.
constexpr int64_t kExponentCap = int64_t{1} << 40;

inline bool IsDigit(char c) { return static_cast<unsigned char>(c - '0') < 10; }

// Reads [eE][+-]?digits at p (p is at the 'e'); nullptr if no digit follows.
const char* ReadExponent(const char* p, const char* end, int64_t* exponent) {
  ++p;
  bool negative = p < end && *p == '-';
  if (p < end && (*p == '-' || *p == '+')) ++p;
  if (p == end || !IsDigit(*p)) return nullptr;
  int64_t value = 0;
  for (; p < end && IsDigit(*p); ++p) value = std::min(value * 10 + (*p - '0'), kExponentCap);
  *exponent = negative ? -value : value;
  return p;
}

// The power of ten of the leading nonzero digit of the unsigned decimal [start, stop) whose
// exponent part is `exponent`; 0 if every digit is zero.
int64_t LeadingDigitPower(const char* start, const char* stop, int64_t exponent) {
  int64_t int_digits = 0;
  for (const char* p = start; p < stop && IsDigit(*p); ++p) int_digits += int_digits > 0 || *p != '0';
  if (int_digits > 0) return exponent + int_digits - 1;
  const char* point = std::find(start, stop, '.');
  if (point == stop) return 0;
  for (const char* p = point + 1; p < stop && IsDigit(*p); ++p) {
    if (*p != '0') return exponent - (p - point);
  }
  return 0;
}

// The float from_chars gives for the unsigned [start, stop); on ERANGE, 0 for an underflow (as
// Go's ParseFloat, which InfluxDB uses) and false for an overflow.
bool SlowFloat(const char* start, const char* stop, int64_t exponent, double* out) {
  auto [ptr, ec] = std::from_chars(start, stop, *out);
  if (ec == std::errc() && ptr == stop) return true;
  if (ec != std::errc::result_out_of_range || LeadingDigitPower(start, stop, exponent) >= 0) return false;
  *out = 0.0;
  return true;
}

// Why the number at [start, bad] broke the grammar at `bad`, in InfluxDB's words.
std::string BadNumberReason(const char* start, const char* bad, bool seen_point) {
  char c = *bad;
  bool after_exponent_mark = bad > start && (bad[-1] == 'e' || bad[-1] == 'E');
  if (c == 'e' || c == 'E' || IsDigit(c)) return "invalid float";
  if ((c == '+' || c == '-') && after_exponent_mark) return "invalid float";
  if (c == '.' && !seen_point) return "invalid float";
  return "invalid number";
}

const char* ParseIntegerSuffix(const char* start, const char* digits_end, const char* end, bool negative,
                               FieldValue* value, std::string* reason) {
  const char* after = digits_end + 1;
  if (after < end && !Is(*after, kEndsValue)) {
    *reason = "invalid number";
    return nullptr;
  }
  std::string_view text(start, static_cast<size_t>(digits_end - start));
  if (*digits_end == 'i') {
    int64_t v = 0;
    if (!ParseInt64(text, &v)) {
      *reason = "unable to parse integer " + std::string(text) + ": strconv.ParseInt: parsing \"" +
                std::string(text) + "\": value out of range";
      return nullptr;
    }
    *value = v;
    return after;
  }
  if (negative) {
    *reason = "invalid number";
    return nullptr;
  }
  uint64_t u = 0;
  auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), u);
  if (ec != std::errc() || ptr != text.data() + text.size()) {
    *reason = "unable to parse unsigned " + std::string(text) + ": strconv.ParseUint: parsing \"" +
              std::string(text) + "\": value out of range";
    return nullptr;
  }
  *value = u;
  return after;
}

}  // namespace

const char* ParseNumberSlow(const char* p, const char* end, FieldValue* value, std::string* reason) {
  const char* start = p;
  const bool negative = *p == '-';
  p += negative;
  // The mantissa wraps past 19 digits; it is only used when there are at most 19.
  uint64_t mantissa = 0;
  const char* int_begin = p;
  p = ReadDigits(p, end, &mantissa);
  const int64_t int_digits = p - int_begin;
  if (p < end && (*p == 'i' || *p == 'u') && int_digits > 0) {
    return ParseIntegerSuffix(start, p, end, negative, value, reason);
  }
  int64_t frac_digits = 0;
  const bool seen_point = p < end && *p == '.';
  if (seen_point) {
    const char* frac_begin = ++p;
    p = ReadDigits(p, end, &mantissa);
    frac_digits = p - frac_begin;
  }
  if (int_digits + frac_digits == 0) {
    *reason = "invalid number";
    return nullptr;
  }
  int64_t exponent = 0;
  if (p < end && (*p == 'e' || *p == 'E')) {
    const char* after = ReadExponent(p, end, &exponent);
    if (after == nullptr) {
      *reason = "invalid float";
      return nullptr;
    }
    p = after;
  }
  if (p < end && !Is(*p, kEndsValue)) {
    *reason = BadNumberReason(start, p, seen_point);
    return nullptr;
  }
  const int64_t e = exponent - frac_digits;
  double v = 0;
  if (int_digits + frac_digits <= 19 && mantissa <= kMaxExactMantissa && e >= -22 && e <= 22) {
    const double m = static_cast<double>(mantissa);
    v = e >= 0 ? m * kExactPow10[e] : m / kExactPow10[-e];
  } else if (!SlowFloat(negative ? start + 1 : start, p, exponent, &v)) {
    *reason = "invalid float";
    return nullptr;
  }
  *value = negative ? -v : v;
  return p;
}

bool ParseInt64(std::string_view text, int64_t* out) {
  auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), *out);
  return ec == std::errc() && ptr == text.data() + text.size();
}

bool TimestampToNs(int64_t ts, int64_t ns_per_unit, int64_t* ns) {
  if (__builtin_mul_overflow(ts, ns_per_unit, ns)) return false;
  return *ns >= kMinTimestampNs && *ns <= kMaxTimestampNs;
}

}  // namespace zhizao::connect::lineproto::internal
