#include "storage/wal/internal/record.h"

#include <algorithm>
#include <charconv>
#include <cstdio>

#include "common/crc32c.h"
#include "storage/wal/internal/varint.h"

namespace zhizao::storage::wal_internal {
namespace {

uint32_t RecordCrc(const char* length_and_type, std::string_view payload) {
  uint32_t crc = crc32c::Value(length_and_type, kHeaderBytes - 4);
  return crc32c::Extend(crc, payload.data(), payload.size());
}

}  // namespace

void EncodeHeader(std::string_view payload, char header[kHeaderBytes]) {
  PutFixed32(header + 4, static_cast<uint32_t>(payload.size()));
  header[8] = static_cast<char>(kFullRecord);
  PutFixed32(header, RecordCrc(header + 4, payload));
}

std::string_view ScanEndName(ScanEnd end) {
  switch (end) {
    case ScanEnd::kClean: return "clean end";
    case ScanEnd::kTruncated: return "truncated record";
    case ScanEnd::kZeroFilled: return "zero-filled tail";
    case ScanEnd::kBadLength: return "bad record length";
    case ScanEnd::kBadType: return "bad record type";
    case ScanEnd::kBadChecksum: return "bad record checksum";
  }
  return "unknown";
}

bool RecordReader::Next(std::string_view* payload) {
  const uint64_t left = data_.size() - pos_;
  if (left == 0) return Stop(ScanEnd::kClean);
  if (RestIsZero()) return Stop(ScanEnd::kZeroFilled);
  if (left < kHeaderBytes) return Stop(ScanEnd::kTruncated);
  const char* header = data_.data() + pos_;
  const uint32_t length = GetFixed32(header + 4);
  if (static_cast<uint8_t>(header[8]) != kFullRecord) return Stop(ScanEnd::kBadType);
  if (length > kMaxPayloadBytes) return Stop(ScanEnd::kBadLength);
  if (length > left - kHeaderBytes) return Stop(ScanEnd::kTruncated);
  std::string_view body = data_.substr(pos_ + kHeaderBytes, length);
  if (GetFixed32(header) != RecordCrc(header + 4, body)) return Stop(ScanEnd::kBadChecksum);
  record_offset_ = pos_;
  pos_ += kHeaderBytes + length;
  *payload = body;
  return true;
}

bool RecordReader::Stop(ScanEnd end) {
  end_ = end;
  return false;
}

bool RecordReader::RestIsZero() const {
  return std::all_of(data_.begin() + static_cast<std::ptrdiff_t>(pos_), data_.end(),
                     [](char c) { return c == 0; });
}

std::string SegmentFileName(uint64_t segment) {
  char name[32];
  std::snprintf(name, sizeof(name), "%08llu.log", static_cast<unsigned long long>(segment));
  return name;
}

bool ParseSegmentFileName(std::string_view name, uint64_t* segment) {
  constexpr std::string_view kSuffix = ".log";
  if (name.size() < 8 + kSuffix.size() || !name.ends_with(kSuffix)) return false;
  std::string_view digits = name.substr(0, name.size() - kSuffix.size());
  if (!std::all_of(digits.begin(), digits.end(), [](char c) { return c >= '0' && c <= '9'; })) return false;
  auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), *segment);
  return ec == std::errc() && end == digits.data() + digits.size() && SegmentFileName(*segment) == name;
}

}  // namespace zhizao::storage::wal_internal
