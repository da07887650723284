// Engine: opening, recovery, checkpoints and closing.
#include <spdlog/spdlog.h>

#include <charconv>
#include <chrono>
#include <cstring>
#include <filesystem>

#include "storage/internal/engine_state.h"
#include "storage/internal/overlap_merge.h"
#include "storage/wal/batch_codec.h"

namespace zhizao::storage {
namespace {

constexpr std::string_view kCheckpointKey = "wal_checkpoint";

// With kAlways the engine syncs by itself, outside its lock (Engine::Append), so that writers
// queued behind the lock share one fsync: the WAL itself only writes.
WalDurability DurabilityOf(FsyncPolicy policy) {
  switch (policy) {
    case FsyncPolicy::kAlways: return WalDurability::kNone;
    case FsyncPolicy::kInterval: return WalDurability::kInterval;
    case FsyncPolicy::kNone: return WalDurability::kNone;
  }
  return WalDurability::kAlways;
}

// A meta value: a decimal uint64, 0 when absent.
Result<uint64_t> ReadMetaNumber(const ChunkStore& store, std::string_view name) {
  ZZ_ASSIGN_OR_RETURN(std::optional<std::string> value, store.GetMeta(name));
  if (!value) return uint64_t{0};
  uint64_t n = 0;
  auto [end, ec] = std::from_chars(value->data(), value->data() + value->size(), n);
  if (ec != std::errc() || end != value->data() + value->size()) {
    return Status::Corruption("chunk store meta " + std::string(name) + " is not a number: '" + *value + "'");
  }
  return n;
}

Status CheckOptions(const EngineOptions& options) {
  if (options.dir.empty()) return Status::InvalidArgument("storage: no directory given");
  if (options.chunk_max_samples == 0) return Status::InvalidArgument("storage: chunk_max_samples must be positive");
  if (options.chunk_max_span_ns <= 0) return Status::InvalidArgument("storage: chunk_max_span_ns must be positive");
  if (options.fsync_interval_ms <= 0) return Status::InvalidArgument("storage: fsync_interval_ms must be positive");
  if (options.pending_write_bytes == 0 || options.pending_write_bytes > kMaxPendingBytes) {
    return Status::InvalidArgument("storage: pending_write_bytes must be between 1 and " +
                                   std::to_string(kMaxPendingBytes));
  }
  return Status::Ok();
}

void RegisterMetrics(Engine::State& s, MetricsRegistry& m) {
  s.points_appended = &m.GetCounter("zhizao_storage_points_appended_total", "Samples appended to the historian.");
  s.chunks_written = &m.GetCounter("zhizao_storage_chunks_written_total", "Sealed chunks written to RocksDB.");
  s.bytes_written = &m.GetCounter("zhizao_storage_chunk_bytes_written_total", "Bytes of sealed chunks written.");
  s.chunks_merged = &m.GetCounter("zhizao_storage_chunks_merged_total",
                                  "Overlapping chunks (late samples) rewritten as non-overlapping ones at a checkpoint.");
  s.series_gauge = &m.GetGauge("zhizao_storage_series", "Series with a head in memory.");
  s.head_bytes_gauge = &m.GetGauge("zhizao_storage_head_bytes",
                                   "Memory held by the heads just before the last checkpoint. Per series it is "
                                   "bounded by one raw block (128 samples) plus one open chunk (8,192 samples, "
                                   "encoded) plus a late-sample buffer of at most 8,192 samples.");
  s.append_seconds = &m.GetHistogram("zhizao_storage_append_duration_seconds",
                                     "Time to append one batch, WAL included.", LatencyBuckets());
  s.flush_seconds = &m.GetHistogram("zhizao_storage_flush_duration_seconds",
                                    "Time to seal every head chunk and checkpoint the WAL.", LatencyBuckets());
}

}  // namespace

Result<FsyncPolicy> ParseFsyncPolicy(std::string_view name) {
  if (name == "always") return FsyncPolicy::kAlways;
  if (name == "interval") return FsyncPolicy::kInterval;
  if (name == "none") return FsyncPolicy::kNone;
  return Status::InvalidArgument("unknown fsync policy '" + std::string(name) + "' (expected always, interval or none)");
}

Engine::Engine(std::unique_ptr<State> state) : state_(std::move(state)) {}

Engine::~Engine() {
  Status closed = Close();
  if (!closed.ok()) spdlog::error("storage: cannot close cleanly: {}", closed.message());
}

Result<std::unique_ptr<Engine>> Engine::Open(const EngineOptions& options) {
  ZZ_RETURN_IF_ERROR(CheckOptions(options));
  auto state = std::make_unique<State>();
  State& s = *state;
  s.options = options;
  s.clock = options.clock != nullptr ? options.clock : &SystemClock::Instance();
  s.limits = {options.chunk_max_samples, options.chunk_max_span_ns, options.chunk_summary_min_samples};
  RegisterMetrics(s, options.metrics != nullptr ? *options.metrics : MetricsRegistry::Default());
  std::error_code ec;
  std::filesystem::create_directories(options.dir, ec);
  if (ec) return Status::IOError("cannot create storage dir " + options.dir + ": " + ec.message());
  ZZ_ASSIGN_OR_RETURN(s.store, ChunkStore::Open(options.dir + "/chunks", {.table_file_min_bytes = options.table_file_min_bytes}));
  ZZ_ASSIGN_OR_RETURN(uint64_t checkpoint, ReadMetaNumber(*s.store, kCheckpointKey));
  ZZ_ASSIGN_OR_RETURN(s.seq, ReadMetaNumber(*s.store, "max_seq"));

  std::unique_ptr<Engine> engine(new Engine(std::move(state)));
  WalOptions wal;
  wal.dir = options.dir + "/wal";
  wal.durability = DurabilityOf(options.fsync);
  wal.sync_interval = std::chrono::milliseconds(options.fsync_interval_ms);
  wal.clock = s.clock;
  wal.fs = options.wal_fs;
  // Segments before the checkpoint are in RocksDB already (a crash may have kept them).
  wal.first_segment = std::max<uint64_t>(checkpoint, 1);
  auto replay = [&](WalPosition, std::string_view record) { return engine->ReplayRecord(record); };
  {
    std::lock_guard lock(s.mu);
    ZZ_ASSIGN_OR_RETURN(s.wal, Wal::Open(wal, replay));
  }
  const WalRecoveryReport& report = s.wal->recovery_report();
  spdlog::info("storage: {} series, {} WAL records replayed from {} segments{}", s.series, report.records,
               report.segments,
               report.dropped_bytes > 0 ? fmt::format(", {} damaged bytes dropped at segment {} offset {} ({})",
                                                      report.dropped_bytes, report.damage.segment,
                                                      report.damage.offset, report.damage_reason)
                                        : "");
  return engine;
}

// REQUIRES: called by Open, which holds the lock.
Status Engine::ReplayRecord(std::string_view record) {
  if (record.size() < 8) return Status::Corruption("WAL record of " + std::to_string(record.size()) + " bytes");
  uint64_t seq = 0;
  std::memcpy(&seq, record.data(), 8);
  Batch batch;
  ZZ_RETURN_IF_ERROR(DecodeBatch(record.substr(8), &batch));
  ApplyLocked(batch, seq);
  // Replay starts from empty heads after the same checkpoint every time, so the chunks it
  // seals are the same on every replay (with the same chunk limits) and may go to RocksDB early,
  // bounding memory. A replay killed after such writes leaves chunks that the next one writes
  // again; with other limits it leaves stray ones, which hold only samples the WAL holds too, each
  // at a lower sequence than any later write of its time (crash_test: KillsDuringReplay...).
  if (state_->pending_bytes >= state_->options.pending_write_bytes) return WritePendingLocked();
  return Status::Ok();
}

Status Engine::Flush() {
  State& s = *state_;
  auto started = std::chrono::steady_clock::now();
  std::lock_guard lock(s.mu);
  if (s.closed) return Status::FailedPrecondition("the storage engine is closed");
  ZZ_RETURN_IF_ERROR(CheckpointLocked());
  s.flush_seconds->Observe(std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count());
  return Status::Ok();
}

// Chunks reach RocksDB only here (and during replay, see ReplayRecord): a checkpoint writes
// every head's data with the WAL position it covers, so what RocksDB holds never depends on
// how records after that position will be replayed.
Status Engine::CheckpointLocked() {
  State& s = *state_;
  s.series_gauge->Set(static_cast<double>(s.series));
  for (auto& head : s.heads) {
    if (head) head->SealAll(s.limits, s.pending);
  }
  // Sealing empties the heads: start the running total again from what they hold now.
  s.head_bytes = static_cast<int64_t>(s.HeadBytesLocked());
  s.head_bytes_gauge->Set(static_cast<double>(s.head_bytes));
  std::vector<ChunkId> replaced;
  const OverlapMergeStats merged = MergeOverlaps(*s.store, s.limits, s.pending, replaced);
  s.pending_bytes = 0;
  for (const StoredChunk& c : s.pending) s.pending_bytes += c.bytes.size();
  ZZ_ASSIGN_OR_RETURN(uint64_t segment, s.wal->Rotate());
  std::pair<std::string, std::string> meta[] = {{std::string(kCheckpointKey), std::to_string(segment)},
                                                {"max_seq", std::to_string(s.seq)}};
  ZZ_RETURN_IF_ERROR(s.store->Write(s.pending, meta, replaced));
  s.chunks_merged->Increment(merged.chunks_replaced);
  s.chunks_written->Increment(s.pending.size());
  s.bytes_written->Increment(s.pending_bytes);
  s.pending.clear();
  s.pending_bytes = 0;
  return s.wal->RemoveSegmentsBefore(segment);
}

Status Engine::Compact() { return state_->store->CompactAll(); }

Status Engine::Close() {
  State& s = *state_;
  Status failed;
  {
    std::lock_guard lock(s.mu);
    if (s.closed || !s.wal) return Status::Ok();  // closed, or Open failed before the WAL
    failed = s.failed;
  }
  Status flushed = failed.ok() ? Flush() : failed;
  std::lock_guard lock(s.mu);
  s.closed = true;
  Status wal_closed = s.wal->Close();
  return flushed.ok() ? wal_closed : flushed;
}

EngineStats Engine::Stats() const {
  const State& s = *state_;
  std::lock_guard lock(s.mu);
  EngineStats stats;
  stats.series = s.series;
  stats.head_bytes = s.HeadBytesLocked();
  stats.points_appended = s.points_appended->value();
  stats.chunks_written = s.chunks_written->value();
  return stats;
}

}  // namespace zhizao::storage
