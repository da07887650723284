// Sealed chunks in RocksDB: the durable, compacted part of the historian.
//
// Key layout (docs/formats/chunk_store.md): 'c' | be32 tag | be64 (first_ts with the sign bit
// flipped, so negative times sort first) | be64 seq. A chunk's seq is the write sequence at
// which its first sample arrived; when chunks overlap, the higher seq holds the later write.
// Beside each numeric chunk, under the same key with prefix 'r', its rollup record
// (encoding/rollup.h, docs/formats/rollup.md), written in the same batch; every delete of a
// chunk deletes its rollup too. Meta keys: 'm' | name.
//
// Thread-safe (RocksDB is).
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "common/batch.h"
#include "common/status.h"
#include "storage/internal/chunk_extents.h"

namespace rocksdb {
class DB;
struct Options;
}  // namespace rocksdb

namespace zhizao::storage {

struct StoredChunk {
  TagId tag = 0;
  int64_t first_ts = 0;
  uint64_t seq = 0;
  std::string bytes;  // an encoded chunk (encoding/chunk.h)
  // Sealed from a head's out-of-order buffer, or merged from overlapping chunks but not yet
  // written: it may overlap stored chunks (overlap_merge.h). Not stored.
  bool may_overlap = false;
};

// A chunk's key in the store.
struct ChunkId {
  TagId tag = 0;
  int64_t first_ts = 0;
  uint64_t seq = 0;
};

struct ChunkStoreOptions {
  // A write of at least this many bytes of chunks goes to RocksDB as one table file, built on
  // disk and ingested atomically, instead of as a batch through RocksDB's log and memtable:
  // those hold a copy each, and a checkpoint of 100,000 series held 75 MB at once. Smaller
  // writes stay batches, which cost no file each. Default: 1 MiB.
  size_t table_file_min_bytes = size_t{1} << 20;
};

class ChunkStore {
 public:
  // Opens or creates the database in `dir`, removing what a crash left of a table file being
  // built. IOError "cannot open chunk store DIR: cause".
  static Result<std::unique_ptr<ChunkStore>> Open(const std::string& dir, const ChunkStoreOptions& options = {});
  ~ChunkStore();

  // Deletes the chunks `deleted` with their rollups, then writes `chunks` with their rollups
  // (computed here from the chunk's samples; none for a string chunk, one encoding::EncodeRollup
  // declines, or one that does not decode) and any meta entries, atomically and synced: all of
  // it is stored or none. A chunk both deleted and written is written; of two chunks with one
  // key, the later in `chunks` is. ResourceExhausted when the disk is full (nothing written).
  Status Write(std::span<const StoredChunk> chunks,
               std::span<const std::pair<std::string, std::string>> meta = {},
               std::span<const ChunkId> deleted = {});

  // Visits, in key order, every chunk of `tag` whose first_ts is in [from_first_ts, to_first_ts].
  // `visit` returns false to stop early. A range where the series is known to hold no chunk
  // costs no RocksDB call (chunk_extents.h).
  using Visitor = std::function<bool(int64_t first_ts, uint64_t seq, std::string_view bytes)>;
  Status Scan(TagId tag, int64_t from_first_ts, int64_t to_first_ts, const Visitor& visit) const;

  // Visits, in key order, the rollup record of every chunk of `tag` whose first_ts is in
  // [from_first_ts, to_first_ts] and that has one.
  Status ScanRollups(TagId tag, int64_t from_first_ts, int64_t to_first_ts, const Visitor& visit) const;

  // The last chunk of `tag` (highest first_ts, then seq), if any.
  Result<std::optional<StoredChunk>> Last(TagId tag) const;

  Result<std::optional<std::string>> GetMeta(std::string_view name) const;

  // Deletes every chunk of `tag` whose first_ts is below `first_ts_before`, and their rollups
  // (a range tombstone each; the space returns at compaction).
  Status DeleteBefore(TagId tag, int64_t first_ts_before);

  // Overwrites the rollup record of a chunk, so that tests can damage one.
  Status PutRollupForTest(const ChunkId& chunk, std::string_view bytes);

  // Compacts everything, so that disk size can be measured after deletes and overwrites.
  Status CompactAll();

 private:
  ChunkStore(std::unique_ptr<rocksdb::DB> db, std::unique_ptr<rocksdb::Options> db_options, std::string dir,
             const ChunkStoreOptions& options);
  Status WriteBatch(std::span<const StoredChunk> chunks, std::span<const std::pair<std::string, std::string>> meta,
                    std::span<const ChunkId> deleted);
  Status WriteTableFile(std::span<const StoredChunk> chunks,
                        std::span<const std::pair<std::string, std::string>> meta, std::span<const ChunkId> deleted);
  Status ScanPrefix(char prefix, TagId tag, int64_t from_first_ts, int64_t to_first_ts, const Visitor& visit) const;
  // Whether `tag` may hold a chunk with first_ts in [from, to]; learns the series' extent
  // if it is not known yet. Rollups share their chunks' keys, so the answer holds for them too.
  Result<bool> MayHold(TagId tag, int64_t from, int64_t to) const;

  std::unique_ptr<rocksdb::DB> db_;
  std::unique_ptr<rocksdb::Options> db_options_;  // what the table files are built with
  std::string dir_;
  ChunkStoreOptions options_;
  mutable ChunkExtents extents_;
};

}  // namespace zhizao::storage
