#include "storage/internal/chunk_store.h"

#include <rocksdb/cache.h>
#include <rocksdb/db.h>
#include <rocksdb/table.h>
#include <rocksdb/write_batch.h>

#include <cstring>

namespace zhizao::storage {
namespace {

constexpr char kChunkPrefix = 'c';
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

std::string ChunkKey(TagId tag, int64_t first_ts, uint64_t seq) {
  std::string key;
  key.reserve(kChunkKeySize);
  key += kChunkPrefix;
  PutBigEndian(key, tag, 4);
  PutBigEndian(key, OrderedTs(first_ts), 8);
  PutBigEndian(key, seq, 8);
  return key;
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
  options.write_buffer_size = 32 << 20;
  options.max_open_files = 512;
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
    ZZ_RETURN_IF_ERROR(FromRocks(batch.Delete(ChunkKey(c.tag, c.first_ts, c.seq)), "cannot batch deletes"));
  }
  for (const StoredChunk& c : chunks) {
    rocksdb::Status s = batch.Put(ChunkKey(c.tag, c.first_ts, c.seq), c.bytes);
    ZZ_RETURN_IF_ERROR(FromRocks(s, "cannot batch chunks"));
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

Status ChunkStore::Scan(TagId tag, int64_t from_first_ts, int64_t to_first_ts, const Visitor& visit) const {
  if (from_first_ts > to_first_ts) return Status::Ok();
  std::string start = ChunkKey(tag, from_first_ts, 0);
  std::string end = ChunkKey(tag, to_first_ts, UINT64_MAX);
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
  // Not synced: a delete lost in a crash is simply done again at the next checkpoint.
  return FromRocks(db_->DeleteRange(rocksdb::WriteOptions(), db_->DefaultColumnFamily(),
                                    ChunkKey(tag, INT64_MIN, 0), ChunkKey(tag, first_ts_before, 0)),
                   "cannot delete old chunks of tag " + std::to_string(tag));
}

Status ChunkStore::CompactAll() {
  return FromRocks(db_->CompactRange(rocksdb::CompactRangeOptions(), nullptr, nullptr),
                   "cannot compact chunk store " + dir_);
}

}  // namespace zhizao::storage
