// Engine: the write path.
#include <spdlog/spdlog.h>

#include <chrono>
#include <cstring>
#include <unordered_map>

#include "common/time_format.h"
#include "storage/internal/engine_state.h"
#include "storage/wal/batch_codec.h"

namespace zhizao::storage {
namespace {

Status CheckWindow(const Point& p, size_t index, int64_t now, const EngineOptions& options) {
  if (p.tag == 0 || p.tag > kMaxTagId) {
    return Status::InvalidArgument("point " + std::to_string(index) + ": tag id " + std::to_string(p.tag) +
                                   " is not a tag");
  }
  if (p.ts_ns < options.min_ts_ns || p.ts_ns > now + options.max_future_ns) {
    return Status::InvalidArgument("point " + std::to_string(index) + " of tag " + std::to_string(p.tag) +
                                   ": timestamp " + FormatRfc3339(p.ts_ns) + " is outside the accepted window");
  }
  return Status::Ok();
}

// Every point's type must match its series, and the points of one tag in a batch must agree.
Status CheckTypesLocked(const Engine::State& s, const Batch& batch) {
  std::unordered_map<TagId, DataType> new_series;  // the first type seen in this batch
  for (size_t i = 0; i < batch.points.size(); ++i) {
    const Point& p = batch.points[i];
    const SeriesHead* head = s.FindHeadLocked(p.tag);
    DataType expected =
        head != nullptr ? head->type() : new_series.try_emplace(p.tag, p.value.type()).first->second;
    if (expected != p.value.type()) {
      return Status::InvalidArgument("point " + std::to_string(i) + " of tag " + std::to_string(p.tag) + ": a " +
                                     std::string(DataTypeName(p.value.type())) + " value for a " +
                                     std::string(DataTypeName(expected)) + " series");
    }
  }
  return Status::Ok();
}

// A WAL record is the batch's first sequence (8 bytes, filled in under the lock) and the batch.
// Encoding happens before the lock is taken, so that writers encode in parallel.
std::string EncodeRecord(const Batch& batch) {
  std::string record(8, '\0');
  EncodeBatch(batch, &record);
  return record;
}

}  // namespace

Status Engine::Append(const Batch& batch) {
  if (batch.empty()) return Status::Ok();
  auto started = std::chrono::steady_clock::now();
  State& s = *state_;
  int64_t now = s.clock->NowNs();
  for (size_t i = 0; i < batch.points.size(); ++i) ZZ_RETURN_IF_ERROR(CheckWindow(batch.points[i], i, now, s.options));
  std::string record = EncodeRecord(batch);
  ZZ_RETURN_IF_ERROR(LogAndApply(batch, record));
  if (s.options.fsync == FsyncPolicy::kAlways) {
    // Outside the lock: the WAL's group commit lets one fsync cover every writer that
    // appended meanwhile. The batch is visible to reads already, but acknowledged only now.
    Status synced = s.wal->Sync();
    if (!synced.ok()) {
      std::lock_guard lock(s.mu);
      s.failed = synced.WithContext("storage stopped accepting writes until restart");
      return s.failed;
    }
  }
  s.points_appended->Increment(batch.size());
  s.append_seconds->Observe(std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count());
  return Status::Ok();
}

Status Engine::LogAndApply(const Batch& batch, std::string& record) {
  State& s = *state_;
  std::lock_guard lock(s.mu);
  if (s.closed) return Status::FailedPrecondition("the storage engine is closed");
  if (!s.failed.ok()) return s.failed;
  if (s.pending_bytes >= kMaxPendingBytes) {
    return Status::ResourceExhausted("storage is overloaded: " + std::to_string(s.pending_bytes >> 20) +
                                     " MiB of sealed history wait for the chunk store (disk full?); retry later");
  }
  ZZ_RETURN_IF_ERROR(CheckTypesLocked(s, batch));
  uint64_t first_seq = s.seq + 1;
  std::memcpy(record.data(), &first_seq, 8);
  Status logged = s.wal->Append(record).status();
  if (logged.code() == StatusCode::kIOError) {
    s.failed = logged.WithContext("storage stopped accepting writes until restart");
    return s.failed;
  }
  // A full disk (ResourceExhausted) or a record too large: nothing was written, nothing is sticky.
  ZZ_RETURN_IF_ERROR(logged);
  ApplyLocked(batch, first_seq);
  int64_t now = s.clock->NowNs();
  if (s.pending_bytes >= s.options.pending_write_bytes && now >= s.checkpoint_retry_ns) {
    // The batch is in the WAL and acknowledged all the same. A full disk keeps the sealed
    // chunks in memory (up to kMaxPendingBytes) and retries; any other failure stops writes
    // until restart rather than let memory grow.
    Status checkpointed = CheckpointLocked();
    if (checkpointed.code() == StatusCode::kResourceExhausted) {
      spdlog::warn("storage: checkpoint postponed: {}", checkpointed.message());
      s.checkpoint_retry_ns = now + kCheckpointRetryNs;
    } else if (!checkpointed.ok()) {
      s.failed = checkpointed.WithContext("storage stopped accepting writes until restart");
    }
  }
  return Status::Ok();
}

// Point i of the batch is write number first_seq + i: every write has its own sequence, so
// that a later point of the same batch wins over an earlier one.
void Engine::ApplyLocked(const Batch& batch, uint64_t first_seq) {
  State& s = *state_;
  std::vector<StoredChunk> sealed;
  uint64_t seq = first_seq;
  for (const Point& p : batch.points) {
    SeriesHead* head = s.FindHeadLocked(p.tag);
    if (head == nullptr) head = &s.AddHeadLocked(p.tag, p.value.type());
    std::string_view str = p.value.type() == DataType::kString ? batch.StringOf(p.value) : std::string_view();
    s.head_bytes += head->Append(p.ts_ns, p.value, str, p.status, seq++, s.limits, sealed);
  }
  s.head_bytes_gauge->Set(static_cast<double>(s.head_bytes));
  s.seq = std::max(s.seq, seq - 1);
  for (StoredChunk& c : sealed) {
    s.pending_bytes += c.bytes.size();
    s.pending.push_back(std::move(c));
  }
}

Status Engine::WritePendingLocked() {
  State& s = *state_;
  if (s.pending.empty()) return Status::Ok();
  std::pair<std::string, std::string> max_seq{"max_seq", std::to_string(s.seq)};
  ZZ_RETURN_IF_ERROR(s.store->Write(s.pending, {&max_seq, 1}));
  s.chunks_written->Increment(s.pending.size());
  s.bytes_written->Increment(s.pending_bytes);
  s.pending.clear();
  s.pending_bytes = 0;
  return Status::Ok();
}

}  // namespace zhizao::storage
