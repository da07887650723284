// The in-memory head of one series: what it holds since its last sealed chunk.
//
// In-order samples (newer than any before) are buffered raw for one block, then encoded into
// the open chunk; the chunk is sealed at EngineOptions::chunk_max_samples or chunk_max_span_ns.
// The raw buffer keeps a few samples more than a block, so that a sample slightly late still
// joins the open chunk in order. Older samples and other rewrites of a timestamp go to an
// out-of-order buffer, last write winning.
//
// Every chunk carries the write sequence at which it was started. The rules below keep one
// invariant: when two chunks of a series hold the same timestamp, the one with the higher
// sequence holds the later write, so reads resolve duplicates by sequence alone.
//   - in-order chunks follow one another, so each one's writes precede the next one's;
//   - an out-of-order sample joins the open out-of-order buffer only if that buffer was started
//     after the latest in-order chunk (open or sealed); otherwise the buffer is sealed and a new
//     one started;
//   - a late sample joins the open in-order chunk only if it is newer than every out-of-order
//     sample taken since that chunk started (no chunk with a higher sequence holds its time).
//
// Not thread-safe: the engine guards heads with its head lock.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "common/batch.h"
#include "storage/encoding/chunk.h"
#include "storage/internal/chunk_store.h"
#include "storage/internal/raw_tail.h"

namespace zhizao::storage {

struct HeadLimits {
  uint32_t chunk_max_samples = 8192;
  int64_t chunk_max_span_ns = 0;
  uint32_t chunk_summary_min_samples = 1024;
};

class SeriesHead {
 public:
  // `limits` gives the chunk builder's options; the limits passed to Append and SealAll decide
  // when to seal.
  SeriesHead(TagId tag, DataType type, const HeadLimits& limits = {});

  DataType type() const { return type_; }

  // Adds one sample written at sequence `seq`; appends any chunk this seals to `sealed`.
  // Returns how much memory_bytes() changed: 0 for the common append, which takes no
  // allocation, so that the engine follows the heads' memory without measuring every head.
  // REQUIRES: value.type() == type(); `str` holds the text of a string value.
  int64_t Append(int64_t ts, const Value& value, std::string_view str, uint32_t status, uint64_t seq,
              const HeadLimits& limits, std::vector<StoredChunk>& sealed);

  // Seals the open chunk and the out-of-order buffer, if they hold anything; no chunk spans
  // more than limits.chunk_max_span_ns.
  void SealAll(const HeadLimits& limits, std::vector<StoredChunk>& sealed);

  // Appends what the head holds with from <= ts <= to to `out`, one entry per source with its
  // sequence, for the engine's merge.
  void Collect(int64_t from, int64_t to, std::vector<std::pair<uint64_t, SeriesSamples>>& out) const;

  // The newest sample, if any arrived since the head was created.
  bool has_last() const { return has_last_; }
  int64_t last_ts() const { return last_ts_; }
  uint32_t last_status() const { return last_status_; }
  const Value& last_value() const { return last_value_; }
  const std::string& last_str() const { return last_str_; }

  // Whether the newest sample in the chunk store was compared with the head's (see
  // Engine::Last): after a restart the head knows only what arrived since.
  bool stored_last_checked() const { return stored_last_checked_; }
  // Takes the chunk store's newest sample as the last one if it is newer than the head's.
  void OfferStoredLast(int64_t ts, const Value& value, std::string_view str, uint32_t status);
  void MarkStoredLastChecked() { stored_last_checked_ = true; }

  size_t memory_bytes() const;

 private:
  struct OooSample {
    uint32_t status;
    Value value;
    std::string str;
  };

  bool TryAppendToTail(int64_t ts, const Value& value, uint32_t status, const HeadLimits& limits);
  void AppendInOrder(int64_t ts, const Value& value, std::string_view str, uint32_t status, uint64_t seq,
                     const HeadLimits& limits, std::vector<StoredChunk>& sealed);
  void AppendOutOfOrder(int64_t ts, const Value& value, std::string_view str, uint32_t status, uint64_t seq,
                        const HeadLimits& limits, std::vector<StoredChunk>& sealed);
  bool CanReorder(int64_t ts, const HeadLimits& limits) const;
  void InsertLate(int64_t ts, const Value& value, std::string_view str, uint32_t status);
  // Encodes the first n raw samples into the open chunk.
  void EncodeBlock(size_t n);
  void SealInOrder(std::vector<StoredChunk>& sealed);
  void SealOutOfOrder(std::vector<StoredChunk>& sealed, const HeadLimits& limits);
  static void PushSample(SeriesSamples& s, int64_t ts, const Value& value, std::string_view str, uint32_t status);

  // The newest sample, kept for Last() without decoding.
  void SetLast(int64_t ts, const Value& value, std::string_view str, uint32_t status);

  // What the common append reads and writes comes first, with the tail, so that it touches
  // few cache lines of a head among many.
  TagId tag_;
  DataType type_;
  bool chunk_started_ = false;
  bool has_last_ = false;
  bool stored_last_checked_ = false;
  uint32_t last_status_ = 0;
  int64_t last_ts_ = INT64_MIN;
  int64_t chunk_first_ts_ = 0;
  Value last_value_;
  // The open in-order chunk: a raw tail after the encoded blocks, in time order.
  RawTail tail_;
  ChunkBuilder builder_;
  uint64_t chunk_seq_ = 0;  // of the latest in-order chunk, open or sealed
  int64_t ooo_max_ts_since_chunk_ = INT64_MIN;  // of out-of-order samples since the open chunk began
  // The open out-of-order buffer.
  std::map<int64_t, OooSample> ooo_;
  uint64_t ooo_seq_ = 0;
  std::string last_str_;
};

}  // namespace zhizao::storage
