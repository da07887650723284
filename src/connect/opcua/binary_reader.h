// Reads the OPC UA binary encoding (Part 6, 5.2) from a bounded byte span.
//
// The reader is the one gate between the wire and memory: every length, array count and
// nesting depth is checked against the bytes left and against DecodeLimits before anything
// is allocated, and every allocation is charged to a budget, so a hostile peer cannot make a
// small message grow into a large one. The first error sticks: later reads return zeros and
// empty values and allocate nothing, and status() tells what went wrong and where.
// Not thread-safe; the span must outlive the reader.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>

#include "common/status.h"

namespace zhizao::connect::opcua {

struct DecodeLimits {
  // Longest String or ByteString. Default: 16 MiB.
  uint32_t max_string_bytes = 16u << 20;
  // Most elements in one array. Default: 1,000,000.
  uint32_t max_array_length = 1'000'000;
  // Deepest nesting of Variant, DataValue, DiagnosticInfo and structures. Default: 16.
  int max_depth = 16;
  // Most bytes of memory one decode may allocate (strings and array elements). Default: 256 MiB.
  uint64_t max_decoded_bytes = 256ull << 20;
};

class BinaryReader {
 public:
  BinaryReader(std::span<const uint8_t> bytes, const DecodeLimits& limits) : bytes_(bytes), limits_(limits) {}

  bool ok() const { return error_.empty(); }
  // Ok, or Corruption with the first error and its byte offset.
  Status status() const;
  // Records `why` as the error unless one is recorded already.
  void Fail(std::string_view why);

  size_t offset() const { return offset_; }
  size_t remaining() const { return bytes_.size() - offset_; }
  const DecodeLimits& limits() const { return limits_; }

  uint8_t U8();
  bool Bool() { return U8() != 0; }
  uint16_t U16();
  uint32_t U32();
  uint64_t U64();
  int8_t I8() { return static_cast<int8_t>(U8()); }
  int16_t I16() { return static_cast<int16_t>(U16()); }
  int32_t I32() { return static_cast<int32_t>(U32()); }
  int64_t I64() { return static_cast<int64_t>(U64()); }
  float F32();
  double F64();

  // A String or ByteString; the null value (-1) reads as empty.
  std::string String();
  // Skips a String or ByteString.
  void SkipString();
  // The next `n` bytes, or an empty span (and an error) when fewer are left.
  std::span<const uint8_t> Take(size_t n);

  // The element count of an array whose elements take at least `min_element_bytes` on the
  // wire and `element_memory_bytes` in memory; 0 for the null array (-1). Fails (returning 0)
  // when the count is negative, above max_array_length, larger than the bytes left allow, or
  // over the memory budget.
  uint32_t ArrayLength(size_t min_element_bytes, size_t element_memory_bytes);

  // Nesting: Enter() fails beyond max_depth; every Enter() that returned true needs a Leave().
  bool Enter();
  void Leave() { --depth_; }

 private:
  bool Need(size_t n);
  bool Charge(uint64_t bytes);

  std::span<const uint8_t> bytes_;
  const DecodeLimits& limits_;
  size_t offset_ = 0;
  int depth_ = 0;
  uint64_t charged_bytes_ = 0;
  std::string error_;
  size_t error_offset_ = 0;
};

// Enter()s on construction and Leave()s on destruction when the Enter() succeeded.
class DepthGuard {
 public:
  explicit DepthGuard(BinaryReader& reader) : reader_(reader), entered_(reader.Enter()) {}
  ~DepthGuard() {
    if (entered_) reader_.Leave();
  }
  DepthGuard(const DepthGuard&) = delete;
  DepthGuard& operator=(const DepthGuard&) = delete;
  bool entered() const { return entered_; }

 private:
  BinaryReader& reader_;
  bool entered_;
};

}  // namespace zhizao::connect::opcua
