// Chunks: the compressed samples of one series over a time range, the unit the head
// builds and RocksDB stores (key: series id + chunk start time).
//
// A chunk is a header, a summary of its values (format 2), a chain of blocks of up to 128 samples (ChunkBuilderOptions) and a
// CRC-32C. Timestamps use a constant-period fast path (0 bits per sample while the period
// holds), float64 values are converted to exact decimal mantissas where they round-trip
// bit-exactly (Gorilla XOR otherwise), and integers are predicted and bit-packed or Rice
// coded. Byte layout and measurements: docs/formats/chunk.md.
//
// Usage: the head appends blocks as samples arrive, reads the unsealed blocks for queries
// on recent data, and seals the chunk with Finish():
//
//   ChunkBuilder b(DataType::kFloat64);
//   b.Append(samples, 0, samples.size());
//   ChunkIterator head = ChunkIterator::OverBlocks(b.type(), b.first_ts(), b.blocks());
//   std::string sealed = b.Finish();
//   SeriesSamples out;
//   Status s = DecodeChunkRange(sealed, from_ns, to_ns, &out);
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "common/batch.h"
#include "common/status.h"
#include "storage/encoding/block.h"
#include "storage/encoding/chunk_summary.h"
#include "storage/encoding/series_samples.h"

namespace zhizao::storage {

// The first byte of every chunk. Writers write kChunkFormatVersion; readers also read
// format 1 (no summary) and reject versions they do not know.
inline constexpr uint8_t kChunkFormatVersion = 2;
inline constexpr uint8_t kChunkFormatVersionWithoutSummary = 1;

struct ChunkBuilderOptions {
  // Samples per block: a block is the unit of compression and of skipping in range
  // reads. Larger blocks amortise the ~5 bytes of block overhead; smaller ones adapt
  // faster. Default: 128. REQUIRES: 1..encoding::kMaxBlockSamples.
  size_t block_samples = 128;
  // A sealed chunk of at least this many samples carries a summary (chunk_summary.h): ~60
  // bytes, which a smaller chunk would pay too dearly per point and gains little from, since
  // it decodes fast. Default: 1024.
  size_t min_summary_samples = 1024;
};

// Encodes the samples of one series into a chunk, block by block.
// Not thread-safe: owned by whoever owns the series' head.
class ChunkBuilder {
 public:
  explicit ChunkBuilder(DataType type, ChunkBuilderOptions options = {});

  // Encodes samples [begin, end) of `samples` as ceil((end - begin) / block_samples)
  // blocks; a caller that buffers block_samples samples per call gets full blocks.
  // REQUIRES: samples.type == type(); each column used by the type has at least `end`
  // entries; timestamps strictly increasing and above last_ts() once sample_count() > 0.
  void Append(const SeriesSamples& samples, size_t begin, size_t end);

  DataType type() const { return type_; }
  size_t sample_count() const { return count_; }
  // REQUIRES: sample_count() > 0.
  int64_t first_ts() const { return first_ts_; }
  int64_t last_ts() const { return last_ts_; }
  // Memory held by the encoded blocks.
  size_t size_bytes() const { return blocks_.capacity(); }

  // The blocks encoded so far, for reads of the unsealed chunk with
  // ChunkIterator::OverBlocks(type(), first_ts(), blocks()). Valid until the next call
  // of a non-const method.
  std::string_view blocks() const { return blocks_; }

  // Appends the encoded samples with from <= ts <= to to *out: a read of the unsealed
  // chunk. Corruption only if the builder's own bytes are damaged in memory.
  // REQUIRES: out->type is type() or out is empty.
  Status DecodeRange(int64_t from, int64_t to, SeriesSamples* out) const;

  // Returns the sealed chunk and resets the builder to empty (same type and options).
  // REQUIRES: sample_count() > 0.
  std::string Finish();

  // Finish() in format 1, without a summary: what older versions wrote, for the tests of
  // their reading.
  std::string FinishInFormat1ForTest();

 private:
  std::string Seal(uint8_t version);

  DataType type_;
  ChunkBuilderOptions options_;
  std::string blocks_;
  encoding::BlockChainState chain_;
  size_t count_ = 0;
  int64_t first_ts_ = 0;
  int64_t last_ts_ = 0;
  ChunkSummary summary_;  // of the samples appended since the last Finish (numeric types)
};

struct ChunkHeader {
  uint8_t format_version = kChunkFormatVersion;
  DataType type = DataType::kFloat64;
  uint32_t count = 0;
  int64_t first_ts = 0;
  int64_t last_ts = 0;
  size_t header_bytes = 0;  // where the first block starts
  // Format 2 chunks of numeric types carry a summary of their samples; format 1 chunks and
  // string chunks do not.
  bool has_summary = false;
  ChunkSummary summary;
};

// Verifies the checksum and parses the header and the summary without decoding blocks.
// Corruption on a bad checksum, a truncated or malformed header or summary, an unknown version.
Result<ChunkHeader> ReadChunkHeader(std::string_view chunk);

// Decodes blocks in order, one at a time, so that a read materialises only what it
// returns. Views the bytes it was opened on: they must outlive it. Not thread-safe.
class ChunkIterator {
 public:
  // Over a sealed chunk; verifies the checksum and the header.
  static Result<ChunkIterator> Open(std::string_view chunk);
  // Over the unsealed blocks of a ChunkBuilder (no header, no checksum).
  static ChunkIterator OverBlocks(DataType type, int64_t first_ts, std::string_view blocks);

  bool done() const { return in_.remaining() == 0; }
  DataType type() const { return header_.type; }
  // The sealed chunk's header; for OverBlocks, only type and first_ts are set.
  const ChunkHeader& header() const { return header_; }

  // Decodes the next block and appends its samples with from <= ts <= to to *out.
  // Sets *block_last_ts (if not null) to the block's last timestamp, so that a range read
  // can stop once it passes `to`. Corruption names the block's offset.
  // REQUIRES: !done(); out->type == type().
  Status Next(SeriesSamples* out, int64_t from = INT64_MIN, int64_t to = INT64_MAX, int64_t* block_last_ts = nullptr);

 private:
  ChunkIterator(const ChunkHeader& header, const char* base, std::string_view blocks);

  ChunkHeader header_;
  const char* base_;  // offsets in errors are relative to this
  encoding::ByteReader in_;
  encoding::BlockChainState chain_;
};

// Appends every sample of a sealed chunk to *out (verifying the checksum first, and that
// the blocks hold the header's count and range). Corruption says what is wrong.
// REQUIRES: out->type is the chunk's type or out is empty (then its type is set).
Status DecodeChunk(std::string_view chunk, SeriesSamples* out);

// Appends the samples with from <= ts <= to; stops at the first block past `to`.
Status DecodeChunkRange(std::string_view chunk, int64_t from, int64_t to, SeriesSamples* out);

}  // namespace zhizao::storage
