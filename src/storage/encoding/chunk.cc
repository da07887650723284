#include "storage/encoding/chunk.h"

#include <algorithm>

#include "common/check.h"
#include "common/crc32c.h"

namespace zhizao::storage {
namespace {

using encoding::ByteReader;

constexpr size_t kCrcBytes = 4;
// The smallest block: a length, a count and a flags byte.
constexpr size_t kMinBlockBytes = 3;

Status PrepareOutput(DataType type, SeriesSamples* out) {
  if (out->size() == 0) out->type = type;
  if (out->type != type) {
    return Status::InvalidArgument("cannot decode a " + std::string(DataTypeName(type)) + " chunk into " +
                                   std::string(DataTypeName(out->type)) + " samples");
  }
  return Status::Ok();
}

// Reserves for the header's count, bounded by what the bytes can hold. Grows at least
// geometrically, so that decoding many chunks into one output copies each sample O(1) times.
void Reserve(const ChunkHeader& h, size_t block_bytes, SeriesSamples* out) {
  size_t n = out->size() + std::min<size_t>(h.count, block_bytes / kMinBlockBytes * encoding::kMaxBlockSamples);
  if (n <= out->ts_ns.capacity()) return;
  n = std::max(n, out->ts_ns.capacity() * 2);
  out->ts_ns.reserve(n);
  out->status.reserve(n);
  if (h.type == DataType::kFloat64) out->f64.reserve(n);
  if (h.type == DataType::kInt64 || h.type == DataType::kBool) out->i64.reserve(n);
}

// The summary section of a format 2 chunk: its length, then the summary (none for strings).
Status ReadSummary(ByteReader& in, ChunkHeader& h) {
  uint64_t len = 0;
  std::string_view bytes;
  if (!in.GetVarint(&len) || len > in.remaining() || !in.GetBytes(len, &bytes)) {
    return Status::Corruption("truncated chunk summary");
  }
  if (len == 0) return Status::Ok();
  if (h.type == DataType::kString) return Status::Corruption("string chunk with a summary");
  h.has_summary = true;
  return encoding::DecodeSummary(bytes, h.count, h.first_ts, h.last_ts, &h.summary);
}

}  // namespace

ChunkBuilder::ChunkBuilder(DataType type, ChunkBuilderOptions options) : type_(type), options_(options) {
  ZZ_CHECK(options_.block_samples >= 1 && options_.block_samples <= encoding::kMaxBlockSamples,
           "block_samples out of range");
}

void ChunkBuilder::Append(const SeriesSamples& samples, size_t begin, size_t end) {
  if (begin >= end) return;
  if (count_ == 0) {
    first_ts_ = samples.ts_ns[begin];
    chain_ = encoding::BlockChainState::Start(first_ts_);
  }
  for (size_t b = begin; b < end; b += options_.block_samples) {
    size_t e = std::min(end, b + options_.block_samples);
    encoding::EncodeBlock(type_, samples, b, e, &chain_, &blocks_);
  }
  if (type_ != DataType::kString) summary_.Add(samples, begin, end);
  count_ += end - begin;
  last_ts_ = samples.ts_ns[end - 1];
}

std::string ChunkBuilder::Finish() { return Seal(kChunkFormatVersion); }

std::string ChunkBuilder::FinishInFormat1ForTest() { return Seal(kChunkFormatVersionWithoutSummary); }

std::string ChunkBuilder::Seal(uint8_t version) {
  ZZ_CHECK(count_ > 0 && count_ <= UINT32_MAX, "Finish needs 1..2^32-1 samples");
  std::string chunk;
  chunk.reserve(128 + blocks_.size());
  chunk.push_back(static_cast<char>(version));
  chunk.push_back(static_cast<char>(type_));
  encoding::PutVarint(&chunk, count_);
  encoding::PutFixed64(&chunk, static_cast<uint64_t>(first_ts_));
  encoding::PutVarint(&chunk, static_cast<uint64_t>(last_ts_) - static_cast<uint64_t>(first_ts_));
  if (version >= 2) {
    std::string summary;
    if (type_ != DataType::kString && count_ >= options_.min_summary_samples) {
      encoding::EncodeSummary(summary_, first_ts_, last_ts_, &summary);
    }
    encoding::PutVarint(&chunk, summary.size());
    chunk.append(summary);
  }
  chunk.append(blocks_);
  encoding::PutFixed32(&chunk, crc32c::Value(chunk));
  // Released, not kept: a head that was sealed may stay idle (see SeriesHead::SealInOrder).
  std::string().swap(blocks_);
  count_ = 0;
  summary_ = ChunkSummary();
  return chunk;
}

Status ChunkBuilder::DecodeRange(int64_t from, int64_t to, SeriesSamples* out) const {
  ZZ_RETURN_IF_ERROR(PrepareOutput(type_, out));
  ChunkIterator it = ChunkIterator::OverBlocks(type_, first_ts_, blocks_);
  int64_t last = INT64_MIN;
  while (!it.done() && last < to) ZZ_RETURN_IF_ERROR(it.Next(out, from, to, &last));
  return Status::Ok();
}

Result<ChunkHeader> ReadChunkHeader(std::string_view chunk) {
  if (chunk.size() < kCrcBytes) return Status::Corruption("chunk of " + std::to_string(chunk.size()) + " bytes is truncated");
  std::string_view body = chunk.substr(0, chunk.size() - kCrcBytes);
  uint32_t stored = 0;
  ByteReader crc(chunk.substr(body.size()));
  if (!crc.GetFixed32(&stored) || stored != crc32c::Value(body)) return Status::Corruption("chunk checksum mismatch");
  ByteReader in(body);
  ChunkHeader h;
  uint8_t type = 0;
  uint64_t count = 0, first = 0, span = 0;
  if (!in.GetByte(&h.format_version)) return Status::Corruption("empty chunk");
  if (h.format_version != kChunkFormatVersion && h.format_version != kChunkFormatVersionWithoutSummary) {
    return Status::Corruption("unknown chunk format version " + std::to_string(h.format_version));
  }
  if (!in.GetByte(&type) || type > static_cast<uint8_t>(DataType::kString) || !in.GetVarint(&count) || count == 0 ||
      count > UINT32_MAX || !in.GetFixed64(&first) || !in.GetVarint(&span)) {
    return Status::Corruption("malformed chunk header");
  }
  h.type = static_cast<DataType>(type);
  h.count = static_cast<uint32_t>(count);
  h.first_ts = static_cast<int64_t>(first);
  h.last_ts = static_cast<int64_t>(first + span);
  if (h.last_ts < h.first_ts || (count == 1) != (span == 0)) return Status::Corruption("chunk header range is inconsistent");
  if (h.format_version >= 2) ZZ_RETURN_IF_ERROR(ReadSummary(in, h));
  h.header_bytes = body.size() - in.remaining();
  return h;
}

ChunkIterator::ChunkIterator(const ChunkHeader& header, const char* base, std::string_view blocks)
    : header_(header), base_(base), in_(blocks), chain_(encoding::BlockChainState::Start(header.first_ts)) {}

Result<ChunkIterator> ChunkIterator::Open(std::string_view chunk) {
  ZZ_ASSIGN_OR_RETURN(ChunkHeader h, ReadChunkHeader(chunk));
  std::string_view blocks = chunk.substr(h.header_bytes, chunk.size() - kCrcBytes - h.header_bytes);
  return ChunkIterator(h, chunk.data(), blocks);
}

ChunkIterator ChunkIterator::OverBlocks(DataType type, int64_t first_ts, std::string_view blocks) {
  return ChunkIterator({.type = type, .first_ts = first_ts}, blocks.data(), blocks);
}

Status ChunkIterator::Next(SeriesSamples* out, int64_t from, int64_t to, int64_t* block_last_ts) {
  int64_t first = 0, last = 0;
  ZZ_RETURN_IF_ERROR(encoding::DecodeBlock(header_.type, base_, &in_, &chain_, from, to, out, &first, &last));
  if (block_last_ts != nullptr) *block_last_ts = last;
  return Status::Ok();
}

Status DecodeChunk(std::string_view chunk, SeriesSamples* out) {
  ZZ_ASSIGN_OR_RETURN(ChunkIterator it, ChunkIterator::Open(chunk));
  const ChunkHeader& h = it.header();
  ZZ_RETURN_IF_ERROR(PrepareOutput(h.type, out));
  Reserve(h, chunk.size() - h.header_bytes, out);
  const size_t before = out->size();
  int64_t last = h.first_ts;
  while (!it.done()) ZZ_RETURN_IF_ERROR(it.Next(out, INT64_MIN, INT64_MAX, &last));
  if (out->size() - before != h.count) return Status::Corruption("chunk blocks do not hold the header's count");
  if (last != h.last_ts) return Status::Corruption("chunk blocks end at another time than the header says");
  return Status::Ok();
}

Status DecodeChunkRange(std::string_view chunk, int64_t from, int64_t to, SeriesSamples* out) {
  ZZ_ASSIGN_OR_RETURN(ChunkIterator it, ChunkIterator::Open(chunk));
  ZZ_RETURN_IF_ERROR(PrepareOutput(it.type(), out));
  int64_t last = INT64_MIN;
  while (!it.done() && last < to) ZZ_RETURN_IF_ERROR(it.Next(out, from, to, &last));
  return Status::Ok();
}

}  // namespace zhizao::storage
