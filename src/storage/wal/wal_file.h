// The file operations the WAL needs, behind an interface so that tests can inject faults
// (a failed write or fsync, ENOSPC, a crash that loses unsynced bytes) without a real disk.
//
// Errors are IOError values that name the file: "cannot write WAL segment
// /data/wal/00000003.log: No space left on device".
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"

namespace zhizao::storage {

// One segment open for appending. Not thread-safe: the WAL's current writer owns it.
class WalFile {
 public:
  virtual ~WalFile() = default;
  // Writes all of `data` at the end of the file, retrying short writes. On error a prefix of
  // `data` may have reached the file; the WAL treats the file as unusable after that.
  [[nodiscard]] virtual Status Append(std::string_view data) = 0;
  // Makes everything appended so far durable (fdatasync).
  [[nodiscard]] virtual Status Sync() = 0;
  [[nodiscard]] virtual Status Close() = 0;
};

// Thread-safe.
class WalFileSystem {
 public:
  virtual ~WalFileSystem() = default;
  // Opens `path` for appending, creating it empty if missing.
  virtual Result<std::unique_ptr<WalFile>> OpenForAppend(const std::string& path) = 0;
  // The whole content of `path`.
  virtual Result<std::string> ReadFile(const std::string& path) = 0;
  // Cuts `path` to `size` bytes and makes the new size durable.
  [[nodiscard]] virtual Status Truncate(const std::string& path, uint64_t size) = 0;
  // Names (not paths) of the entries of `dir`.
  virtual Result<std::vector<std::string>> ListDir(const std::string& dir) = 0;
  // Creates `dir` and its parents if missing.
  [[nodiscard]] virtual Status CreateDir(const std::string& dir) = 0;
  [[nodiscard]] virtual Status Remove(const std::string& path) = 0;
  [[nodiscard]] virtual Status Rename(const std::string& from, const std::string& to) = 0;
  // Makes the creation, removal and renaming of entries of `dir` durable.
  [[nodiscard]] virtual Status SyncDir(const std::string& dir) = 0;
};

// The real file system (POSIX). The returned object lives for the whole process.
WalFileSystem& PosixWalFileSystem();

}  // namespace zhizao::storage
