#include "connect/lineproto/internal/utf8.h"

#include <algorithm>
#include <cstdint>
#include <cstring>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace zhizao::connect::lineproto::internal {
namespace {

// The length of the well-formed sequence at text[i], or 0.
size_t SequenceLength(std::string_view text, size_t i) {
  const auto byte = [&](size_t k) { return static_cast<uint8_t>(text[k]); };
  const uint8_t lead = byte(i);
  if (lead < 0x80) return 1;
  size_t length = 0;
  uint32_t code_point = 0;
  uint32_t min_code_point = 0;
  if ((lead & 0xE0) == 0xC0) {
    length = 2, code_point = lead & 0x1Fu, min_code_point = 0x80;
  } else if ((lead & 0xF0) == 0xE0) {
    length = 3, code_point = lead & 0x0Fu, min_code_point = 0x800;
  } else if ((lead & 0xF8) == 0xF0) {
    length = 4, code_point = lead & 0x07u, min_code_point = 0x10000;
  } else {
    return 0;
  }
  if (length > text.size() - i) return 0;
  for (size_t k = 1; k < length; ++k) {
    if ((byte(i + k) & 0xC0) != 0x80) return 0;
    code_point = (code_point << 6) | (byte(i + k) & 0x3Fu);
  }
  const bool surrogate = code_point >= 0xD800 && code_point <= 0xDFFF;
  if (code_point < min_code_point || code_point > 0x10FFFF || surrogate) return 0;
  return length;
}

// Whether every byte of `text` is ASCII: 16 bytes at a time with SSE2 (every x86-64), else 8;
// the last block overlaps the one before it rather than falling back to bytes.
bool IsAscii(std::string_view text) {
  const char* p = text.data();
  const size_t n = text.size();
#if defined(__SSE2__)
  if (n >= 16) {
    const auto load = [](const char* at) { return _mm_loadu_si128(reinterpret_cast<const __m128i*>(at)); };
    __m128i any = load(p + n - 16);
    for (size_t i = 0; i + 16 <= n; i += 16) any = _mm_or_si128(any, load(p + i));
    return _mm_movemask_epi8(any) == 0;
  }
#endif
  const auto word = [&](size_t i) {
    uint64_t w;
    std::memcpy(&w, p + i, sizeof(w));
    return w;
  };
  if (n < 8) return std::all_of(p, p + n, [](char c) { return static_cast<uint8_t>(c) < 0x80; });
  uint64_t any = word(n - 8);
  for (size_t i = 0; i + 8 <= n; i += 8) any |= word(i);
  return (any & 0x8080808080808080u) == 0;
}

}  // namespace

bool IsValidUtf8(std::string_view text) {
  if (IsAscii(text)) return true;
  for (size_t i = 0; i < text.size();) {
    const size_t length = SequenceLength(text, i);
    if (length == 0) return false;
    i += length;
  }
  return true;
}

void AppendValidUtf8(std::string_view text, std::string* out) {
  for (size_t i = 0; i < text.size();) {
    const size_t length = SequenceLength(text, i);
    if (length == 0) {
      out->append("\xEF\xBF\xBD");
      ++i;
    } else {
      out->append(text.substr(i, length));
      i += length;
    }
  }
}

}  // namespace zhizao::connect::lineproto::internal
