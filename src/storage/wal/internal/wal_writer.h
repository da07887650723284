// The queue entry of the WAL's group commit. Internal to storage/wal.
#pragma once

#include <condition_variable>
#include <string_view>

#include "storage/wal/internal/record.h"
#include "storage/wal/wal.h"

namespace zhizao::storage {

// One request waiting in Wal::writers_: a record to append, or a sync, rotation or close
// ordered with the appends around it. Lives on the requesting thread's stack.
struct Wal::Writer {
  enum class Kind { kRecord, kSync, kRotate, kClose };
  explicit Writer(Kind k) : kind(k) {}

  const Kind kind;
  char header[wal_internal::kHeaderBytes] = {};  // kRecord, framed by the caller outside the lock
  std::string_view payload;                      // kRecord; borrowed from the caller
  WalPosition position;                          // out, kRecord
  uint64_t segment = 0;                          // out, kRotate: the segment appends go to now
  Status status;                                 // out, GUARDED_BY(Wal::mu_)
  bool done = false;                             // GUARDED_BY(Wal::mu_)
  std::condition_variable cv;

  size_t size() const { return kind == Kind::kRecord ? sizeof(header) + payload.size() : 0; }
};

// What the leader did to the file, folded into Wal's sync accounting under the lock.
struct Wal::GroupResult {
  uint64_t unsynced_bytes = 0;  // written after the group's last fsync
  bool synced = false;          // the group fsynced everything written before unsynced_bytes
  // Where the group's records begin; a full disk cuts the segment back to here. A group that
  // wrote records before rolling over to a new segment cannot be cut back whole.
  uint64_t start_segment = 0;
  uint64_t start_offset = 0;
  bool wrote = false;
  bool split = false;
};

}  // namespace zhizao::storage
