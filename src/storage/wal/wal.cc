// Lifecycle of the WAL: open and replay, rotation, removal, close. The write path (group
// commit) is in wal_writer.cc.
#include "storage/wal/wal.h"

#include <spdlog/spdlog.h>

#include "storage/wal/internal/record.h"
#include "storage/wal/internal/recovery.h"
#include "storage/wal/internal/wal_writer.h"

namespace zhizao::storage {

using wal_internal::SegmentFileName;

namespace {

Status SyncSegment(WalFileSystem& fs, const std::string& dir, uint64_t segment) {
  ZZ_ASSIGN_OR_RETURN(std::unique_ptr<WalFile> file, fs.OpenForAppend(dir + "/" + SegmentFileName(segment)));
  ZZ_RETURN_IF_ERROR(file->Sync());
  return file->Close();
}

// Oldest first, so that a crash midway leaves no gap among the segments that stay.
Status RemoveCheckpointed(WalFileSystem& fs, const std::string& dir, uint64_t first_segment) {
  if (first_segment <= 1) return Status::Ok();
  ZZ_ASSIGN_OR_RETURN(std::vector<uint64_t> segments, wal_internal::ListSegments(fs, dir));
  bool removed = false;
  for (uint64_t segment : segments) {
    if (segment >= first_segment) continue;
    ZZ_RETURN_IF_ERROR(fs.Remove(dir + "/" + SegmentFileName(segment)));
    removed = true;
  }
  return removed ? fs.SyncDir(dir) : Status::Ok();
}

}  // namespace

Result<std::unique_ptr<Wal>> Wal::Open(const WalOptions& options, const WalReplayFn& replay) {
  if (options.dir.empty()) return Status::InvalidArgument("cannot open WAL: no directory given");
  WalFileSystem& fs = options.fs != nullptr ? *options.fs : PosixWalFileSystem();
  ZZ_RETURN_IF_ERROR(fs.CreateDir(options.dir));
  ZZ_RETURN_IF_ERROR(RemoveCheckpointed(fs, options.dir, options.first_segment));
  ZZ_ASSIGN_OR_RETURN(WalRecoveryReport report, wal_internal::Recover(fs, options.dir, options.recovery, replay));
  // What was replayed may sit unsynced in the page cache after a process crash; it must be
  // on disk before newer records are, or a power loss would leave a hole under them.
  if (report.last_segment > 0) ZZ_RETURN_IF_ERROR(SyncSegment(fs, options.dir, report.last_segment));
  // Appends go to a fresh segment: a repaired segment is never written again, so its
  // on-disk length is final and a later replay cannot mistake old bytes for new ones.
  const uint64_t first = std::max(report.last_segment + 1, options.first_segment);
  std::unique_ptr<Wal> wal(new Wal(options, std::move(report)));
  ZZ_RETURN_IF_ERROR(wal->StartSegment(first).WithContext("cannot open WAL in " + options.dir));
  if (options.durability == WalDurability::kInterval && options.background_sync) {
    wal->flusher_ = std::thread([w = wal.get()] { w->RunFlusher(); });
  }
  return wal;
}

Wal::Wal(const WalOptions& options, WalRecoveryReport report)
    : options_(options),
      fs_(options.fs != nullptr ? *options.fs : PosixWalFileSystem()),
      clock_(options.clock != nullptr ? *options.clock : SystemClock::Instance()),
      report_(std::move(report)) {}

Wal::~Wal() {
  Status status = Close();
  if (!status.ok() && status.code() != StatusCode::kFailedPrecondition) {
    spdlog::error("WAL {}: {}", options_.dir, status.ToString());
  }
}

Status Wal::Sync() {
  Writer writer(Writer::Kind::kSync);
  return Submit(&writer);
}

Status Wal::SyncIfDue() {
  {
    std::lock_guard lock(mu_);
    if (unsynced_bytes_ == 0 || !SyncDueLocked(clock_.NowNs())) return Status::Ok();
  }
  return Sync();
}

Result<uint64_t> Wal::Rotate() {
  Writer writer(Writer::Kind::kRotate);
  ZZ_RETURN_IF_ERROR(Submit(&writer));
  return writer.segment;
}

Status Wal::RemoveSegmentsBefore(uint64_t segment) {
  if (segment > current_segment()) {
    return Status::InvalidArgument("cannot remove WAL segments before " + SegmentFileName(segment) +
                                   ": the current segment is " + SegmentFileName(current_segment()));
  }
  std::lock_guard lock(remove_mu_);
  ZZ_ASSIGN_OR_RETURN(std::vector<uint64_t> segments, wal_internal::ListSegments(fs_, options_.dir));
  bool removed = false;
  for (uint64_t s : segments) {  // ascending: a crash midway leaves no gap
    if (s >= segment) break;
    ZZ_RETURN_IF_ERROR(fs_.Remove(options_.dir + "/" + SegmentFileName(s)));
    removed = true;
  }
  return removed ? fs_.SyncDir(options_.dir) : Status::Ok();
}

WalSyncLag Wal::Unsynced() const {
  std::lock_guard lock(mu_);
  if (unsynced_bytes_ == 0) return {};
  return {unsynced_bytes_, clock_.NowNs() - oldest_unsynced_ns_};
}

uint64_t Wal::current_segment() const {
  std::lock_guard lock(mu_);
  return current_segment_;
}

Status Wal::Close() {
  {
    std::lock_guard lock(mu_);
    if (closed_) return Status::Ok();
    stop_flusher_ = true;
  }
  flusher_cv_.notify_all();
  if (flusher_.joinable()) flusher_.join();
  Writer writer(Writer::Kind::kClose);
  return Submit(&writer);
}

void Wal::RunFlusher() {
  std::unique_lock lock(mu_);
  while (!stop_flusher_) {
    flusher_cv_.wait_for(lock, options_.sync_interval);
    if (stop_flusher_) break;
    lock.unlock();
    Status status = SyncIfDue();
    if (!status.ok()) {
      // Sticky: every later Append reports it, so the flusher has nothing left to do.
      spdlog::error("WAL {}: background sync failed: {}", options_.dir, status.ToString());
      return;
    }
    lock.lock();
  }
}

}  // namespace zhizao::storage
