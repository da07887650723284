#include "fault_fs.h"

#include <cerrno>
#include <cstring>
#include <thread>

namespace zhizao::storage {

class FaultFs::File final : public WalFile {
 public:
  File(FaultFs& fs, std::string path) : fs_(fs), path_(std::move(path)) {}
  Status Append(std::string_view data) override { return fs_.AppendTo(path_, data); }
  Status Sync() override { return fs_.SyncOf(path_); }
  Status Close() override { return Status::Ok(); }

 private:
  FaultFs& fs_;
  std::string path_;
};

void FaultFs::FailWriteAt(int n, int err, size_t torn_bytes) {
  std::lock_guard lock(mu_);
  fail_write_at_ = writes_ + n;
  fail_write_errno_ = err;
  torn_bytes_ = torn_bytes;
}

void FaultFs::FailSyncAt(int n) {
  std::lock_guard lock(mu_);
  fail_sync_at_ = syncs_ + n;
}

void FaultFs::SetSyncDelay(std::chrono::microseconds delay) {
  std::lock_guard lock(mu_);
  sync_delay_ = delay;
}

void FaultFs::Crash() {
  std::lock_guard lock(mu_);
  for (auto& [path, data] : files_) data.bytes.resize(data.synced);
  fail_write_at_ = 0;
  fail_sync_at_ = 0;
}

int FaultFs::writes() const {
  std::lock_guard lock(mu_);
  return writes_;
}

int FaultFs::syncs() const {
  std::lock_guard lock(mu_);
  return syncs_;
}

std::string FaultFs::Get(const std::string& path) const {
  std::lock_guard lock(mu_);
  auto it = files_.find(path);
  return it == files_.end() ? std::string() : it->second.bytes;
}

void FaultFs::Put(const std::string& path, std::string data) {
  std::lock_guard lock(mu_);
  Data& file = files_[path];
  file.bytes = std::move(data);
  file.synced = file.bytes.size();
}

bool FaultFs::Exists(const std::string& path) const {
  std::lock_guard lock(mu_);
  return files_.contains(path);
}

Status FaultFs::AppendTo(const std::string& path, std::string_view data) {
  std::lock_guard lock(mu_);
  Data& file = files_[path];
  if (++writes_ == fail_write_at_) {
    file.bytes.append(data.substr(0, std::min(torn_bytes_, data.size())));
    std::string message = "cannot write WAL segment " + path + ": " + std::strerror(fail_write_errno_);
    // As the real file: a full disk is retryable, other write errors are not.
    if (fail_write_errno_ == ENOSPC) return Status::ResourceExhausted(std::move(message));
    return Status::IOError(std::move(message));
  }
  file.bytes.append(data);
  return Status::Ok();
}

Status FaultFs::SyncOf(const std::string& path) {
  std::chrono::microseconds delay;
  {
    std::lock_guard lock(mu_);
    delay = sync_delay_;
  }
  if (delay.count() > 0) std::this_thread::sleep_for(delay);
  std::lock_guard lock(mu_);
  if (++syncs_ == fail_sync_at_) return Status::IOError("cannot sync WAL segment " + path + ": " + std::strerror(EIO));
  Data& file = files_[path];
  file.synced = file.bytes.size();
  return Status::Ok();
}

Result<std::unique_ptr<WalFile>> FaultFs::OpenForAppend(const std::string& path) {
  std::lock_guard lock(mu_);
  files_[path];
  return std::unique_ptr<WalFile>(new File(*this, path));
}

Result<std::string> FaultFs::ReadFile(const std::string& path) {
  std::lock_guard lock(mu_);
  auto it = files_.find(path);
  if (it == files_.end()) return Status::IOError("cannot read WAL segment " + path + ": no such file");
  return it->second.bytes;
}

Status FaultFs::Truncate(const std::string& path, uint64_t size) {
  std::lock_guard lock(mu_);
  Data& file = files_[path];
  file.bytes.resize(std::min<uint64_t>(size, file.bytes.size()));
  file.synced = file.bytes.size();
  return Status::Ok();
}

Result<std::vector<std::string>> FaultFs::ListDir(const std::string& dir) {
  std::lock_guard lock(mu_);
  std::vector<std::string> names;
  const std::string prefix = dir + "/";
  for (const auto& [path, data] : files_) {
    if (path.starts_with(prefix) && path.find('/', prefix.size()) == std::string::npos) {
      names.push_back(path.substr(prefix.size()));
    }
  }
  return names;
}

Status FaultFs::CreateDir(const std::string&) { return Status::Ok(); }

Status FaultFs::Remove(const std::string& path) {
  std::lock_guard lock(mu_);
  if (files_.erase(path) == 0) return Status::IOError("cannot remove WAL segment " + path + ": no such file");
  return Status::Ok();
}

Status FaultFs::Rename(const std::string& from, const std::string& to) {
  std::lock_guard lock(mu_);
  auto node = files_.extract(from);
  if (node.empty()) return Status::IOError("cannot rename WAL segment " + from + ": no such file");
  node.key() = to;
  files_.insert_or_assign(to, std::move(node.mapped()));
  return Status::Ok();
}

Status FaultFs::SyncDir(const std::string&) { return Status::Ok(); }

}  // namespace zhizao::storage
