// Where each series' chunks lie in the chunk store, as far as a scan needs to know: the first_ts
// of its first and of its last chunk. A query over many series and time slices asks for ranges
// where most series hold nothing (a series that began an hour ago, read from a day ago); with
// this, such a scan is answered from memory instead of a RocksDB iterator and seek.
//
// Learnt per series by its first scan (two seeks), widened by every write, never narrowed: a
// delete leaves it as it was, so it is a bound, never an undercount. Learning races with writes
// by a generation: what a scan learnt is kept only if no write happened meanwhile.
//
// Thread-safe (one mutex, held for a lookup or an update, never across RocksDB calls).
#pragma once

#include <cstdint>
#include <mutex>
#include <optional>
#include <span>
#include <vector>

#include "common/batch.h"

namespace zhizao::storage {

struct StoredChunk;  // chunk_store.h

class ChunkExtents {
 public:
  // The first_ts of a series' first and last stored chunk.
  struct Extent {
    int64_t first = 0;
    int64_t last = 0;
  };

  // Whether `tag` may have a chunk with first_ts in [from, to]: nothing when not known yet, and
  // then `generation` is what Learn() must be given. Always true for ids beyond the cache.
  std::optional<bool> MayHold(TagId tag, int64_t from, int64_t to, uint64_t* generation) const;

  // Records what a scan found (nullopt: no chunk at all) unless a write happened since
  // `generation`. Returns whether it was recorded.
  bool Learn(TagId tag, std::optional<Extent> extent, uint64_t generation);

  // Widens the known extents by chunks just written.
  void Written(std::span<const StoredChunk> chunks);

 private:
  // Series ids from this on are not cached (always scanned), so that a stray id cannot grow
  // the table beyond 24 bytes × this = 48 MiB. The catalog hands out ids from 1 upwards.
  static constexpr TagId kMaxCachedTag = TagId{1} << 21;

  struct Entry {
    bool known = false;
    bool empty = false;
    Extent extent;
  };

  mutable std::mutex mu_;
  std::vector<Entry> entries_;  // by tag id; GUARDED_BY(mu_)
  uint64_t writes_ = 0;         // GUARDED_BY(mu_)
};

}  // namespace zhizao::storage
