// The historian's write-ahead log: an append-only sequence of checksummed records in
// numbered segment files. Byte layout and recovery rules: docs/formats/wal.md.
//
// Typical use by the engine:
//   auto wal = Wal::Open(options, [&](WalPosition, std::string_view p) { ...DecodeBatch(p)... });
//   wal->Append(encoded_batch);                 // durable per options.durability when Ok
//   // checkpoint: everything acknowledged before Rotate lies in segments < s
//   uint64_t s = wal->Rotate(); flush head to RocksDB; wal->RemoveSegmentsBefore(s);
#pragma once

#include <chrono>
#include <compare>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "common/clock.h"
#include "common/status.h"
#include "storage/wal/wal_file.h"

namespace zhizao::storage {

// When Append's bytes reach stable storage.
enum class WalDurability {
  // Append returns Ok only after its record is fsynced: an acknowledged record survives a
  // power loss. Concurrent appends share one fsync (group commit).
  kAlways,
  // Append returns after write(2). Bytes are fsynced once they are sync_interval old, by the
  // next Append or by a background thread. A power loss may lose up to about sync_interval of
  // acknowledged records (see Unsynced()); a crash of the process alone loses nothing.
  kInterval,
  // fsync only at Rotate, a segment roll-over, Sync and Close. A power loss may lose
  // everything since then.
  kNone,
};

// What Open does with damage other than a torn tail of the last segment.
enum class WalRecoveryPolicy {
  // Replay stops at the first damaged record. That segment is cut there and every later
  // segment holding data is renamed to NAME.corrupt (kept for inspection, never replayed),
  // so no record is replayed after a gap. Logged with spdlog::error and reported.
  kDropAfterCorruption,
  // Open fails with Corruption naming the segment and offset; nothing is changed on disk.
  kFailOnCorruption,
};

struct WalOptions {
  // Directory of the segment files, created if missing. Required.
  std::string dir;
  // A segment is closed once the next record would make it larger; a record larger than this
  // gets a segment of its own. Default: 64 MiB.
  uint64_t segment_size_bytes = 64u << 20;
  // Default: kAlways.
  WalDurability durability = WalDurability::kAlways;
  // kInterval only: the age at which written bytes are fsynced. Default: 100 ms.
  std::chrono::milliseconds sync_interval{100};
  // kInterval only: a thread that calls SyncIfDue() every sync_interval, so that the loss
  // window stays bounded when appends stop. Tests turn it off and call SyncIfDue(). Default: true.
  bool background_sync = true;
  // Default: kDropAfterCorruption.
  WalRecoveryPolicy recovery = WalRecoveryPolicy::kDropAfterCorruption;
  // Segments numbered below this are covered by the owner's checkpoint: Open deletes them
  // before recovery (damage in them no longer matters) and numbers new segments from at least
  // this. Default: 1 (keep everything).
  uint64_t first_segment = 1;
  // Borrowed; must outlive the Wal. Default (nullptr): PosixWalFileSystem().
  WalFileSystem* fs = nullptr;
  // Borrowed; must outlive the Wal. Measures the age of unsynced bytes. Default: the system clock.
  const Clock* clock = nullptr;
};

// Where a record starts: its segment number and byte offset in that segment.
struct WalPosition {
  uint64_t segment = 0;
  uint64_t offset = 0;
  friend auto operator<=>(const WalPosition&, const WalPosition&) = default;
};

// What Open found. Nothing was dropped when dropped_bytes == 0.
struct WalRecoveryReport {
  uint64_t segments = 0;      // segment files read
  uint64_t records = 0;       // records handed to the replay callback
  uint64_t last_segment = 0;  // highest segment kept, 0 if there was none
  uint64_t dropped_bytes = 0; // bytes cut from the damaged segment plus those of set-aside segments
  WalPosition damage;         // the first byte not replayed, when dropped_bytes > 0 or mid_log
  std::string damage_reason;  // e.g. "bad record checksum", "truncated record", "missing segment 00000007.log"
  // The damage was not the tail of the last segment: records acknowledged earlier may be lost.
  bool mid_log = false;
  std::vector<std::string> set_aside;  // names of segments renamed to NAME.corrupt
};

// Called for each intact record in log order. `payload` is valid only during the call.
// A non-Ok return stops Open, which returns it.
using WalReplayFn = std::function<Status(WalPosition position, std::string_view payload)>;

// Bytes written but not yet fsynced, and the age of the oldest of them (0 when none).
struct WalSyncLag {
  uint64_t bytes = 0;
  int64_t age_ns = 0;
};

// Thread-safe. A failed write or fsync is sticky: the caller that hit it and every later
// Append, Sync, Rotate and Close get the same error until the WAL is reopened, because after a
// failed fsync the state of the page cache is unknown and a retry could acknowledge lost data.
// One exception: a write refused for want of space (ResourceExhausted) is cut from the segment,
// which is fsynced, and appends go on in a new segment, so writing resumes when space returns.
class Wal {
 public:
  // Replays every segment of options.dir in order through `replay`, repairs a torn tail
  // (and other damage per options.recovery), fsyncs the last segment (a crashed process may
  // have left it in the page cache only), then starts a new segment for appends.
  // Errors: IOError, Corruption (kFailOnCorruption), or the error `replay` returned.
  static Result<std::unique_ptr<Wal>> Open(const WalOptions& options, const WalReplayFn& replay);

