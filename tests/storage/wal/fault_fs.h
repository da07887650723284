// An in-memory WalFileSystem for tests: it counts writes and fsyncs, fails the Nth of them
// on demand (EIO, ENOSPC, optionally after a torn prefix), and simulates a power loss that
// keeps only what was fsynced. Thread-safe.
#pragma once

#include <chrono>
#include <map>
#include <mutex>
#include <string>

#include "storage/wal/wal_file.h"

namespace zhizao::storage {

class FaultFs final : public WalFileSystem {
 public:
  // The nth WalFile::Append from now (1-based) writes `torn_bytes` of its data and fails
  // with `err`. Later appends succeed again: the WAL, not the disk, must refuse them.
  void FailWriteAt(int n, int err, size_t torn_bytes = 0);
  // The nth WalFile::Sync from now (1-based) fails with EIO and syncs nothing.
  void FailSyncAt(int n);
  // Each Sync sleeps this long, like a disk, so that concurrent appenders queue up.
  void SetSyncDelay(std::chrono::microseconds delay);
  // Power loss: every file keeps only its fsynced prefix. Faults not yet hit are disarmed:
  // the machine comes back with a working disk.
  void Crash();

  int writes() const;
  int syncs() const;
  std::string Get(const std::string& path) const;  // "" when missing
  void Put(const std::string& path, std::string data);  // durable at once
  bool Exists(const std::string& path) const;

  Result<std::unique_ptr<WalFile>> OpenForAppend(const std::string& path) override;
  Result<std::string> ReadFile(const std::string& path) override;
  Status Truncate(const std::string& path, uint64_t size) override;
  Result<std::vector<std::string>> ListDir(const std::string& dir) override;
  Status CreateDir(const std::string& dir) override;
  Status Remove(const std::string& path) override;
  Status Rename(const std::string& from, const std::string& to) override;
  Status SyncDir(const std::string& dir) override;

 private:
  class File;
  struct Data {
    std::string bytes;
    size_t synced = 0;
  };
  Status AppendTo(const std::string& path, std::string_view data);
  Status SyncOf(const std::string& path);

  mutable std::mutex mu_;
  std::map<std::string, Data> files_;  // GUARDED_BY(mu_)
  int writes_ = 0;                     // GUARDED_BY(mu_)
  int syncs_ = 0;                      // GUARDED_BY(mu_)
  int fail_write_at_ = 0;              // GUARDED_BY(mu_); 0: none
  int fail_write_errno_ = 0;           // GUARDED_BY(mu_)
  size_t torn_bytes_ = 0;              // GUARDED_BY(mu_)
  int fail_sync_at_ = 0;               // GUARDED_BY(mu_); 0: none
  std::chrono::microseconds sync_delay_{0};  // GUARDED_BY(mu_)
};

}  // namespace zhizao::storage
