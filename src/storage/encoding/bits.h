// Byte and bit streams of the chunk encoding: varints, zigzag, LSB-first bit packing.
//
// Writers append to a std::string. Readers never read past the view they were given and
// report running out as a false return, so every decoder of untrusted bytes is built on
// them. Not thread-safe (plain values).
#pragma once

#include <bit>
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>

namespace zhizao::storage::encoding {

inline uint64_t ZigZag(int64_t v) { return (static_cast<uint64_t>(v) << 1) ^ static_cast<uint64_t>(v >> 63); }
inline int64_t UnZigZag(uint64_t u) { return static_cast<int64_t>((u >> 1) ^ (~(u & 1) + 1)); }
// Bits needed for v: 0 for 0, 64 for values with the top bit set.
inline int BitWidth(uint64_t v) { return 64 - std::countl_zero(v); }
// Wrapping arithmetic on int64: the encoding defines overflow as modulo 2^64.
inline int64_t WrapSub(int64_t a, int64_t b) { return static_cast<int64_t>(static_cast<uint64_t>(a) - static_cast<uint64_t>(b)); }
inline int64_t WrapAdd(int64_t a, int64_t b) { return static_cast<int64_t>(static_cast<uint64_t>(a) + static_cast<uint64_t>(b)); }

void PutVarint(std::string* out, uint64_t v);
inline void PutFixed32(std::string* out, uint32_t v) {
  for (int i = 0; i < 4; ++i) out->push_back(static_cast<char>(v >> (8 * i)));
}
inline void PutFixed64(std::string* out, uint64_t v) {
  for (int i = 0; i < 8; ++i) out->push_back(static_cast<char>(v >> (8 * i)));
}

// Reads from a byte view; each Get returns false, consuming nothing useful, when the
// bytes run out or are malformed (a varint longer than 10 bytes).
class ByteReader {
 public:
  explicit ByteReader(std::string_view bytes) : p_(bytes.data()), end_(bytes.data() + bytes.size()) {}

  bool GetVarint(uint64_t* v);
  bool GetByte(uint8_t* v);
  bool GetFixed32(uint32_t* v);
  bool GetFixed64(uint64_t* v);
  // A view of the next n bytes.
  bool GetBytes(size_t n, std::string_view* v);
  size_t remaining() const { return static_cast<size_t>(end_ - p_); }
  const char* position() const { return p_; }

 private:
  const char* p_;
  const char* end_;
};

// Appends bits LSB-first: bit i of the stream is bit (i % 8) of byte i / 8.
class BitWriter {
 public:
  explicit BitWriter(std::string* out) : out_(out) {}
  // REQUIRES: bits <= 64; value has no bits above `bits`.
  void Put(uint64_t value, int bits);
  // Pads the last byte with zero bits.
  void Flush();

 private:
  std::string* out_;
  uint64_t acc_ = 0;
  int n_ = 0;  // bits held in acc_, < 64 between calls
};

// Reads a bit stream written by BitWriter. Reading past the end yields zero bits and sets
// overrun(), which the caller checks once per block rather than per value.
class BitReader {
 public:
  explicit BitReader(std::string_view bytes)
      : p_(reinterpret_cast<const uint8_t*>(bytes.data())), size_bits_(bytes.size() * 8) {}

  // REQUIRES: 0 <= bits <= 64.
  uint64_t Get(int bits) {
    if (bits == 0) return 0;
    uint64_t v = Peek64();
    if (bits < 64) v &= (uint64_t{1} << bits) - 1;
    pos_ += static_cast<size_t>(bits);
    return v;
  }
  // Counts zero bits up to the next one bit, consuming both; stops at max_zeros zeros
  // (consuming only those).
  int GetUnary(int max_zeros) {
    uint64_t v = Peek64();
    int z = v == 0 ? 64 : std::countr_zero(v);
    if (z >= max_zeros) {
      pos_ += static_cast<size_t>(max_zeros);
      return max_zeros;
    }
    pos_ += static_cast<size_t>(z) + 1;
    return z;
  }
  bool overrun() const { return pos_ > size_bits_; }
  size_t position_bits() const { return pos_; }

 private:
  // The 64 bits starting at pos_, zero past the end.
  uint64_t Peek64() const {
    size_t byte = pos_ >> 3;
    int shift = static_cast<int>(pos_ & 7);
    size_t size = size_bits_ >> 3;
    if (byte + 9 <= size) {
      uint64_t lo;
      std::memcpy(&lo, p_ + byte, 8);
      uint64_t hi = shift == 0 ? 0 : uint64_t{p_[byte + 8]} << (64 - shift);
      return (lo >> shift) | hi;
    }
    uint64_t v = 0;
    for (size_t i = 0; i < 9 && byte + i < size; ++i) {
      uint64_t b = uint64_t{p_[byte + i]};
      int s = static_cast<int>(8 * i) - shift;
      v |= s >= 0 ? (s < 64 ? b << s : 0) : b >> -s;
    }
    return v;
  }

  const uint8_t* p_;
  size_t size_bits_;
  size_t pos_ = 0;
};

// A BitReader without bounds checks per read, for the hot loops of block decoders: it
// copies the bytes into a buffer with kPadBytes of zeros behind them, so a read that
// starts inside the stream never leaves the buffer. Callers check overrun() at least
// once per kPadBytes * 8 bits read. Not thread-safe; reuse one per thread.
class PaddedBitReader {
 public:
  // A read spans 16 bytes and may start 32 bits past a position that is still inside the
  // stream (the Rice escape's raw word, or a remainder after a 31-bit quotient): 20 bytes.
  static constexpr size_t kPadBytes = 24;

  void Reset(std::string_view bytes) {
    buf_.assign(bytes);
    buf_.append(kPadBytes, '\0');
    size_bits_ = bytes.size() * 8;
    pos_ = 0;
  }
  // The next 64 bits; REQUIRES: !overrun().
  uint64_t Peek() const {
    const char* p = buf_.data() + (pos_ >> 3);
    int shift = static_cast<int>(pos_ & 7);
    uint64_t lo, hi;
    std::memcpy(&lo, p, 8);
    std::memcpy(&hi, p + 8, 8);
    return shift == 0 ? lo : (lo >> shift) | (hi << (64 - shift));
  }
  void Skip(size_t bits) { pos_ += bits; }
  // The padded bytes, for loops that track their own position.
  const char* data() const { return buf_.data(); }
  bool overrun() const { return pos_ > size_bits_; }
  size_t position_bits() const { return pos_; }

 private:
  std::string buf_;
  size_t size_bits_ = 0;
  size_t pos_ = 0;
};

}  // namespace zhizao::storage::encoding
