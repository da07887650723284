#include "connect/opcua/binary_reader.h"

#include <bit>
#include <cstring>

namespace zhizao::connect::opcua {

Status BinaryReader::status() const {
  if (ok()) return Status::Ok();
  return Status::Corruption("cannot decode OPC UA message at byte " + std::to_string(error_offset_) + ": " + error_);
}

void BinaryReader::Fail(std::string_view why) {
  if (!ok()) return;
  error_ = why.empty() ? "invalid encoding" : std::string(why);
  error_offset_ = offset_;
  offset_ = bytes_.size();  // nothing more is read after an error
}

bool BinaryReader::Need(size_t n) {
  if (!ok()) return false;
  if (n > remaining()) {
    Fail("message ends early: " + std::to_string(n) + " bytes needed, " + std::to_string(remaining()) + " left");
    return false;
  }
  return true;
}

bool BinaryReader::Charge(uint64_t bytes) {
  charged_bytes_ += bytes;
  if (charged_bytes_ > limits_.max_decoded_bytes) {
    Fail("decoded size exceeds the limit of " + std::to_string(limits_.max_decoded_bytes) + " bytes");
    return false;
  }
  return true;
}

uint8_t BinaryReader::U8() {
  if (!Need(1)) return 0;
  return bytes_[offset_++];
}

// The wire is little-endian; so is every host zhizao builds for (checked at compile time).
static_assert(std::endian::native == std::endian::little, "OPC UA decoding assumes a little-endian host");

uint16_t BinaryReader::U16() {
  uint16_t v = 0;
  if (!Need(2)) return 0;
  std::memcpy(&v, bytes_.data() + offset_, 2);
  offset_ += 2;
  return v;
}

uint32_t BinaryReader::U32() {
  uint32_t v = 0;
  if (!Need(4)) return 0;
  std::memcpy(&v, bytes_.data() + offset_, 4);
  offset_ += 4;
  return v;
}

uint64_t BinaryReader::U64() {
  uint64_t v = 0;
  if (!Need(8)) return 0;
  std::memcpy(&v, bytes_.data() + offset_, 8);
  offset_ += 8;
  return v;
}

float BinaryReader::F32() { return std::bit_cast<float>(U32()); }
double BinaryReader::F64() { return std::bit_cast<double>(U64()); }

std::string BinaryReader::String() {
  int32_t length = I32();
  if (!ok() || length == -1) return {};
  if (length < -1) {
    Fail("negative string length " + std::to_string(length));
    return {};
  }
  auto n = static_cast<uint32_t>(length);
  if (n > limits_.max_string_bytes) {
    Fail("string of " + std::to_string(n) + " bytes exceeds the limit of " + std::to_string(limits_.max_string_bytes));
    return {};
  }
  if (!Need(n) || !Charge(n)) return {};
  std::string s(reinterpret_cast<const char*>(bytes_.data() + offset_), n);
  offset_ += n;
  return s;
}

void BinaryReader::SkipString() {
  int32_t length = I32();
  if (!ok() || length == -1) return;
  if (length < -1) return Fail("negative string length " + std::to_string(length));
  Take(static_cast<uint32_t>(length));
}

std::span<const uint8_t> BinaryReader::Take(size_t n) {
  if (!Need(n)) return {};
  auto span = bytes_.subspan(offset_, n);
  offset_ += n;
  return span;
}

uint32_t BinaryReader::ArrayLength(size_t min_element_bytes, size_t element_memory_bytes) {
  int32_t length = I32();
  if (!ok() || length == -1) return 0;
  if (length < -1) {
    Fail("negative array length " + std::to_string(length));
    return 0;
  }
  auto n = static_cast<uint32_t>(length);
  if (n > limits_.max_array_length) {
    Fail("array of " + std::to_string(n) + " elements exceeds the limit of " + std::to_string(limits_.max_array_length));
    return 0;
  }
  if (static_cast<uint64_t>(n) * min_element_bytes > remaining()) {
    Fail("array of " + std::to_string(n) + " elements cannot fit in the " + std::to_string(remaining()) +
         " bytes left");
    return 0;
  }
  if (!Charge(static_cast<uint64_t>(n) * element_memory_bytes)) return 0;
  return n;
}

bool BinaryReader::Enter() {
  if (!ok()) return false;
  if (depth_ >= limits_.max_depth) {
    Fail("nesting deeper than " + std::to_string(limits_.max_depth));
    return false;
  }
  ++depth_;
  return true;
}

}  // namespace zhizao::connect::opcua
