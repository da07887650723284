// The engine's state, shared by engine_*.cc. Internal to storage.
#pragma once

#include <algorithm>
#include <memory>
#include <mutex>
#include <vector>

#include "storage/engine.h"
#include "storage/internal/chunk_store.h"
#include "storage/internal/series_head.h"
#include "storage/wal/wal.h"

namespace zhizao::storage {

// The earliest first_ts of a chunk that may hold samples at `from`, for chunks spanning at most
// `span` ns (saturating at INT64_MIN).
inline int64_t ChunkLookBack(int64_t from, int64_t span) { return from < INT64_MIN + span ? INT64_MIN : from - span; }

struct Engine::State {
  EngineOptions options;
  const Clock* clock = nullptr;
  HeadLimits limits;
  std::unique_ptr<ChunkStore> store;
  std::unique_ptr<Wal> wal;

  // Guards the heads, the sealed chunks not yet written, the sequence and the sticky error.
  // Held across the WAL append so that the WAL's order is the heads' order.
  mutable std::mutex mu;
  std::vector<std::unique_ptr<SeriesHead>> heads;  // by TagId; GUARDED_BY(mu)
  std::vector<StoredChunk> pending;                // sealed, not yet in RocksDB; GUARDED_BY(mu)
  size_t pending_bytes = 0;                        // GUARDED_BY(mu)
  uint64_t seq = 0;                                // the last write sequence; GUARDED_BY(mu)
  Status failed;                                   // sticky write failure; GUARDED_BY(mu)
  // After a checkpoint found the disk full, appends retry it no sooner than this (clock ns).
  int64_t checkpoint_retry_ns = 0;                 // GUARDED_BY(mu)
  bool closed = false;                             // GUARDED_BY(mu)
  size_t series = 0;                               // heads in use; GUARDED_BY(mu)
  // Memory held by heads: recomputed at a checkpoint, kept up to date by appends in between
  // (each run of one series' points adds its head's growth). GUARDED_BY(mu)
  int64_t head_bytes = 0;

  Counter* points_appended = nullptr;
  Counter* chunks_written = nullptr;
  Counter* bytes_written = nullptr;
  Counter* chunks_merged = nullptr;
  Gauge* series_gauge = nullptr;
  Gauge* head_bytes_gauge = nullptr;
  Histogram* append_seconds = nullptr;
  Histogram* flush_seconds = nullptr;

  size_t HeadBytesLocked() const {
    size_t bytes = 0;
    for (const auto& head : heads) {
      if (head) bytes += head->memory_bytes();
    }
    return bytes;
  }

  SeriesHead* FindHeadLocked(TagId tag) const {
    return tag < heads.size() ? heads[tag].get() : nullptr;
  }

  // REQUIRES: tag has no head; tag <= kMaxTagId.
  SeriesHead& AddHeadLocked(TagId tag, DataType type) {
    if (tag >= heads.size()) heads.resize(std::max(size_t{tag} + 1, heads.size() * 2));
    heads[tag] = std::make_unique<SeriesHead>(tag, type, limits);
    ++series;
    series_gauge->Set(static_cast<double>(series));
    head_bytes += static_cast<int64_t>(heads[tag]->memory_bytes());
    return *heads[tag];
  }
};

// While the chunk store cannot be written (a full disk), sealed chunks wait in memory up to this
// much; beyond it appends are refused as retryable (ResourceExhausted) rather than let memory grow.
inline constexpr size_t kMaxPendingBytes = 256 << 20;
// How long appends wait before retrying a checkpoint that found the disk full.
inline constexpr int64_t kCheckpointRetryNs = 1'000'000'000;
// Heads are a vector indexed by tag id: ids beyond this are refused rather than let one
// point allocate gigabytes. The catalog hands out ids from 1 upwards.
inline constexpr TagId kMaxTagId = TagId{1} << 26;

}  // namespace zhizao::storage
