// The WAL's write path: group commit in the manner of LevelDB's DBImpl::Write. Each request
// queues a Writer; the one at the front (the leader) takes the queue as a group, writes it
// with mu_ released, issues at most one fsync for all of it, and wakes the others.
#include <algorithm>

#include "storage/wal/internal/record.h"
#include "storage/wal/internal/wal_writer.h"
#include "storage/wal/wal.h"

namespace zhizao::storage {
namespace {

using wal_internal::kMaxPayloadBytes;

// Bounds how much one leader writes for others, and so their latency and the buffer's size.
constexpr size_t kMaxGroupBytes = 4u << 20;
// Larger payloads are written from the caller's memory instead of being copied into the buffer.
constexpr size_t kDirectWriteBytes = 1u << 20;

}  // namespace

Result<WalPosition> Wal::Append(std::string_view payload) {
  if (payload.size() > kMaxPayloadBytes) {
    return Status::InvalidArgument("cannot append to WAL in " + options_.dir + ": record of " +
                                   std::to_string(payload.size()) + " bytes exceeds the limit of " +
                                   std::to_string(kMaxPayloadBytes));
  }
  Writer writer(Writer::Kind::kRecord);
  writer.payload = payload;
  // The CRC is computed here, by each caller in parallel, not by the leader.
  wal_internal::EncodeHeader(payload, writer.header);
  ZZ_RETURN_IF_ERROR(Submit(&writer));
  return writer.position;
}

Status Wal::Submit(Writer* writer) {
  std::unique_lock lock(mu_);
  if (closed_) return Status::FailedPrecondition("cannot write to WAL in " + options_.dir + ": closed");
  if (writer->kind == Writer::Kind::kClose) closed_ = true;
  if (!error_.ok()) return error_;
  writers_.push_back(writer);
  while (!writer->done && writer != writers_.front()) writer->cv.wait(lock);
  if (writer->done) return writer->status;

  bool sync_due = false;
  TakeGroupLocked(&sync_due);
  const int64_t start_ns = clock_.NowNs();
  Status status = error_;  // an earlier group may have failed while this one waited
  GroupResult result;
  bool sticky = true;
  if (status.ok()) {
    lock.unlock();
    status = WriteGroup(sync_due, &result);
    if (status.code() == StatusCode::kResourceExhausted) sticky = !RecoverFromFullDisk(result).ok();
    lock.lock();
  }
  FinishGroupLocked(status, result, start_ns, sticky);
  return writer->status;
}

// A write that failed for want of space (never a failed fsync: after that the page cache can
// no longer be trusted) leaves a torn group at the end of the segment. Cutting the segment back
// to where the group began (durably) and going on in a new segment leaves the log exactly as if
// the group had never been written; its writers get the error, and the next append may succeed
// once space returns. If any step fails, the error stays sticky.
Status Wal::RecoverFromFullDisk(GroupResult& result) {
  buffer_.clear();
  if (result.split) return Status::Internal("the failed group spans two segments");
  Status closed = file_->Close();
  file_.reset();
  ZZ_RETURN_IF_ERROR(closed);
  std::string path = options_.dir + "/" + wal_internal::SegmentFileName(file_segment_);
  ZZ_RETURN_IF_ERROR(fs_.Truncate(path, result.start_offset));  // fsyncs the segment too
  result.synced = true;
  result.unsynced_bytes = 0;
  return StartSegment(file_segment_ + 1);
}

void Wal::TakeGroupLocked(bool* sync_due) {
  group_.clear();
  size_t bytes = 0;
  for (Writer* w : writers_) {
    if (!group_.empty() && bytes + w->size() > kMaxGroupBytes) break;
    group_.push_back(w);
    bytes += w->size();
    if (w->kind == Writer::Kind::kClose) break;
  }
  *sync_due = options_.durability == WalDurability::kInterval && SyncDueLocked(clock_.NowNs());
}

bool Wal::SyncDueLocked(int64_t now_ns) const {
  const int64_t oldest_ns = unsynced_bytes_ > 0 ? oldest_unsynced_ns_ : now_ns;
  return now_ns - oldest_ns >= std::chrono::nanoseconds(options_.sync_interval).count();
}

void Wal::FinishGroupLocked(const Status& status, const GroupResult& result, int64_t start_ns, bool sticky) {
  if (!status.ok() && sticky && error_.ok()) error_ = status;
  if (result.synced) unsynced_bytes_ = 0;
  if (result.unsynced_bytes > 0) {
    if (unsynced_bytes_ == 0) oldest_unsynced_ns_ = start_ns;
    unsynced_bytes_ += result.unsynced_bytes;
  }
  for (Writer* w : group_) {
    writers_.pop_front();
    w->status = status;
    w->done = true;
    w->cv.notify_one();
  }
  group_.clear();
  if (!writers_.empty()) writers_.front()->cv.notify_one();
}

Status Wal::WriteGroup(bool sync_due, GroupResult* result) {
  result->start_segment = file_segment_;
  result->start_offset = file_offset_;
  bool sync = sync_due;
  for (Writer* w : group_) {
    switch (w->kind) {
      case Writer::Kind::kRecord:
        ZZ_RETURN_IF_ERROR(AddRecord(*w, result));
        sync = sync || options_.durability == WalDurability::kAlways;
        break;
      case Writer::Kind::kSync:
        sync = true;
        break;
      case Writer::Kind::kRotate:
        ZZ_RETURN_IF_ERROR(RotateLeader(result));
        w->segment = file_segment_;
        break;
      case Writer::Kind::kClose:
        if (file_ == nullptr) return Status::Ok();  // Open failed before the first segment
        ZZ_RETURN_IF_ERROR(FlushBuffer());
        ZZ_RETURN_IF_ERROR(SyncFile(result));
        return file_->Close();
    }
  }
  ZZ_RETURN_IF_ERROR(FlushBuffer());
  return sync ? SyncFile(result) : Status::Ok();
}

Status Wal::AddRecord(Writer& writer, GroupResult* result) {
  const uint64_t size = writer.size();
  // Records never span segments; an oversized one opens a segment of its own.
  if (file_offset_ > 0 && file_offset_ + size > options_.segment_size_bytes) {
    ZZ_RETURN_IF_ERROR(RotateLeader(result));
    result->split = result->wrote;
    result->start_segment = file_segment_;
    result->start_offset = 0;
  }
  result->wrote = true;
  writer.position = {file_segment_, file_offset_};
  file_offset_ += size;
  result->unsynced_bytes += size;
  buffer_.append(writer.header, sizeof(writer.header));
  if (writer.payload.size() < kDirectWriteBytes) {
    buffer_.append(writer.payload);
    return Status::Ok();
  }
  ZZ_RETURN_IF_ERROR(FlushBuffer());
  return file_->Append(writer.payload);
}

Status Wal::RotateLeader(GroupResult* result) {
  if (file_offset_ == 0) return Status::Ok();  // still empty: it can take the next records
  ZZ_RETURN_IF_ERROR(FlushBuffer());
  // The old segment is complete on disk before the new one can hold anything, so a power
  // loss never leaves a hole in an older segment under a newer one.
  ZZ_RETURN_IF_ERROR(SyncFile(result));
  ZZ_RETURN_IF_ERROR(file_->Close());
  return StartSegment(file_segment_ + 1);
}

Status Wal::StartSegment(uint64_t segment) {
  ZZ_ASSIGN_OR_RETURN(file_, fs_.OpenForAppend(options_.dir + "/" + wal_internal::SegmentFileName(segment)));
  // The new name must survive a power loss before an acknowledged record lands in the file.
  ZZ_RETURN_IF_ERROR(fs_.SyncDir(options_.dir));
  file_segment_ = segment;
  file_offset_ = 0;
  std::lock_guard lock(mu_);
  current_segment_ = segment;
  return Status::Ok();
}

Status Wal::FlushBuffer() {
  if (buffer_.empty()) return Status::Ok();
  Status status = file_->Append(buffer_);
  buffer_.clear();
  return status;
}

Status Wal::SyncFile(GroupResult* result) {
  ZZ_RETURN_IF_ERROR(file_->Sync());
  result->synced = true;
  result->unsynced_bytes = 0;
  return Status::Ok();
}

}  // namespace zhizao::storage
