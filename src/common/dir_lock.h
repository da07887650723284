// An exclusive lock on a directory, so that one process at a time uses a data dir.
#pragma once

#include <memory>
#include <string>

#include "common/status.h"

namespace zhizao {

// Holds flock(LOCK_EX) on DIR/LOCK until destroyed. The lock dies with the process, so a
// killed zhizao never leaves a stale lock behind. Not thread-safe; not copyable.
class DirLock {
 public:
  // Creates `dir` if missing. FailedPrecondition "data dir DIR is in use by another zhizao
  // process (pid N)" when held elsewhere; IOError when the dir cannot be created or written.
  static Result<std::unique_ptr<DirLock>> Acquire(const std::string& dir);
  ~DirLock();
  DirLock(const DirLock&) = delete;
  DirLock& operator=(const DirLock&) = delete;

 private:
  explicit DirLock(int fd) : fd_(fd) {}
  int fd_;
};

}  // namespace zhizao
