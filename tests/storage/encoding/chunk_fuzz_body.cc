#include "chunk_fuzz_body.h"

#include <string_view>

#include "common/check.h"
#include "storage/encoding/chunk.h"

namespace zhizao::storage {
namespace {

void CheckColumns(const SeriesSamples& s) {
  ZZ_CHECK(s.status.size() == s.size(), "status column length");
  size_t values = s.type == DataType::kFloat64 ? s.f64.size() : s.type == DataType::kString ? s.str.size() : s.i64.size();
  ZZ_CHECK(values == s.size(), "value column length");
  for (size_t i = 1; i < s.size(); ++i) ZZ_CHECK(s.ts_ns[i] > s.ts_ns[i - 1], "decoded timestamps increase");
}

void DecodeBlocks(DataType type, std::string_view bytes) {
  ChunkIterator it = ChunkIterator::OverBlocks(type, 0, bytes);
  SeriesSamples out;
  out.type = type;
  while (!it.done()) {
    if (!it.Next(&out).ok()) return;
  }
  CheckColumns(out);
}

// A parsed summary is consistent with its chunk, whatever the bytes were.
void CheckSummary(const ChunkSummary& s, uint32_t count, int64_t first_ts, int64_t last_ts) {
  ZZ_CHECK(s.samples == count, "summary counts the chunk's samples");
  ZZ_CHECK(uint64_t{s.uncertain} + s.bad <= count && uint64_t{s.count} + s.bad <= count, "summary counts fit");
  if (s.count == 0) return;
  ZZ_CHECK(first_ts <= s.first_ts && s.first_ts <= s.min_ts && s.first_ts <= s.max_ts, "summary times ordered");
  ZZ_CHECK(s.min_ts <= s.last_ts && s.max_ts <= s.last_ts && s.last_ts <= last_ts, "summary times in the chunk");
}

// The checksum keeps random bytes away from the summary decoder in a sealed chunk; here they
// reach it directly, against a chunk shape taken from the first bytes.
void DecodeSummaryDirectly(std::string_view bytes) {
  if (bytes.size() < 2) return;
  const auto count = static_cast<uint32_t>(static_cast<uint8_t>(bytes[0]) * 37 + 1);
  const int64_t span = static_cast<uint8_t>(bytes[1]) * int64_t{1000};
  ChunkSummary s;
  if (encoding::DecodeSummary(bytes.substr(2), count, -500, span - 500, &s).ok()) CheckSummary(s, count, -500, span - 500);
}

}  // namespace

void FuzzChunkDecode(const uint8_t* data, size_t size) {
  std::string_view bytes(reinterpret_cast<const char*>(data), size);
  Result<ChunkHeader> header = ReadChunkHeader(bytes);
  if (header.ok() && header->has_summary) CheckSummary(header->summary, header->count, header->first_ts, header->last_ts);
  DecodeSummaryDirectly(bytes);
  SeriesSamples all;
  if (DecodeChunk(bytes, &all).ok()) {
    CheckColumns(all);
    ZZ_CHECK(ReadChunkHeader(bytes)->count == all.size(), "count matches header");
  }
  SeriesSamples range;
  if (DecodeChunkRange(bytes, -1000, 1000, &range).ok()) CheckColumns(range);
  // Unsealed blocks have no checksum, so this is where random bytes reach the codecs.
  for (DataType type : {DataType::kFloat64, DataType::kInt64, DataType::kBool, DataType::kString}) {
    DecodeBlocks(type, bytes);
  }
}

}  // namespace zhizao::storage
