// Byte classes of line protocol and the scanners built on them. Private to lineproto/.
#pragma once

#include <array>
#include <bit>
#include <cstdint>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include "connect/lineproto/internal/swar.h"

namespace zhizao::connect::lineproto::internal {

enum ByteClass : uint8_t {
  kEndsMeasurement = 1 << 0,  // ',', ' ', '\n' and '\\' (which starts an escape)
  kEndsName = 1 << 1,         // the above and '=': tag keys, tag values, field keys
  kEndsValue = 1 << 2,        // ',', ' ', '\n', '\r': ends a number, boolean or timestamp
  kDigit = 1 << 3,
};

inline constexpr std::array<uint8_t, 256> kByteClass = [] {
  std::array<uint8_t, 256> table{};
  for (char c : {',', ' ', '\n', '\\'}) table[static_cast<uint8_t>(c)] |= kEndsMeasurement | kEndsName;
  table['='] |= kEndsName;
  for (char c : {',', ' ', '\n', '\r'}) table[static_cast<uint8_t>(c)] |= kEndsValue;
  for (char c = '0'; c <= '9'; ++c) table[static_cast<uint8_t>(c)] |= kDigit;
  return table;
}();

inline bool Is(char c, uint8_t classes) { return (kByteClass[static_cast<uint8_t>(c)] & classes) != 0; }

// True at the end of a line: the end of the body, '\n', or a '\r' right before either.
inline bool AtLineEnd(const char* p, const char* end) {
  return p == end || *p == '\n' || (*p == '\r' && (p + 1 == end || p[1] == '\n'));
}

// The first byte at or after p, before end, of class `stops` (kEndsMeasurement or kEndsName),
// or end. Sixteen bytes at a time with SSE2 (every x86-64), else eight with SWAR.
template <uint8_t kStops>
const char* FindStop(const char* p, const char* end) {
#if defined(__SSE2__)
  for (; end - p >= 16; p += 16) {
    const __m128i bytes = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p));
    const auto equal = [&](char c) { return _mm_cmpeq_epi8(bytes, _mm_set1_epi8(c)); };
    __m128i stops = _mm_or_si128(_mm_or_si128(equal(','), equal(' ')), _mm_or_si128(equal('\n'), equal('\\')));
    if constexpr (kStops == kEndsName) stops = _mm_or_si128(stops, equal('='));
    if (const int mask = _mm_movemask_epi8(stops); mask != 0) return p + std::countr_zero(static_cast<unsigned>(mask));
  }
#endif
  for (; end - p >= 8; p += 8) {
    const uint64_t word = swar::Load(p);
    uint64_t stops = swar::BytesEqual(word, ',') | swar::BytesEqual(word, ' ') | swar::BytesEqual(word, '\n') |
                     swar::BytesEqual(word, '\\');
    if constexpr (kStops == kEndsName) stops |= swar::BytesEqual(word, '=');
    if (stops != 0) return p + swar::FirstMarked(stops);
  }
  while (p < end && !Is(*p, kStops)) ++p;
  return p;
}

// Returns the first byte at or after p, before end, that ends a name of kind `stops`
// (kEndsMeasurement or kEndsName), or end. A backslash and the byte after it are one unit that
// never ends a name; a backslash before '\n' or at the end is a plain byte. Sets *escaped when a
// backslash was seen.
template <uint8_t kStops>
const char* ScanName(const char* p, const char* end, bool* escaped) {
  for (;;) {
    p = FindStop<kStops>(p, end);
    if (p == end || *p != '\\') return p;
    *escaped = true;
    p += (p + 1 < end && p[1] != '\n') ? 2 : 1;
  }
}

inline const char* SkipBlanks(const char* p, const char* end) {
  while (p < end && (*p == ' ' || *p == '\t')) ++p;
  return p;
}

}  // namespace zhizao::connect::lineproto::internal
