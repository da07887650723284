// The live connections of the HTTP server, HTTP and WebSocket alike, so that Stop() can close
// the idle ones.
#pragma once

#include <memory>
#include <mutex>
#include <unordered_map>
#include <vector>

#include "common/metrics.h"

namespace zhizao::api::internal {

class Connection {
 public:
  virtual ~Connection() = default;
  // Closes the connection from any thread; whatever is in flight is cut short.
  virtual void Close() = 0;
};

// Thread-safe.
class ConnectionSet {
 public:
  // `open`, when given, follows the number of connections.
  explicit ConnectionSet(Gauge* open = nullptr) : open_(open) {}

  void Add(Connection* c, std::weak_ptr<Connection> w) {
    std::lock_guard lock(mu_);
    connections_.emplace(c, std::move(w));
    if (open_ != nullptr) open_->Set(static_cast<double>(connections_.size()));
  }
  void Remove(Connection* c) {
    std::lock_guard lock(mu_);
    connections_.erase(c);
    if (open_ != nullptr) open_->Set(static_cast<double>(connections_.size()));
  }
  std::vector<std::shared_ptr<Connection>> Snapshot() {
    std::lock_guard lock(mu_);
    std::vector<std::shared_ptr<Connection>> out;
    for (auto& [raw, weak] : connections_) {
      if (auto c = weak.lock()) out.push_back(std::move(c));
    }
    return out;
  }
  size_t size() {
    std::lock_guard lock(mu_);
    return connections_.size();
  }

 private:
  Gauge* const open_;
  std::mutex mu_;
  std::unordered_map<Connection*, std::weak_ptr<Connection>> connections_;  // GUARDED_BY(mu_)
};

}  // namespace zhizao::api::internal
