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

}  // namespace

void FuzzChunkDecode(const uint8_t* data, size_t size) {
  std::string_view bytes(reinterpret_cast<const char*>(data), size);
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
