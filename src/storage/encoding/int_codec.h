// Integer block codec: a predictor (none, previous value, mean of the last four) and a
// residual coder (frame-of-reference bit packing or Rice), chosen per block by size.
//
// The building block of int64, bool and decimal-converted float64 values. Byte layout in
// docs/formats/chunk.md, "Integer block". Not thread-safe (free functions on caller state).
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "common/status.h"

namespace zhizao::storage::encoding {

// What a block may predict from: the last four values of the previous block of the same
// chunk, if that block used the same `scale` (the decimal exponent and mode for floats,
// 0 for integers). Starts invalid at each chunk.
struct IntHistory {
  int64_t last[4] = {0, 0, 0, 0};  // last[0] is the most recent
  uint8_t scale = 0;
  bool valid = false;
};

// Largest scale EncodeInts accepts: 4 bits of the block head.
inline constexpr uint8_t kMaxIntScale = 15;

// Appends the encoding of v[0..n) to *out and updates *history.
// REQUIRES: n >= 1; scale <= kMaxIntScale.
void EncodeInts(const int64_t* v, size_t n, uint8_t scale, IntHistory* history, std::string* out);

// Reads one integer block that spans exactly `bytes` and holds n values into out[0..n);
// sets *scale to the scale it was written with and updates *history.
// Returns Corruption if the bytes do not form such a block.
Status DecodeInts(std::string_view bytes, size_t n, IntHistory* history, uint8_t* scale, int64_t* out);

}  // namespace zhizao::storage::encoding
