// Eight bytes at a time with plain 64-bit arithmetic ("SIMD within a register"): the scans of
// the hot path, portable to any 64-bit target. Private to lineproto/.
#pragma once

#include <bit>
#include <cstdint>
#include <cstring>

namespace zhizao::connect::lineproto::internal::swar {

inline constexpr uint64_t kOnes = 0x0101010101010101u;
inline constexpr uint64_t kHighBits = 0x8080808080808080u;

// The 8 bytes at p with p[0] in the lowest byte. REQUIRES: 8 readable bytes at p.
inline uint64_t Load(const char* p) {
  uint64_t word;
  std::memcpy(&word, p, sizeof(word));
  if constexpr (std::endian::native == std::endian::big) word = __builtin_bswap64(word);
  return word;
}

// The high bit of each zero byte of `x`. Bytes above the lowest zero byte may be marked
// falsely (a borrow), so only the lowest mark is exact — which is all the scans use.
inline uint64_t ZeroBytes(uint64_t x) { return (x - kOnes) & ~x & kHighBits; }

inline uint64_t BytesEqual(uint64_t word, char c) { return ZeroBytes(word ^ (kOnes * static_cast<uint8_t>(c))); }

// The index of the byte marked by the lowest bit of a nonzero mask.
inline int FirstMarked(uint64_t mask) { return std::countr_zero(mask) / 8; }

// How many of the bytes of `word`, from the lowest, are ASCII digits (0..8).
inline int DigitRunLength(uint64_t word) {
  constexpr uint64_t kHighNibbles = 0xF0F0F0F0F0F0F0F0u;
  constexpr uint64_t kDigitNibble = 0x3030303030303030u;
  // A digit's high nibble is 3, also after adding 6; ':' .. '?' fail the second test. A carry
  // out of a byte comes only from a non-digit, and bytes after the first non-digit do not count.
  const uint64_t high_nibble_not_3 = (word & kHighNibbles) ^ kDigitNibble;
  const uint64_t above_9 = ((word + 6 * kOnes) & kHighNibbles) ^ kDigitNibble;
  const uint64_t not_digit = high_nibble_not_3 | above_9;
  return not_digit == 0 ? 8 : std::countr_zero(not_digit) / 8;
}

// A mask of the lowest n bytes. REQUIRES: 0 <= n < 8.
inline uint64_t LowBytes(int n) { return (uint64_t{1} << (8 * n)) - 1; }

// The decimal value of the lowest n bytes of `word`. REQUIRES: 1 <= n <= 8 and they are digits.
inline uint64_t DigitsValue(uint64_t word, int n) {
  word -= 0x3030303030303030u;   // digits to 0..9; a borrow can only start above them
  word <<= 8 * (8 - n);          // drop the other bytes; leading zero bytes are leading zeros
  word = word * 10 + (word >> 8);  // pairs of digits
  constexpr uint64_t kMask = 0x000000FF000000FFu;
  constexpr uint64_t kMul1 = 100 + (1000000ull << 32);
  constexpr uint64_t kMul2 = 1 + (10000ull << 32);
  return (((word & kMask) * kMul1) + (((word >> 16) & kMask) * kMul2)) >> 32;
}

}  // namespace zhizao::connect::lineproto::internal::swar
