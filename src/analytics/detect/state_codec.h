// StateWriter / StateReader: the little-endian byte layout of saved detector state.
//
// The writer appends fixed-width fields to a std::string; the reader checks every read against
// the remaining bytes, so a truncated or corrupt blob turns into an error instead of a crash.
// Framing (magic, version, length, CRC-32C) is done by TagMonitor::Save/Load (tag_monitor.h);
// docs/analytics/detectors.md specifies the format. Not thread-safe; one object per blob.
#pragma once

#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>

namespace zhizao::analytics::detect {

class StateWriter {
 public:
  void U8(uint8_t v) { out_.push_back(static_cast<char>(v)); }
  void U32(uint32_t v) { Raw(&v, sizeof v); }
  void U64(uint64_t v) { Raw(&v, sizeof v); }
  void I64(int64_t v) { Raw(&v, sizeof v); }
  void F64(double v) { Raw(&v, sizeof v); }
  void Bytes(const void* data, size_t size) { Raw(data, size); }
  void Zeros(size_t size) { out_.append(size, '\0'); }
  std::string& str() { return out_; }

 private:
  // The targets of zhizao are little-endian (x86-64, aarch64); the format is little-endian.
  void Raw(const void* data, size_t size) { out_.append(static_cast<const char*>(data), size); }
  std::string out_;
};

class StateReader {
 public:
  explicit StateReader(std::string_view bytes) : in_(bytes) {}

  // Each returns false (and leaves `v` untouched) when fewer bytes remain than the field needs.
  bool U8(uint8_t& v) { return Raw(&v, sizeof v); }
  bool U32(uint32_t& v) { return Raw(&v, sizeof v); }
  bool U64(uint64_t& v) { return Raw(&v, sizeof v); }
  bool I64(int64_t& v) { return Raw(&v, sizeof v); }
  bool F64(double& v) { return Raw(&v, sizeof v); }
  bool Bytes(void* data, size_t size) { return Raw(data, size); }
  bool Skip(size_t size) {
    if (remaining() < size) return false;
    pos_ += size;
    return true;
  }
  size_t remaining() const { return in_.size() - pos_; }
  size_t offset() const { return pos_; }

 private:
  bool Raw(void* data, size_t size) {
    if (remaining() < size) return false;
    std::memcpy(data, in_.data() + pos_, size);
    pos_ += size;
    return true;
  }
  std::string_view in_;
  size_t pos_ = 0;
};

}  // namespace zhizao::analytics::detect
