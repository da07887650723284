#include "storage/encoding/bits.h"

#include <bit>

static_assert(std::endian::native == std::endian::little, "BitWriter appends words in memory order");

namespace zhizao::storage::encoding {

void PutVarint(std::string* out, uint64_t v) {
  while (v >= 0x80) {
    out->push_back(static_cast<char>(v | 0x80));
    v >>= 7;
  }
  out->push_back(static_cast<char>(v));
}

bool ByteReader::GetVarint(uint64_t* v) {
  uint64_t result = 0;
  for (int shift = 0; shift < 64 && p_ < end_; shift += 7) {
    uint64_t b = static_cast<uint8_t>(*p_++);
    // The tenth byte may only carry the top bit of a uint64.
    if (shift == 63 && b > 1) return false;
    result |= (b & 0x7f) << shift;
    if (b < 0x80) {
      *v = result;
      return true;
    }
  }
  return false;
}

bool ByteReader::GetByte(uint8_t* v) {
  if (p_ == end_) return false;
  *v = static_cast<uint8_t>(*p_++);
  return true;
}

bool ByteReader::GetFixed32(uint32_t* v) {
  if (remaining() < 4) return false;
  uint32_t r = 0;
  for (int i = 0; i < 4; ++i) r |= uint32_t{static_cast<uint8_t>(p_[i])} << (8 * i);
  p_ += 4;
  *v = r;
  return true;
}

bool ByteReader::GetFixed64(uint64_t* v) {
  if (remaining() < 8) return false;
  uint64_t r = 0;
  for (int i = 0; i < 8; ++i) r |= uint64_t{static_cast<uint8_t>(p_[i])} << (8 * i);
  p_ += 8;
  *v = r;
  return true;
}

bool ByteReader::GetBytes(size_t n, std::string_view* v) {
  if (remaining() < n) return false;
  *v = std::string_view(p_, n);
  p_ += n;
  return true;
}

void BitWriter::Put(uint64_t value, int bits) {
  if (bits == 0) return;
  acc_ |= value << n_;
  int total = n_ + bits;
  if (total < 64) {
    n_ = total;
    return;
  }
  out_->append(reinterpret_cast<const char*>(&acc_), 8);
  // The bits of `value` that did not fit; a shift by 64 would be undefined.
  acc_ = n_ == 0 ? 0 : value >> (64 - n_);
  n_ = total - 64;
}

void BitWriter::Flush() {
  for (int i = 0; i < n_; i += 8) out_->push_back(static_cast<char>(acc_ >> i));
  acc_ = 0;
  n_ = 0;
}

}  // namespace zhizao::storage::encoding

