#include "storage/internal/chunk_store.h"

#include <rocksdb/cache.h>
#include <rocksdb/db.h>
#include <rocksdb/table.h>
#include <rocksdb/write_batch.h>

#include <cstring>

#include "storage/encoding/chunk.h"
#include "storage/encoding/rollup.h"

namespace zhizao::storage {
namespace {

constexpr char kChunkPrefix = 'c';
constexpr char kRollupPrefix = 'r';
constexpr size_t kRollupBudgetShare = 4;  // a rollup may cost up to 1/4 of its chunk's bytes
constexpr char kMetaPrefix = 'm';
constexpr size_t kChunkKeySize = 1 + 4 + 8 + 8;

void PutBigEndian(std::string& out, uint64_t v, int bytes) {
  for (int i = bytes - 1; i >= 0; --i) out += static_cast<char>((v >> (8 * i)) & 0xff);
}

uint64_t GetBigEndian(const char* p, int bytes) {
  uint64_t v = 0;
  for (int i = 0; i < bytes; ++i) v = (v << 8) | static_cast<unsigned char>(p[i]);
  return v;
}

uint64_t OrderedTs(int64_t ts) { return static_cast<uint64_t>(ts) ^ (uint64_t{1} << 63); }
int64_t TsFromOrdered(uint64_t v) { return static_cast<int64_t>(v ^ (uint64_t{1} << 63)); }

std::string ChunkKey(TagId tag, int64_t first_ts, uint64_t seq, char prefix = kChunkPrefix) {
  std::string key;
  key.reserve(kChunkKeySize);
  key += prefix;
  PutBigEndian(key, tag, 4);
  PutBigEndian(key, OrderedTs(first_ts), 8);
  PutBigEndian(key, seq, 8);
  return key;
}

// The rollup record of a chunk, or nothing (a string chunk, too sparse a chunk, a record over a
// quarter of the chunk's bytes: the disk budget, which costs +0.034 B/point on the simulator's
// plant and leaves 8.5 % of its points without rollups, docs/formats/rollup.md). A chunk that
// does not decode gets none: reads report it when they decode it.
std::optional<std::string> RollupOf(const StoredChunk& c) {
  Result<ChunkHeader> header = ReadChunkHeader(c.bytes);
  if (!header.ok() || header->type == DataType::kString) return std::nullopt;
  SeriesSamples samples;
  if (!DecodeChunk(c.bytes, &samples).ok()) return std::nullopt;
  std::string record;
  if (!encoding::EncodeRollup(samples, c.bytes.size() / kRollupBudgetShare, &record)) return std::nullopt;
  return record;
}

Status FromRocks(const rocksdb::Status& s, const std::string& what) {
  if (s.ok()) return Status::Ok();
  if (s.IsCorruption()) return Status::Corruption(what + ": " + s.ToString());
  // Retryable: RocksDB stops writing on a full disk and resumes once space returns (Write).
  if (s.IsNoSpace()) return Status::ResourceExhausted(what + ": " + s.ToString());
  return Status::IOError(what + ": " + s.ToString());
}

rocksdb::Options StoreOptions() {
  rocksdb::Options options;
  options.create_if_missing = true;
  // Chunks are compressed already; zstd on the bottom level still finds a little in keys and
  // chunk headers, and costs nothing on the write path.
  options.compression = rocksdb::kNoCompression;
  options.bottommost_compression = rocksdb::kZSTD;
  options.level_compaction_dynamic_level_bytes = true;
  options.max_background_jobs = 2;
  // Chunks are written once, at checkpoints, already compressed and already in our WAL: a
  // memtable only batches them into files. 8 MiB instead of 32 took 18 MB off the base
  // benchmark's peak RSS at no ingest cost measured (docs/benchmarks.md, "Memory").
  options.write_buffer_size = 8 << 20;
  // Room for a checkpoint's burst while earlier memtables flush: writes stall (on the appending
  // thread, which holds the engine's lock) only when all of them wait for the disk.
  options.max_write_buffer_number = 4;
  options.max_open_files = 512;
  // RocksDB preallocates 4 MiB for a MANIFEST that holds a few hundred bytes per flush: that
  // was 0.09 of the base benchmark's 0.999 bytes per point on disk (allocated blocks).
  options.manifest_preallocation_size = 64 << 10;
  options.max_manifest_file_size = 16 << 20;
  // One LOG per open is kept as LOG.old.*: bounded instead of RocksDB's 1,000 files.
  options.keep_log_file_num = 4;
  options.max_log_file_size = 4 << 20;
  rocksdb::BlockBasedTableOptions table;
  table.block_size = 32 << 10;
  table.cache_index_and_filter_blocks = true;
  // 64 MiB instead of RocksDB 7's 8 MiB default: a read's seek lands on a 32 KiB block, which
  // a miss copies from the page cache and checksums (docs/benchmarks.md, HTTP query path).
  table.block_cache = rocksdb::NewLRUCache(size_t{64} << 20);
  options.table_factory.reset(rocksdb::NewBlockBasedTableFactory(table));
  return options;
}

}  // namespace

ChunkStore::ChunkStore(std::unique_ptr<rocksdb::DB> db, std::string dir) : db_(std::move(db)), dir_(std::move(dir)) {}

ChunkStore::~ChunkStore() = default;

Result<std::unique_ptr<ChunkStore>> ChunkStore::Open(const std::string& dir) {
  rocksdb::DB* raw = nullptr;
  rocksdb::Status s = rocksdb::DB::Open(StoreOptions(), dir, &raw);
  ZZ_RETURN_IF_ERROR(FromRocks(s, "cannot open chunk store " + dir));
  return std::unique_ptr<ChunkStore>(new ChunkStore(std::unique_ptr<rocksdb::DB>(raw), dir));
}

Status ChunkStore::Write(std::span<const StoredChunk> chunks,
                         std::span<const std::pair<std::string, std::string>> meta,
                         std::span<const ChunkId> deleted) {
  rocksdb::WriteBatch batch;
  for (const ChunkId& c : deleted) {
    for (char prefix : {kChunkPrefix, kRollupPrefix}) {
      ZZ_RETURN_IF_ERROR(
          FromRocks(batch.Delete(ChunkKey(c.tag, c.first_ts, c.seq, prefix)), "cannot batch deletes"));
    }
  }
  for (const StoredChunk& c : chunks) {
    rocksdb::Status s = batch.Put(ChunkKey(c.tag, c.first_ts, c.seq), c.bytes);
    ZZ_RETURN_IF_ERROR(FromRocks(s, "cannot batch chunks"));
    // Deleted when there is none: a chunk rewritten under its key must not keep an old rollup.
    const std::string rollup_key = ChunkKey(c.tag, c.first_ts, c.seq, kRollupPrefix);
    std::optional<std::string> rollup = RollupOf(c);
    s = rollup ? batch.Put(rollup_key, *rollup) : batch.Delete(rollup_key);
    ZZ_RETURN_IF_ERROR(FromRocks(s, "cannot batch rollups"));
  }
  for (const auto& [name, value] : meta) {
    ZZ_RETURN_IF_ERROR(FromRocks(batch.Put(std::string(1, kMetaPrefix) + name, value), "cannot batch meta"));
  }
  rocksdb::WriteOptions options;
  options.sync = true;
  rocksdb::Status written = db_->Write(options, &batch);
  if (written.IsNoSpace()) {
    // After a full disk RocksDB refuses writes until resumed; space may be back already.
    if (db_->Resume().ok()) written = db_->Write(options, &batch);
  }
  ZZ_RETURN_IF_ERROR(FromRocks(written, "cannot write chunks to " + dir_));
  extents_.Written(chunks);
  return Status::Ok();
}

Result<bool> ChunkStore::MayHold(TagId tag, int64_t from, int64_t to) const {
  uint64_t generation = 0;
  if (std::optional<bool> known = extents_.MayHold(tag, from, to, &generation)) return *known;
  std::unique_ptr<rocksdb::Iterator> it(db_->NewIterator(rocksdb::ReadOptions()));
  auto first_ts_here = [&]() -> std::optional<int64_t> {
    if (!it->Valid() || it->key().size() != kChunkKeySize || it->key()[0] != kChunkPrefix ||
        GetBigEndian(it->key().data() + 1, 4) != tag) {
      return std::nullopt;
    }
    return TsFromOrdered(GetBigEndian(it->key().data() + 5, 8));
  };
  std::optional<ChunkExtents::Extent> extent;
  it->Seek(ChunkKey(tag, INT64_MIN, 0));
  if (std::optional<int64_t> first = first_ts_here()) {
    it->SeekForPrev(ChunkKey(tag, INT64_MAX, UINT64_MAX));
    extent = ChunkExtents::Extent{*first, first_ts_here().value_or(*first)};
  }
  ZZ_RETURN_IF_ERROR(FromRocks(it->status(), "cannot read chunks of tag " + std::to_string(tag)));
  // Learnt while a write went on: scan, since what the seeks saw may be older than the write.
  if (!extents_.Learn(tag, extent, generation)) return true;
  return extent && extent->first <= to && extent->last >= from;
}

Status ChunkStore::Scan(TagId tag, int64_t from_first_ts, int64_t to_first_ts, const Visitor& visit) const {
  return ScanPrefix(kChunkPrefix, tag, from_first_ts, to_first_ts, visit);
}

Status ChunkStore::ScanRollups(TagId tag, int64_t from_first_ts, int64_t to_first_ts, const Visitor& visit) const {
  return ScanPrefix(kRollupPrefix, tag, from_first_ts, to_first_ts, visit);
}

Status ChunkStore::ScanPrefix(char prefix, TagId tag, int64_t from_first_ts, int64_t to_first_ts,
                              const Visitor& visit) const {
  if (from_first_ts > to_first_ts) return Status::Ok();
  ZZ_ASSIGN_OR_RETURN(bool may_hold, MayHold(tag, from_first_ts, to_first_ts));
  if (!may_hold) return Status::Ok();
  std::string start = ChunkKey(tag, from_first_ts, 0, prefix);
  std::string end = ChunkKey(tag, to_first_ts, UINT64_MAX, prefix);
  rocksdb::ReadOptions options;
  std::string upper_exclusive = end + '\0';
  rocksdb::Slice upper_bound(upper_exclusive);
  options.iterate_upper_bound = &upper_bound;
  std::unique_ptr<rocksdb::Iterator> it(db_->NewIterator(options));
  for (it->Seek(start); it->Valid(); it->Next()) {
    rocksdb::Slice key = it->key();
    if (key.size() != kChunkKeySize) continue;
    int64_t first_ts = TsFromOrdered(GetBigEndian(key.data() + 5, 8));
    uint64_t seq = GetBigEndian(key.data() + 13, 8);
    if (!visit(first_ts, seq, std::string_view(it->value().data(), it->value().size()))) break;
  }
  return FromRocks(it->status(), "cannot read chunks of tag " + std::to_string(tag));
}

Result<std::optional<StoredChunk>> ChunkStore::Last(TagId tag) const {
  std::unique_ptr<rocksdb::Iterator> it(db_->NewIterator(rocksdb::ReadOptions()));
  it->SeekForPrev(ChunkKey(tag, INT64_MAX, UINT64_MAX));
  ZZ_RETURN_IF_ERROR(FromRocks(it->status(), "cannot read chunks of tag " + std::to_string(tag)));
  if (!it->Valid() || it->key().size() != kChunkKeySize || it->key()[0] != kChunkPrefix ||
      GetBigEndian(it->key().data() + 1, 4) != tag) {
    return std::optional<StoredChunk>();
  }
  StoredChunk chunk{tag, TsFromOrdered(GetBigEndian(it->key().data() + 5, 8)),
                    GetBigEndian(it->key().data() + 13, 8), it->value().ToString()};
  return std::optional<StoredChunk>(std::move(chunk));
}

Result<std::optional<std::string>> ChunkStore::GetMeta(std::string_view name) const {
  std::string value;
  rocksdb::Status s = db_->Get(rocksdb::ReadOptions(), std::string(1, kMetaPrefix) + std::string(name), &value);
  if (s.IsNotFound()) return std::optional<std::string>();
  ZZ_RETURN_IF_ERROR(FromRocks(s, "cannot read meta " + std::string(name)));
  return std::optional<std::string>(std::move(value));
}

Status ChunkStore::DeleteBefore(TagId tag, int64_t first_ts_before) {
  // Most calls find nothing to delete: look before writing a range tombstone.
  bool any = false;
  ZZ_RETURN_IF_ERROR(Scan(tag, INT64_MIN, first_ts_before == INT64_MIN ? INT64_MIN : first_ts_before - 1,
                          [&](int64_t, uint64_t, std::string_view) {
                            any = true;
                            return false;
                          }));
  if (!any) return Status::Ok();
  rocksdb::WriteBatch batch;
  for (char prefix : {kChunkPrefix, kRollupPrefix}) {
    ZZ_RETURN_IF_ERROR(FromRocks(batch.DeleteRange(ChunkKey(tag, INT64_MIN, 0, prefix),
                                                   ChunkKey(tag, first_ts_before, 0, prefix)),
                                 "cannot batch deletes"));
  }
  // Not synced: a delete lost in a crash is simply done again at the next checkpoint.
  return FromRocks(db_->Write(rocksdb::WriteOptions(), &batch), "cannot delete old chunks of tag " + std::to_string(tag));
}

Status ChunkStore::PutRollupForTest(const ChunkId& chunk, std::string_view bytes) {
  return FromRocks(db_->Put(rocksdb::WriteOptions(), ChunkKey(chunk.tag, chunk.first_ts, chunk.seq, kRollupPrefix),
                            rocksdb::Slice(bytes.data(), bytes.size())),
                   "cannot write a rollup");
}

Status ChunkStore::CompactAll() {
  rocksdb::CompactRangeOptions options;
  // By default a lone file is moved down a level as it is, keeping the tombstones of rollups
  // that never existed (a short chunk has none: Write deletes its key in case) and skipping
  // the bottom level's zstd: 29.4 instead of 22.6 MB for the wide benchmark's chunks.
  options.bottommost_level_compaction = rocksdb::BottommostLevelCompaction::kForceOptimized;
  // Background compactions go on meanwhile: appends must not stall behind a long rewrite.
  options.exclusive_manual_compaction = false;
  return FromRocks(db_->CompactRange(options, nullptr, nullptr),
                   "cannot compact chunk store " + dir_);
}

}  // namespace zhizao::storage
