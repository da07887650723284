// The historian: keeps every tag's samples, durably, compactly, and reads them back.
//
// Writes go to the write-ahead log (wal/), then to an in-memory head per series, compressed
// block by block as samples arrive (encoding/); full chunks are sealed and written to RocksDB
// in batches (internal/chunk_store). Reads merge RocksDB chunks, sealed chunks not yet
// written, the head's blocks and its raw tail.
//
// Duplicates: for one tag and timestamp, the last write wins, in the order writes reached
// Append(). Samples older than a series' newest are accepted and merged at read time; the next
// checkpoint rewrites the chunks they overlap as chunks that do not (internal/overlap_merge.h).
//
// Thread-safe.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <utility>
#include <vector>

#include "common/batch.h"
#include "common/clock.h"
#include "common/metrics.h"
#include "common/status.h"
#include "storage/encoding/chunk_summary.h"
#include "storage/encoding/rollup.h"
#include "storage/encoding/series_samples.h"
#include "storage/wal/wal_file.h"

namespace zhizao::storage {

struct StoredChunk;  // internal/chunk_store.h

enum class FsyncPolicy {
  kAlways,    // Append returns after the WAL is fsynced: an acknowledged write survives power loss
  kInterval,  // the WAL is fsynced every fsync_interval_ms: a crash loses at most that window
  kNone,      // fsync only at Flush and Close: a crash of the machine may lose everything since
};

// "always", "interval" or "none".
Result<FsyncPolicy> ParseFsyncPolicy(std::string_view name);

struct EngineOptions {
  // Directory of the WAL (wal/) and the chunk store (chunks/); created if missing.
  std::string dir;
  // Default: kInterval.
  FsyncPolicy fsync = FsyncPolicy::kInterval;
  // Default: 1000.
  int64_t fsync_interval_ms = 1000;
  // A head chunk is sealed at this many samples. Default: 8192.
  uint32_t chunk_max_samples = 8192;
  // ... or when it spans this long; also the longest span of any chunk, which bounds how far
  // back a read must look for chunks that overlap its range. Default: 2 h.
  int64_t chunk_max_span_ns = int64_t{2} * 3600 * 1'000'000'000;
  // A sealed chunk of at least this many samples carries a summary of its values, which
  // aggregates fold instead of decoding the chunk (docs/formats/chunk.md). Default: 1024.
  uint32_t chunk_summary_min_samples = 1024;
  // Sealed chunks wait in memory until this many bytes of them start a checkpoint (or, while
  // the WAL is replayed, a write to the chunk store). Smaller bounds memory tighter with more,
  // smaller writes; tests set a few bytes to write every chunk at once. Default: 16 MiB.
  size_t pending_write_bytes = size_t{16} << 20;
  // A write to the chunk store of at least this many bytes of chunks is built as a table file and
  // ingested, not batched through RocksDB's log and memtable (ChunkStoreOptions). Default: 1 MiB.
  size_t table_file_min_bytes = size_t{1} << 20;
  // Samples stamped further than this ahead of the clock are refused. Default: 1 day.
  int64_t max_future_ns = int64_t{86400} * 1'000'000'000;
  // Samples stamped before this (UTC ns) are refused. Default: 1970-01-01.
  int64_t min_ts_ns = 0;
  // REQUIRES: outlives the engine. Default: the system clock.
  const Clock* clock = nullptr;
  // Where the engine registers its metrics. Default: MetricsRegistry::Default().
  MetricsRegistry* metrics = nullptr;
  // The WAL's file system; tests inject faults through it. REQUIRES: outlives the engine.
  // Default: the real one.
  WalFileSystem* wal_fs = nullptr;
};

struct LastSample {
  int64_t ts_ns = 0;
  uint32_t status = 0;
  Value value;
  std::string str;  // the value of a string sample
};

// A sealed chunk that ReadSummarized handed over as its summary instead of its samples.
struct SummarizedChunk {
  int64_t first_ts = 0;  // the chunk's first and last sample (ns)
  int64_t last_ts = 0;
  ChunkSummary summary;
};

// Whether a chunk over [first_ts, last_ts] may be taken as its summary (for an aggregate: it
// lies in one window, and the summary's quality counts fit the query's quality policy).
using SummaryFilter = std::function<bool(int64_t first_ts, int64_t last_ts, const ChunkSummary& summary)>;

// Whether a run of a stored chunk's rollup buckets may be taken instead of its samples there
// (for an aggregate: the buckets' quality counts fit the query's quality policy).
using RollupFilter = std::function<bool(std::span<const RollupBucket> buckets)>;

struct EngineStats {
  size_t series = 0;
  size_t head_bytes = 0;       // memory held by heads
  uint64_t points_appended = 0;
  uint64_t chunks_written = 0;
};

class Engine {
 public:
  // Opens the engine in options.dir and replays the WAL into the head.
  static Result<std::unique_ptr<Engine>> Open(const EngineOptions& options);
  ~Engine();  // Close()s; errors are logged

