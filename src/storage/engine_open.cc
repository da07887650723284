// Engine: opening, recovery, checkpoints and closing.
#include <spdlog/spdlog.h>

#include <chrono>
#include <cstring>
#include <filesystem>

#include "storage/internal/engine_state.h"
#include "storage/wal/batch_codec.h"

namespace zhizao::storage {
namespace {

constexpr std::string_view kCheckpointKey = "wal_checkpoint";

WalDurability DurabilityOf(FsyncPolicy policy) {
  switch (policy) {
    case FsyncPolicy::kAlways: return WalDurability::kAlways;
    case FsyncPolicy::kInterval: return WalDurability::kInterval;
    case FsyncPolicy::kNone: return WalDurability::kNone;
  }
  return WalDurability::kAlways;
}

Result<uint64_t> ReadCheckpoint(const ChunkStore& store) {
  ZZ_ASSIGN_OR_RETURN(std::optional<std::string> value, store.GetMeta(kCheckpointKey));
  if (!value) return uint64_t{0};
  return std::stoull(*value);
}

void RegisterMetrics(Engine::State& s, MetricsRegistry& m) {
  s.points_appended = &m.GetCounter("zhizao_storage_points_appended_total", "Samples appended to the historian.");
  s.chunks_written = &m.GetCounter("zhizao_storage_chunks_written_total", "Sealed chunks written to RocksDB.");
  s.bytes_written = &m.GetCounter("zhizao_storage_chunk_bytes_written_total", "Bytes of sealed chunks written.");
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
  auto state = std::make_unique<State>();
  State& s = *state;
  s.options = options;
  s.clock = options.clock != nullptr ? options.clock : &SystemClock::Instance();
  s.limits = {options.chunk_max_samples, options.chunk_max_span_ns};
  RegisterMetrics(s, options.metrics != nullptr ? *options.metrics : MetricsRegistry::Default());
  std::error_code ec;
  std::filesystem::create_directories(options.dir, ec);
  if (ec) return Status::IOError("cannot create storage dir " + options.dir + ": " + ec.message());
  ZZ_ASSIGN_OR_RETURN(s.store, ChunkStore::Open(options.dir + "/chunks"));
  ZZ_ASSIGN_OR_RETURN(uint64_t checkpoint, ReadCheckpoint(*s.store));
  ZZ_ASSIGN_OR_RETURN(std::optional<std::string> max_seq, s.store->GetMeta("max_seq"));
  if (max_seq) s.seq = std::stoull(*max_seq);

  std::unique_ptr<Engine> engine(new Engine(std::move(state)));
  WalOptions wal;
  wal.dir = options.dir + "/wal";
  wal.durability = DurabilityOf(options.fsync);
  wal.sync_interval = std::chrono::milliseconds(options.fsync_interval_ms);
  wal.clock = s.clock;
  auto replay = [&](WalPosition position, std::string_view record) {
    // Segments before the checkpoint are in RocksDB already; a crash kept them on disk.
    return position.segment < checkpoint ? Status::Ok() : engine->ReplayRecord(record);
  };
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
  return Status::Ok();
}

Status Engine::Flush() {
  State& s = *state_;
  auto started = std::chrono::steady_clock::now();
  std::lock_guard lock(s.mu);
  if (s.closed) return Status::FailedPrecondition("the storage engine is closed");
  for (auto& head : s.heads) {
    if (head) head->SealAll(s.pending);
  }
  s.pending_bytes = 0;
  for (const StoredChunk& c : s.pending) s.pending_bytes += c.bytes.size();
  ZZ_ASSIGN_OR_RETURN(uint64_t segment, s.wal->Rotate());
  std::pair<std::string, std::string> meta[] = {{std::string(kCheckpointKey), std::to_string(segment)},
                                                {"max_seq", std::to_string(s.seq)}};
  ZZ_RETURN_IF_ERROR(s.store->Write(s.pending, meta));
  s.chunks_written->Increment(s.pending.size());
  s.bytes_written->Increment(s.pending_bytes);
  s.pending.clear();
  s.pending_bytes = 0;
  ZZ_RETURN_IF_ERROR(s.wal->RemoveSegmentsBefore(segment));
  s.flush_seconds->Observe(std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count());
  return Status::Ok();
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
  for (const auto& head : s.heads) {
    if (head) stats.head_bytes += head->memory_bytes();
  }
  stats.points_appended = s.points_appended->value();
  stats.chunks_written = s.chunks_written->value();
  return stats;
}

}  // namespace zhizao::storage
