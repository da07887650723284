#include "storage/wal/batch_codec.h"

#include <bit>
#include <string>

#include "storage/wal/internal/varint.h"

namespace zhizao::storage {
namespace {

using wal_internal::GetFixed64;
using wal_internal::GetVarint64;
using wal_internal::kMaxVarint32Bytes;
using wal_internal::kMaxVarint64Bytes;
using wal_internal::PutFixed64;
using wal_internal::PutVarint64;
using wal_internal::UnZigZag;
using wal_internal::ZigZag;

constexpr uint8_t kBatchFormatV1 = 1;

// Per-point flag byte: the value type in the low two bits, then whether a status follows and
// the value of a bool. The high bits are reserved and must be zero.
constexpr uint8_t kTypeMask = 0x03;
constexpr uint8_t kHasStatus = 0x04;
constexpr uint8_t kBoolTrue = 0x08;
constexpr uint8_t kReservedFlags = 0xf0;

// Flags, a one-byte tag delta and a one-byte timestamp delta.
constexpr size_t kMinPointBytes = 3;
constexpr size_t kMaxPointBytes = 1 + kMaxVarint64Bytes * 2 + kMaxVarint32Bytes + 8 + kMaxVarint64Bytes;

size_t MaxEncodedSize(const Batch& batch) {
  size_t size = 1 + 2 * kMaxVarint64Bytes + batch.points.size() * kMaxPointBytes;
  for (const std::string& s : batch.strings) size += kMaxVarint64Bytes + s.size();
  return size;
}

char* PutStrings(char* p, const Batch& batch) {
  for (const std::string& s : batch.strings) {
    p = PutVarint64(p, s.size());
    std::memcpy(p, s.data(), s.size());
    p += s.size();
  }
  return p;
}

char* PutValue(char* p, const Value& value) {
  switch (value.type()) {
    case DataType::kFloat64: return PutFixed64(p, std::bit_cast<uint64_t>(value.f64()));
    case DataType::kInt64: return PutVarint64(p, ZigZag(value.i64()));
    case DataType::kBool: return p;
    case DataType::kString: return PutVarint64(p, value.string_index());
  }
  return p;
}

char* PutPoints(char* p, const Batch& batch) {
  uint32_t prev_tag = 0;
  uint64_t prev_ts = 0;
  for (const Point& point : batch.points) {
    auto flags = static_cast<uint8_t>(point.value.type());
    if (point.status != status_codes::kGood) flags |= kHasStatus;
    if (point.value.type() == DataType::kBool && point.value.boolean()) flags |= kBoolTrue;
    *p++ = static_cast<char>(flags);
    p = PutVarint64(p, ZigZag(static_cast<int64_t>(point.tag) - static_cast<int64_t>(prev_tag)));
    // Unsigned subtraction wraps instead of overflowing for timestamps far apart.
    auto ts = static_cast<uint64_t>(point.ts_ns);
    p = PutVarint64(p, ZigZag(static_cast<int64_t>(ts - prev_ts)));
    if (flags & kHasStatus) p = PutVarint64(p, point.status);
    p = PutValue(p, point.value);
    prev_tag = point.tag;
    prev_ts = ts;
  }
  return p;
}

// Reads the payload front to back; every Get checks the bytes left.
class Decoder {
 public:
  explicit Decoder(std::string_view in) : begin_(in.data()), p_(in.data()), end_(in.data() + in.size()) {}

  Status Decode(Batch* out);

 private:
  Status Fail(std::string_view what) const {
    return Status::Corruption("cannot decode WAL batch: " + std::string(what) + " at byte " +
                              std::to_string(p_ - begin_));
  }
  size_t left() const { return static_cast<size_t>(end_ - p_); }
  bool Varint(uint64_t* v) {
    const char* next = GetVarint64(p_, end_, v);
    if (next == nullptr) return false;
    p_ = next;
    return true;
  }
  Status Strings(uint64_t count, Batch* out);
  Status Points(uint64_t count, Batch* out);
  Status ReadValue(uint8_t flags, size_t string_count, Value* value);

