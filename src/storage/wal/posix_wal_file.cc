#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>

#include "storage/wal/wal_file.h"

namespace zhizao::storage {
namespace {

Status ErrnoError(std::string_view what, const std::string& path, int err) {
  return Status::IOError("cannot " + std::string(what) + " " + path + ": " + std::strerror(err));
}

// Closes the descriptor on every path out of a function.
class ScopedFd {
 public:
  explicit ScopedFd(int fd) : fd_(fd) {}
  ~ScopedFd() {
    if (fd_ >= 0) ::close(fd_);
  }
  ScopedFd(const ScopedFd&) = delete;
  ScopedFd& operator=(const ScopedFd&) = delete;
  int get() const { return fd_; }

 private:
  int fd_;
};

class PosixWalFile final : public WalFile {
 public:
  PosixWalFile(int fd, std::string path) : fd_(fd), path_(std::move(path)) {}
  ~PosixWalFile() override {
    if (fd_ >= 0) ::close(fd_);
  }

  Status Append(std::string_view data) override {
    while (!data.empty()) {
      ssize_t n = ::write(fd_, data.data(), data.size());
      if (n < 0 && errno == EINTR) continue;
      if (n < 0 && (errno == ENOSPC || errno == EDQUOT)) {
        // Retryable: the WAL cuts the torn tail and goes on once space returns.
        return Status::ResourceExhausted("cannot write WAL segment " + path_ + ": " + std::strerror(errno));
      }
      if (n < 0) return ErrnoError("write WAL segment", path_, errno);
      data.remove_prefix(static_cast<size_t>(n));
    }
    return Status::Ok();
  }

  Status Sync() override {
    if (::fdatasync(fd_) != 0) return ErrnoError("sync WAL segment", path_, errno);
    return Status::Ok();
  }

  Status Close() override {
    int fd = fd_;
    fd_ = -1;
    if (fd >= 0 && ::close(fd) != 0) return ErrnoError("close WAL segment", path_, errno);
    return Status::Ok();
  }

 private:
  int fd_;
  std::string path_;
};

class PosixFs final : public WalFileSystem {
 public:
  Result<std::unique_ptr<WalFile>> OpenForAppend(const std::string& path) override {
    int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
    if (fd < 0) return ErrnoError("open WAL segment", path, errno);
    return std::unique_ptr<WalFile>(new PosixWalFile(fd, path));
  }

  Result<std::string> ReadFile(const std::string& path) override {
    ScopedFd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
    struct stat st {};
    if (fd.get() < 0 || ::fstat(fd.get(), &st) != 0) return ErrnoError("read WAL segment", path, errno);
    std::string data(static_cast<size_t>(st.st_size), '\0');
    size_t done = 0;
    while (done < data.size()) {
      ssize_t n = ::read(fd.get(), data.data() + done, data.size() - done);
      if (n < 0 && errno == EINTR) continue;
      if (n < 0) return ErrnoError("read WAL segment", path, errno);
      if (n == 0) break;  // shrank since fstat; keep what is there
      done += static_cast<size_t>(n);
    }
    data.resize(done);
    return data;
  }

  Status Truncate(const std::string& path, uint64_t size) override {
    ScopedFd fd(::open(path.c_str(), O_WRONLY | O_CLOEXEC));
    if (fd.get() < 0 || ::ftruncate(fd.get(), static_cast<off_t>(size)) != 0 || ::fsync(fd.get()) != 0) {
      return ErrnoError("truncate WAL segment", path, errno);
    }
    return Status::Ok();
  }

  Result<std::vector<std::string>> ListDir(const std::string& dir) override {
    DIR* d = ::opendir(dir.c_str());
    if (d == nullptr) return ErrnoError("list WAL dir", dir, errno);
    std::vector<std::string> names;
    while (const dirent* entry = ::readdir(d)) {
      std::string_view name = entry->d_name;
      if (name != "." && name != "..") names.emplace_back(name);
    }
    ::closedir(d);
    return names;
  }

  Status CreateDir(const std::string& dir) override {
    std::error_code ec;
    std::filesystem::create_directories(dir, ec);
    if (ec) return Status::IOError("cannot create WAL dir " + dir + ": " + ec.message());
    return Status::Ok();
  }

  Status Remove(const std::string& path) override {
    if (::unlink(path.c_str()) != 0) return ErrnoError("remove WAL segment", path, errno);
    return Status::Ok();
  }

  Status Rename(const std::string& from, const std::string& to) override {
    if (::rename(from.c_str(), to.c_str()) != 0) return ErrnoError("rename WAL segment", from, errno);
    return Status::Ok();
  }

  Status SyncDir(const std::string& dir) override {
    ScopedFd fd(::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
    if (fd.get() < 0 || ::fsync(fd.get()) != 0) return ErrnoError("sync WAL dir", dir, errno);
    return Status::Ok();
  }
};

}  // namespace

WalFileSystem& PosixWalFileSystem() {
  static PosixFs* fs = new PosixFs();  // never destroyed: segments may close during exit
  return *fs;
}

}  // namespace zhizao::storage
