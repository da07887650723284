#include "storage/internal/chunk_store.h"

#include <rocksdb/cache.h>
#include <rocksdb/db.h>
#include <rocksdb/sst_file_writer.h>
#include <rocksdb/table.h>
#include <rocksdb/write_batch.h>

#include <algorithm>
#include <cstring>
#include <filesystem>
#include <tuple>

#include "storage/encoding/chunk.h"
#include "storage/encoding/rollup.h"

namespace zhizao::storage {
namespace {

constexpr char kChunkPrefix = 'c';
constexpr char kRollupPrefix = 'r';
constexpr size_t kRollupBudgetShare = 4;  // a rollup may cost up to 1/4 of its chunk's bytes
constexpr char kMetaPrefix = 'm';
constexpr size_t kChunkKeySize = 1 + 4 + 8 + 8;
// Where a table file is built before RocksDB takes it in (a directory RocksDB does not read).
constexpr std::string_view kTableFileDir = "/being-ingested";

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

// One key of a write: a chunk to put, or (chunk == nullptr) a deleted chunk.
struct KeyedChunk {
  TagId tag = 0;
  int64_t first_ts = 0;
  uint64_t seq = 0;
  const StoredChunk* chunk = nullptr;

  auto Key() const { return std::tie(tag, first_ts, seq); }
};

// The chunks and deletes of a write in key order, one operation per key: a key both deleted and
// written is written, and of chunks with one key the later one is, as in a WriteBatch.
std::vector<KeyedChunk> InKeyOrder(std::span<const StoredChunk> chunks, std::span<const ChunkId> deleted) {
  std::vector<KeyedChunk> ops;
  ops.reserve(chunks.size() + deleted.size());
  for (const ChunkId& d : deleted) ops.push_back({d.tag, d.first_ts, d.seq, nullptr});
  for (const StoredChunk& c : chunks) ops.push_back({c.tag, c.first_ts, c.seq, &c});
  // Stable: among equal keys the deletes stay first and the chunks in their order; the last wins.
  std::stable_sort(ops.begin(), ops.end(), [](const KeyedChunk& a, const KeyedChunk& b) { return a.Key() < b.Key(); });
  std::vector<KeyedChunk> unique;
  unique.reserve(ops.size());
  for (const KeyedChunk& op : ops) {
    if (!unique.empty() && unique.back().Key() == op.Key()) {
      unique.back() = op;
    } else {
      unique.push_back(op);
    }
  }
  return unique;
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

ChunkStore::ChunkStore(std::unique_ptr<rocksdb::DB> db, std::unique_ptr<rocksdb::Options> db_options, std::string dir,
                       const ChunkStoreOptions& options)
    : db_(std::move(db)), db_options_(std::move(db_options)), dir_(std::move(dir)), options_(options) {}

ChunkStore::~ChunkStore() = default;

Result<std::unique_ptr<ChunkStore>> ChunkStore::Open(const std::string& dir, const ChunkStoreOptions& options) {
  auto db_options = std::make_unique<rocksdb::Options>(StoreOptions());
  rocksdb::DB* raw = nullptr;
  rocksdb::Status s = rocksdb::DB::Open(*db_options, dir, &raw);
  ZZ_RETURN_IF_ERROR(FromRocks(s, "cannot open chunk store " + dir));
  std::unique_ptr<rocksdb::DB> db(raw);
  // A table file left here was never ingested (a crash while it was built): its chunks are
  // still in the WAL, which the engine replays.
  const std::string table_dir = dir + std::string(kTableFileDir);
  std::error_code ec;
  std::filesystem::remove_all(table_dir, ec);
  if (!ec) std::filesystem::create_directory(table_dir, ec);
  if (ec) return Status::IOError("cannot prepare " + table_dir + ": " + ec.message());
  return std::unique_ptr<ChunkStore>(new ChunkStore(std::move(db), std::move(db_options), dir, options));
}

Status ChunkStore::Write(std::span<const StoredChunk> chunks,
                         std::span<const std::pair<std::string, std::string>> meta,
                         std::span<const ChunkId> deleted) {
  size_t bytes = 0;
  for (const StoredChunk& c : chunks) bytes += c.bytes.size();
  const bool table_file = !chunks.empty() && bytes >= options_.table_file_min_bytes;
  ZZ_RETURN_IF_ERROR(table_file ? WriteTableFile(chunks, meta, deleted) : WriteBatch(chunks, meta, deleted));
  extents_.Written(chunks);
  return Status::Ok();
}

// The table file holds what the batch would, in key order: chunks ('c'), meta ('m'), rollups
// ('r'). RocksDB links it into the database and syncs it, its directory and the MANIFEST before
// any of its keys can be read: an ingestion is all or nothing, as a batch is.
Status ChunkStore::WriteTableFile(std::span<const StoredChunk> chunks,
                                  std::span<const std::pair<std::string, std::string>> meta,
                                  std::span<const ChunkId> deleted) {
  const std::vector<KeyedChunk> ops = InKeyOrder(chunks, deleted);
  std::vector<std::pair<std::string, std::string>> meta_in_order(meta.begin(), meta.end());
  std::sort(meta_in_order.begin(), meta_in_order.end());
  const std::string path = dir_ + std::string(kTableFileDir) + "/checkpoint.sst";
  const std::string what = "cannot write table file " + path;
  rocksdb::SstFileWriter writer(rocksdb::EnvOptions(), *db_options_);
  auto build = [&]() -> Status {
    ZZ_RETURN_IF_ERROR(FromRocks(writer.Open(path), what));
    for (const KeyedChunk& op : ops) {
      const std::string key = ChunkKey(op.tag, op.first_ts, op.seq);
      ZZ_RETURN_IF_ERROR(FromRocks(op.chunk ? writer.Put(key, op.chunk->bytes) : writer.Delete(key), what));
    }
    for (const auto& [name, value] : meta_in_order) {
      ZZ_RETURN_IF_ERROR(FromRocks(writer.Put(std::string(1, kMetaPrefix) + name, value), what));
    }
    for (const KeyedChunk& op : ops) {
      const std::string key = ChunkKey(op.tag, op.first_ts, op.seq, kRollupPrefix);
      std::optional<std::string> rollup = op.chunk ? RollupOf(*op.chunk) : std::nullopt;
      ZZ_RETURN_IF_ERROR(FromRocks(rollup ? writer.Put(key, *rollup) : writer.Delete(key), what));
    }
    return FromRocks(writer.Finish(), what);
  };
  Status status = build();
  if (status.ok()) {
    rocksdb::IngestExternalFileOptions ingest;
    ingest.move_files = true;
    // The file's sequence number goes to the MANIFEST only: writing it into the file too is a
    // random write that only RocksDB before 5.16 needs.
    ingest.write_global_seqno = false;
    rocksdb::Status ingested = db_->IngestExternalFile({path}, ingest);
    if (ingested.IsNoSpace() && db_->Resume().ok()) ingested = db_->IngestExternalFile({path}, ingest);
    status = FromRocks(ingested, "cannot ingest chunks into " + dir_);
  }
  std::error_code ignored;  // linked into the database, or of no use: either way it goes
  std::filesystem::remove(path, ignored);
  return status;
}

Status ChunkStore::WriteBatch(std::span<const StoredChunk> chunks,
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
  return FromRocks(written, "cannot write chunks to " + dir_);
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
