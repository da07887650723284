// Writes the OPC UA binary encoding (Part 6, 5.2) into a growing byte string.
// Not thread-safe.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace zhizao::connect::opcua {

class BinaryWriter {
 public:
  void U8(uint8_t v) { bytes_.push_back(static_cast<char>(v)); }
  void Bool(bool v) { U8(v ? 1 : 0); }
  void U16(uint16_t v);
  void U32(uint32_t v);
  void U64(uint64_t v);
  void I16(int16_t v) { U16(static_cast<uint16_t>(v)); }
  void I32(int32_t v) { U32(static_cast<uint32_t>(v)); }
  void I64(int64_t v) { U64(static_cast<uint64_t>(v)); }
  void F32(float v);
  void F64(double v);
  // A String or ByteString: Int32 length, then the bytes.
  void String(std::string_view s);
  // The null String or ByteString (length -1).
  void NullString() { I32(-1); }
  void Raw(std::string_view bytes) { bytes_.append(bytes); }
  // Overwrites four bytes at `offset` (a length known only at the end).
  // REQUIRES: offset + 4 <= size().
  void PatchU32(size_t offset, uint32_t v);

  size_t size() const { return bytes_.size(); }
  const std::string& bytes() const { return bytes_; }
  std::string Take() { return std::move(bytes_); }

 private:
  std::string bytes_;
};

}  // namespace zhizao::connect::opcua
