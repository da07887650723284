#include "storage/encoding/float_codec.h"

#include <bit>
#include <cmath>

#include "storage/encoding/bits.h"

namespace zhizao::storage::encoding {
namespace {

// Exact powers of ten, and the doubles nearest to their inverses (what 0.1 means in code).
constexpr double kPow10[kMaxDecimalExp + 1] = {1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9};
constexpr double kInvPow10[kMaxDecimalExp + 1] = {1e0, 1e-1, 1e-2, 1e-3, 1e-4, 1e-5, 1e-6, 1e-7, 1e-8, 1e-9};
constexpr double kMaxMantissa = 4503599627370496.0;  // 2^52

bool Same(double a, double b) { return std::bit_cast<uint64_t>(a) == std::bit_cast<uint64_t>(b); }

double Decode(int64_t m, DecimalScale s) {
  double x = static_cast<double>(m);
  return s.mul ? x * kInvPow10[s.exp] : x / kPow10[s.exp];
}

// Rounds v * 10^exp to a mantissa; the caller verifies the round trip, so any rounding
// of halves will do, and truncation after adding 0.5 is the cheap one.
bool Mantissa(double v, uint8_t exp, int64_t* m) {
  double s = v * kPow10[exp];
  if (!(std::fabs(s) < kMaxMantissa)) return false;
  *m = static_cast<int64_t>(s + (s < 0 ? -0.5 : 0.5));
  return true;
}

bool TryScale(const double* v, size_t n, DecimalScale s, int64_t* m) {
  for (size_t i = 0; i < n; ++i) {
    if (!Mantissa(v[i], s.exp, &m[i]) || !Same(Decode(m[i], s), v[i])) return false;
  }
  return true;
}

// Tries div and mul at one exponent in a single pass.
bool TryExponent(const double* v, size_t n, uint8_t exp, DecimalScale* scale, int64_t* m) {
  bool div = true, mul = exp >= 1 && exp <= kMaxMulExp;
  for (size_t i = 0; i < n && (div || mul); ++i) {
    if (!Mantissa(v[i], exp, &m[i])) return false;
    div = div && Same(Decode(m[i], {exp, false}), v[i]);
    mul = mul && Same(Decode(m[i], {exp, true}), v[i]);
  }
  if (!div && !mul) return false;
  *scale = {exp, !div};
  return true;
}

}  // namespace

bool DecimalScale::FromCode(uint8_t code, DecimalScale* scale) {
  if (code > 9 + kMaxMulExp) return false;
  *scale = code <= kMaxDecimalExp ? DecimalScale{code, false} : DecimalScale{static_cast<uint8_t>(code - 9), true};
  return true;
}

bool ToDecimal(const double* v, size_t n, DecimalScale hint, DecimalScale* scale, int64_t* m) {
  if (TryScale(v, n, hint, m)) {
    *scale = hint;
    return true;
  }
  for (uint8_t exp = 0; exp <= kMaxDecimalExp; ++exp) {
    if (TryExponent(v, n, exp, scale, m)) return true;
  }
  return false;
}

void FromDecimal(const int64_t* m, size_t n, DecimalScale scale, double* out) {
  // Two loops so that each vectorises without a per-value branch.
  if (scale.mul) {
    const double f = kInvPow10[scale.exp];
    for (size_t i = 0; i < n; ++i) out[i] = static_cast<double>(m[i]) * f;
  } else {
    const double d = kPow10[scale.exp];
    for (size_t i = 0; i < n; ++i) out[i] = static_cast<double>(m[i]) / d;
  }
}

// Gorilla (Pelkonen et al., VLDB 2015), LSB-first: per value after the first, 0 = same as
// the previous; 10 = XOR inside the previous window; 11 + 5 bits leading zeros + 6 bits
// (length - 1) + the meaningful bits.
void EncodeXor(const double* v, size_t n, std::string* out) {
  BitWriter bits(out);
  uint64_t prev = std::bit_cast<uint64_t>(v[0]);
  bits.Put(prev, 64);
  int lead = 0, len = 64;
  bool window = false;
  for (size_t i = 1; i < n; ++i) {
    uint64_t cur = std::bit_cast<uint64_t>(v[i]);
    uint64_t x = cur ^ prev;
    prev = cur;
    if (x == 0) {
      bits.Put(0, 1);
      continue;
    }
    int l = std::min(std::countl_zero(x), 31), t = std::countr_zero(x);
    if (window && l >= lead && t >= 64 - lead - len) {
      bits.Put(1, 2);  // bits "1", "0"
      bits.Put(x >> (64 - lead - len), len);
      continue;
    }
    lead = l, len = 64 - l - t, window = true;
    bits.Put(3, 2);
    bits.Put(static_cast<uint64_t>(lead), 5);
    bits.Put(static_cast<uint64_t>(len - 1), 6);
    bits.Put(x >> t, len);
  }
  bits.Flush();
}

Status DecodeXor(std::string_view bytes, size_t n, double* out) {
  BitReader bits(bytes);
  uint64_t prev = bits.Get(64);
  out[0] = std::bit_cast<double>(prev);
  int lead = 0, len = 64;
  for (size_t i = 1; i < n; ++i) {
    if (bits.Get(1) != 0) {
      if (bits.Get(1) != 0) {
        lead = static_cast<int>(bits.Get(5));
        len = static_cast<int>(bits.Get(6)) + 1;
        if (lead + len > 64) return Status::Corruption("XOR window past 64 bits");
      }
      prev ^= bits.Get(len) << (64 - lead - len);
    }
    out[i] = std::bit_cast<double>(prev);
  }
  if (bits.overrun() || (bits.position_bits() + 7) / 8 != bytes.size()) {
    return Status::Corruption("XOR values do not fill their block");
  }
  return Status::Ok();
}

}  // namespace zhizao::storage::encoding
