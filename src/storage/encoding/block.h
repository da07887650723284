// One block of a chunk: up to kMaxBlockSamples samples with their timestamps, statuses and
// values, each column in the cheapest of its encodings. Internal to storage/encoding;
// the byte layout is docs/formats/chunk.md, "Block".
//
// Blocks of a chunk form a chain: each is encoded against the state the previous one left
// (last timestamp and period, last values), so they are decoded in order. Not thread-safe.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "common/status.h"
#include "storage/encoding/bits.h"
#include "storage/encoding/float_codec.h"
#include "storage/encoding/int_codec.h"
#include "storage/encoding/series_samples.h"

namespace zhizao::storage::encoding {

// The most samples one block may hold; decoders reject more. The builder's default is 128.
inline constexpr size_t kMaxBlockSamples = 1024;

// What a block inherits from the previous one. A chunk starts with Start(first_ts).
struct BlockChainState {
  int64_t last_ts = 0;
  int64_t period = 0;  // the last timestamp delta; 0 before the first block
  IntHistory history;
  DecimalScale decimal;  // the last decimal scale, tried first by the next block
  bool first_block = true;  // the next block must start at last_ts exactly

  static BlockChainState Start(int64_t first_ts) { return {.last_ts = first_ts}; }
};

// Appends samples [begin, end) of `samples` as one block.
// REQUIRES: 1 <= end - begin <= kMaxBlockSamples; timestamps strictly increasing and,
// for a chain's later blocks, above state->last_ts; samples.type == type.
void EncodeBlock(DataType type, const SeriesSamples& samples, size_t begin, size_t end, BlockChainState* state,
                 std::string* out);

// Reads the next block of `in` and appends those of its samples with from <= ts <= to to
// *out (whose type must be `type`); *block_first_ts/*block_last_ts receive the block's
// range. Samples outside the range are decoded into scratch only (the chain needs the
// values) and never reach *out. Corruption on malformed bytes, naming the offset
// relative to `chunk_start`.
Status DecodeBlock(DataType type, const char* chunk_start, ByteReader* in, BlockChainState* state, int64_t from,
                   int64_t to, SeriesSamples* out, int64_t* block_first_ts, int64_t* block_last_ts);

}  // namespace zhizao::storage::encoding
