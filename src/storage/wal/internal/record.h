// Record framing and segment names of the WAL. Byte layout: docs/formats/wal.md.
// Internal to storage/wal (and its tests and fuzzer). Thread-safe unless stated.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace zhizao::storage::wal_internal {

// crc32c (4) | payload length (4) | type (1), little-endian; the CRC covers length, type
// and payload.
inline constexpr size_t kHeaderBytes = 9;
// A record holds a whole payload: records never span segments. The other values of the type
// byte are reserved (0 never appears, so a zero-filled tail cannot parse as a record).
inline constexpr uint8_t kFullRecord = 1;
// Bounds what a corrupt length field can make a reader believe, and what Append accepts.
inline constexpr uint32_t kMaxPayloadBytes = 256u << 20;

// Fills `header` for a record carrying `payload`. REQUIRES: payload.size() <= kMaxPayloadBytes.
void EncodeHeader(std::string_view payload, char header[kHeaderBytes]);

// Why a segment's records ended.
enum class ScanEnd {
  kClean,        // the last record ended exactly at the end of the bytes
  kTruncated,    // a header or payload runs past the end: a torn write
  kZeroFilled,   // everything from here on is zero: pre-allocated or extended, never written
  kBadLength,    // the length field exceeds kMaxPayloadBytes
  kBadType,      // an unknown type byte
  kBadChecksum,  // the CRC does not match
};
std::string_view ScanEndName(ScanEnd end);

// Reads the records of one segment's bytes in order, stopping at the first damage.
// Not thread-safe. Borrows `segment`, which must outlive the reader and the payloads.
class RecordReader {
 public:
  explicit RecordReader(std::string_view segment) : data_(segment) {}

  // Sets *payload to the next intact record and returns true; returns false at the end or
  // at the first damaged record, after which end() says which.
  bool Next(std::string_view* payload);

  // Offset in the segment of the record Next() returned last.
  uint64_t record_offset() const { return record_offset_; }
  // Bytes of intact records read so far: where a damaged segment is cut.
  uint64_t valid_end() const { return pos_; }
  ScanEnd end() const { return end_; }

 private:
  bool Stop(ScanEnd end);
  bool RestIsZero() const;

  std::string_view data_;
  uint64_t pos_ = 0;
  uint64_t record_offset_ = 0;
  ScanEnd end_ = ScanEnd::kClean;
};

// "00000042.log": at least eight decimal digits, so names sort in order up to 10^8 segments.
std::string SegmentFileName(uint64_t segment);
// Returns false for any name that SegmentFileName does not produce.
bool ParseSegmentFileName(std::string_view name, uint64_t* segment);

}  // namespace zhizao::storage::wal_internal