  // Durable per options.fsync when Ok. All or nothing: InvalidArgument (naming the point) for a
  // tag id 0, a timestamp outside the accepted window, or a value whose type differs from the
  // series' type; IOError when the WAL cannot be written (then every later Append fails too,
  // until the engine is reopened: nothing is acknowledged that is not in the WAL).
  [[nodiscard]] Status Append(const Batch& batch);

  // Appends to `out` the samples of `tag` with from <= ts <= to, in time order, one per
  // timestamp (the last written). `out` takes the series' type; an unknown tag reads as empty.
  [[nodiscard]] Status Read(TagId tag, int64_t from_ns, int64_t to_ns, SeriesSamples* out) const;

  // Read, except that a sealed chunk is handed over as its summary, appended to `summaries`
  // in time order, instead of as its samples when all of these hold: it carries a summary
  // (format 2, numeric), it lies wholly in [from_ns, to_ns], no other source of the tag
  // (another chunk, sealed or not, or the head) reaches into its time range, so that no
  // duplicate could replace one of its samples, and `take` accepts it. No sample in `out`
  // then falls in a summarized chunk's range. Errors as Read.
  [[nodiscard]] Status ReadSummarized(TagId tag, int64_t from_ns, int64_t to_ns, const SummaryFilter& take,
                                      SeriesSamples* out, std::vector<SummarizedChunk>* summaries) const;

  // ReadSummarized, except that a stored chunk that is not summarized may also hand over its
  // 1-minute rollup buckets (docs/formats/rollup.md), appended to `buckets` in time order,
  // instead of the samples in them, under the same conditions but at bucket granularity: the
  // chunk has a rollup, no other source reaches into its range, every sample of the taken
  // buckets lies in [from_ns, to_ns] (a bucket cut by the range is read as samples), and
  // `take_buckets` accepts the run. No sample in `out` then falls in a taken bucket. A
  // rollup that fails its checks is logged and the chunk read as samples. Errors as Read.
  [[nodiscard]] Status ReadRollups(TagId tag, int64_t from_ns, int64_t to_ns, const SummaryFilter& take,
                                   const RollupFilter& take_buckets, SeriesSamples* out,
                                   std::vector<SummarizedChunk>* summaries, std::vector<RollupBucket>* buckets) const;

  // The sample with the greatest timestamp, if the tag has any.
  Result<std::optional<LastSample>> Last(TagId tag) const;

  // Retention: deletes the stored chunks of `tag` that end before `cutoff_ns`. A chunk that
  // straddles the cutoff is kept whole, so up to chunk_max_span_ns more than asked stays.
  // The head (recent samples) is never touched.
  [[nodiscard]] Status DeleteBefore(TagId tag, int64_t cutoff_ns);

  // Seals every head chunk, writes all sealed chunks to RocksDB, and drops the WAL segments
  // that they cover. After Ok, nothing depends on the WAL.
  [[nodiscard]] Status Flush();

  // Compacts RocksDB; call after Flush() before measuring disk use.
  [[nodiscard]] Status Compact();

  // Flushes and closes. Idempotent.
  Status Close();

  EngineStats Stats() const;

  struct State;  // internal/engine_state.h

 private:
  explicit Engine(std::unique_ptr<State> state);
  // Takes the lock: stamps `record` (the encoded batch) with its sequence, writes it to the WAL,
  // updates the heads.
  Status LogAndApply(const Batch& batch, std::string& record);
  Status WritePendingLocked();
  Status CheckpointLocked();
  Result<std::optional<LastSample>> StoredLast(TagId tag) const;
  Status ReadCondensed(TagId tag, int64_t from_ns, int64_t to_ns, const SummaryFilter& take,
                       const RollupFilter* take_buckets, SeriesSamples* out, std::vector<SummarizedChunk>* summaries,
                       std::vector<RollupBucket>* buckets) const;
  Result<bool> ReadInOrder(TagId tag, int64_t from_ns, int64_t to_ns, std::vector<StoredChunk>& pending,
                           const std::vector<std::pair<uint64_t, SeriesSamples>>& head, SeriesSamples* out) const;
  void ApplyLocked(const Batch& batch, uint64_t first_seq);
  Status ReplayRecord(std::string_view record);

  std::unique_ptr<State> state_;
};

}  // namespace zhizao::storage
