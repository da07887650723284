// Float64 block codecs: exact decimal conversion (to feed the integer codec) and Gorilla
// XOR, the fallback for blocks that are not decimal.
//
// Byte layouts in docs/formats/chunk.md. Free functions; thread-safe.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "common/status.h"

namespace zhizao::storage::encoding {

// How a block's mantissas m map back to doubles: m / 10^exp (div: what a decimal parser
// produces) or m * 10^-exp (mul: what `round(x * 10^e) * 0.1...` code produces).
struct DecimalScale {
  uint8_t exp = 0;  // 0..kMaxDecimalExp
  bool mul = false;

  // The 4-bit scale of the integer block: div exponents 0..9 as 0..9, mul exponents
  // 1..6 as 10..15 (mul with exponent 0 is div with exponent 0).
  uint8_t Code() const { return mul ? static_cast<uint8_t>(9 + exp) : exp; }
  static bool FromCode(uint8_t code, DecimalScale* scale);
  friend bool operator==(const DecimalScale&, const DecimalScale&) = default;
};
inline constexpr uint8_t kMaxDecimalExp = 9;
inline constexpr uint8_t kMaxMulExp = 6;

// Finds a scale under which every v[i] is m[i] bit-exactly, trying `hint` first (it keeps
// consecutive blocks on one scale), else the smallest exponent. |m| < 2^52. Returns false
// when there is none: NaN, infinities, -0.0 and values with more digits than the scales.
bool ToDecimal(const double* v, size_t n, DecimalScale hint, DecimalScale* scale, int64_t* m);
void FromDecimal(const int64_t* m, size_t n, DecimalScale scale, double* out);

// Appends the Gorilla XOR encoding of v[0..n). REQUIRES: n >= 1.
void EncodeXor(const double* v, size_t n, std::string* out);
// Reads n values from exactly `bytes`. Corruption if they do not form such a stream.
Status DecodeXor(std::string_view bytes, size_t n, double* out);

}  // namespace zhizao::storage::encoding
