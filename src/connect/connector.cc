#include "connect/connector.h"

#include "common/clock.h"

namespace zhizao::connect {

std::string_view ConnectorStateName(ConnectorState state) {
  switch (state) {
    case ConnectorState::kStopped: return "stopped";
    case ConnectorState::kConnecting: return "connecting";
    case ConnectorState::kRunning: return "running";
    case ConnectorState::kFailed: return "failed";
  }
  return "unknown";
}

void ConnectorStats::SetState(ConnectorState state) {
  ConnectorState before = state_.exchange(state);
  if (state == ConnectorState::kRunning && before != ConnectorState::kRunning) {
    connected_since_ns_.store(SystemClock::Instance().NowNs(), std::memory_order_relaxed);
  } else if (state != ConnectorState::kRunning) {
    connected_since_ns_.store(0, std::memory_order_relaxed);
  }
}

void ConnectorStats::RecordSamples(uint64_t total, uint64_t not_good) {
  samples_.fetch_add(total, std::memory_order_relaxed);
  bad_samples_.fetch_add(not_good, std::memory_order_relaxed);
}

void ConnectorStats::RecordRead(double latency_ms) {
  reads_.fetch_add(1, std::memory_order_relaxed);
  latency_.Observe(latency_ms);
}

void ConnectorStats::RecordJitter(double jitter_ms) { jitter_.Observe(jitter_ms); }

void ConnectorStats::RecordError(std::string message) {
  errors_.fetch_add(1, std::memory_order_relaxed);
  std::lock_guard lock(mu_);
  last_error_ = std::move(message);
  last_error_ns_ = SystemClock::Instance().NowNs();
}

ConnectorStatus ConnectorStats::Snapshot() const {
  ConnectorStatus status;
  status.state = state_.load();
  status.connected_since_ns = connected_since_ns_.load(std::memory_order_relaxed);
  status.samples = samples_.load(std::memory_order_relaxed);
  status.bad_samples = bad_samples_.load(std::memory_order_relaxed);
  status.reads = reads_.load(std::memory_order_relaxed);
  status.errors = errors_.load(std::memory_order_relaxed);
  status.reconnects = reconnects_.load(std::memory_order_relaxed);
  status.writes = writes_.load(std::memory_order_relaxed);
  status.overruns = overruns_.load(std::memory_order_relaxed);
  status.latency = latency_.Summary();
  status.jitter = jitter_.Summary();
  std::lock_guard lock(mu_);
  status.last_error = last_error_;
  status.last_error_ns = last_error_ns_;
  return status;
}

Result<std::vector<BrowsedNode>> Connector::Browse(std::string_view) {
  return Status::FailedPrecondition("connector " + name_ + ": a " + type_ + " connector has no address space to browse");
}

}  // namespace zhizao::connect