  // Closes the WAL if Close() was not called; an error is logged.
  ~Wal();
  Wal(const Wal&) = delete;
  Wal& operator=(const Wal&) = delete;

  // Appends one record and returns where it starts. Durable per options.durability when Ok.
  // Errors: InvalidArgument for a payload over 256 MiB; ResourceExhausted naming the segment
  // when the disk is full (not sticky: nothing of the record is left, retry later); IOError
  // naming the segment, or the sticky error; FailedPrecondition after Close.
  Result<WalPosition> Append(std::string_view payload);

  // Fsyncs everything appended so far, whatever the durability.
  [[nodiscard]] Status Sync();
  // Syncs if the oldest unsynced byte is at least sync_interval old (by options.clock).
  [[nodiscard]] Status SyncIfDue();

  // Fsyncs and closes the current segment, and returns the number s of the segment that
  // appends go to from now on. Every record whose Append returned before Rotate was called
  // lies in a segment < s; appends concurrent with Rotate may land on either side. When the
  // current segment is still empty, it is kept and its number returned.
  Result<uint64_t> Rotate();

  // Deletes the segments numbered below `segment`, oldest first, so that a crash midway
  // leaves no gap. REQUIRES: segment <= the number the last Rotate returned (the current
  // segment cannot be removed); InvalidArgument otherwise.
  [[nodiscard]] Status RemoveSegmentsBefore(uint64_t segment);

  WalSyncLag Unsynced() const;
  // The segment appends currently go to.
  uint64_t current_segment() const;
  const WalRecoveryReport& recovery_report() const { return report_; }

  // Waits for queued appends, fsyncs and closes. Later calls fail with FailedPrecondition.
  // Returns the sticky error if there is one (and then does not fsync). Idempotent.
  [[nodiscard]] Status Close();

 private:
  struct Writer;
  struct GroupResult;

  Wal(const WalOptions& options, WalRecoveryReport report);
  Status Submit(Writer* writer);
  void TakeGroupLocked(bool* sync_due);
  void FinishGroupLocked(const Status& status, const GroupResult& result, int64_t start_ns, bool sticky);
  Status RecoverFromFullDisk(GroupResult& result);
  bool SyncDueLocked(int64_t now_ns) const;
  Status WriteGroup(bool sync_due, GroupResult* result);
  Status AddRecord(Writer& writer, GroupResult* result);
  Status StartSegment(uint64_t segment);
  Status RotateLeader(GroupResult* result);
  Status FlushBuffer();
  Status SyncFile(GroupResult* result);
  void RunFlusher();

  const WalOptions options_;
  WalFileSystem& fs_;
  const Clock& clock_;
  const WalRecoveryReport report_;

  mutable std::mutex mu_;
  std::deque<Writer*> writers_;       // GUARDED_BY(mu_); the front one is the leader
  Status error_;                      // GUARDED_BY(mu_); sticky
  bool closed_ = false;               // GUARDED_BY(mu_)
  uint64_t current_segment_ = 0;      // GUARDED_BY(mu_)
  uint64_t unsynced_bytes_ = 0;       // GUARDED_BY(mu_)
  int64_t oldest_unsynced_ns_ = 0;    // GUARDED_BY(mu_); 0 when nothing is unsynced
  bool stop_flusher_ = false;         // GUARDED_BY(mu_)
  std::condition_variable flusher_cv_;
  std::thread flusher_;

  // Owned by the leader: only the writer at the front of writers_ touches these, so they
  // need no lock while it writes with mu_ released.
  std::vector<Writer*> group_;  // the writers the leader is serving, taken from writers_
  std::unique_ptr<WalFile> file_;
  uint64_t file_segment_ = 0;
  uint64_t file_offset_ = 0;  // including bytes still in buffer_
  std::string buffer_;        // the group's framed records, written with one Append

  std::mutex remove_mu_;  // serializes RemoveSegmentsBefore
};

}  // namespace zhizao::storage