  const char* begin_;
  const char* p_;
  const char* end_;
};

Status Decoder::Decode(Batch* out) {
  out->Clear();
  if (left() < 1 || static_cast<uint8_t>(*p_) != kBatchFormatV1) return Fail("unknown format version");
  ++p_;
  uint64_t point_count = 0;
  uint64_t string_count = 0;
  if (!Varint(&point_count) || !Varint(&string_count)) return Fail("truncated header");
  // Each string takes at least its length byte and each point kMinPointBytes: a count
  // beyond that is a lie, rejected before it can size an allocation.
  if (string_count > left()) return Fail("string count " + std::to_string(string_count) + " too large");
  ZZ_RETURN_IF_ERROR(Strings(string_count, out));
  if (point_count > left() / kMinPointBytes) return Fail("point count " + std::to_string(point_count) + " too large");
  ZZ_RETURN_IF_ERROR(Points(point_count, out));
  if (p_ != end_) return Fail("trailing bytes");
  return Status::Ok();
}

Status Decoder::Strings(uint64_t count, Batch* out) {
  out->strings.reserve(count);
  for (uint64_t i = 0; i < count; ++i) {
    uint64_t size = 0;
    if (!Varint(&size) || size > left()) return Fail("truncated string " + std::to_string(i));
    out->strings.emplace_back(p_, size);
    p_ += size;
  }
  return Status::Ok();
}

Status Decoder::Points(uint64_t count, Batch* out) {
  out->points.resize(count);
  uint64_t tag = 0;
  uint64_t ts = 0;
  for (Point& point : out->points) {
    if (left() < 1) return Fail("truncated point");
    auto flags = static_cast<uint8_t>(*p_++);
    if (flags & kReservedFlags) return Fail("reserved point flags set");
    uint64_t tag_delta = 0;
    uint64_t ts_delta = 0;
    if (!Varint(&tag_delta) || !Varint(&ts_delta)) return Fail("truncated point");
    tag += static_cast<uint64_t>(UnZigZag(tag_delta));
    if (tag > UINT32_MAX) return Fail("tag id out of range");
    ts += static_cast<uint64_t>(UnZigZag(ts_delta));
    uint64_t status = status_codes::kGood;
    if ((flags & kHasStatus) && (!Varint(&status) || status > UINT32_MAX)) return Fail("bad status");
    point.tag = static_cast<TagId>(tag);
    point.ts_ns = static_cast<int64_t>(ts);
    point.status = static_cast<uint32_t>(status);
    ZZ_RETURN_IF_ERROR(ReadValue(flags, out->strings.size(), &point.value));
  }
  return Status::Ok();
}

Status Decoder::ReadValue(uint8_t flags, size_t string_count, Value* value) {
  uint64_t bits = 0;
  auto type = static_cast<DataType>(flags & kTypeMask);
  if ((flags & kBoolTrue) && type != DataType::kBool) return Fail("bool flag on a non-bool value");
  switch (type) {
    case DataType::kFloat64:
      if (left() < 8) return Fail("truncated float64");
      *value = Value::Float64(std::bit_cast<double>(GetFixed64(p_)));
      p_ += 8;
      return Status::Ok();
    case DataType::kInt64:
      if (!Varint(&bits)) return Fail("truncated int64");
      *value = Value::Int64(UnZigZag(bits));
      return Status::Ok();
    case DataType::kBool:
      *value = Value::Bool((flags & kBoolTrue) != 0);
      return Status::Ok();
    case DataType::kString:
      if (!Varint(&bits) || bits >= string_count) return Fail("string index out of range");
      *value = Value::StringAt(static_cast<uint32_t>(bits));
      return Status::Ok();
  }
  return Fail("unknown value type");
}

}  // namespace

void EncodeBatch(const Batch& batch, std::string* out) {
  const size_t start = out->size();
  // One resize to the worst case, then raw stores: the hot loop has no capacity checks.
  out->resize(start + MaxEncodedSize(batch));
  char* p = out->data() + start;
  *p++ = static_cast<char>(kBatchFormatV1);
  p = PutVarint64(p, batch.points.size());
  p = PutVarint64(p, batch.strings.size());
  p = PutStrings(p, batch);
  p = PutPoints(p, batch);
  out->resize(static_cast<size_t>(p - out->data()));
}

Status DecodeBatch(std::string_view payload, Batch* out) { return Decoder(payload).Decode(out); }

}  // namespace zhizao::storage
