// The contract every protocol connector keeps (Modbus TCP, OPC UA, MQTT, Sparkplug B).
//
// A connector owns one peer connection on a thread of its own: it connects, reads what its
// definition names, hands the samples to its TagSink in Batches (quality and source
// timestamps kept), and reconnects with backoff by itself, forever, until stopped. The
// ConnectorManager starts and stops it; a write to equipment reaches it only through the
// WriteGate, which is the one place that decides whether a write is allowed.
#pragma once

#include <nlohmann/json_fwd.hpp>

#include <atomic>
#include <cstdint>
#include <mutex>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "common/status.h"
#include "connect/timing_window.h"

namespace zhizao::connect {

enum class ConnectorState : uint8_t { kStopped, kConnecting, kRunning, kFailed };
std::string_view ConnectorStateName(ConnectorState state);  // "stopped", "connecting", "running", "failed"

// What a connector has done since it was created, read by the API and the console.
struct ConnectorStatus {
  ConnectorState state = ConnectorState::kStopped;
  std::string last_error;         // empty when there has been none
  int64_t last_error_ns = 0;
  int64_t connected_since_ns = 0;  // 0 while not connected
  uint64_t samples = 0;            // handed to ingest, of any quality
  uint64_t bad_samples = 0;        // of those, bad or uncertain (timeouts, exceptions, peer status)
  uint64_t reads = 0;              // requests answered (polls, publish responses, messages)
  uint64_t errors = 0;
  uint64_t reconnects = 0;
  uint64_t writes = 0;
  uint64_t overruns = 0;           // periodic work that missed its deadline or skipped a period
  TimingSummary latency;  // request to reply, ms
  TimingSummary jitter;   // |actual period - configured period| of periodic work, ms
};

// The counters behind ConnectorStatus. Thread-safe: the connector's thread records, any
// thread reads a snapshot.
class ConnectorStats {
 public:
  void SetState(ConnectorState state);
  void RecordSamples(uint64_t total, uint64_t not_good);
  void RecordRead(double latency_ms);
  void RecordJitter(double jitter_ms);
  // Counts the error and keeps its message as the last one.
  void RecordError(std::string message);
  void RecordReconnect() { reconnects_.fetch_add(1, std::memory_order_relaxed); }
  void RecordWrite() { writes_.fetch_add(1, std::memory_order_relaxed); }
  void RecordOverrun() { overruns_.fetch_add(1, std::memory_order_relaxed); }

  ConnectorStatus Snapshot() const;

 private:
  std::atomic<ConnectorState> state_{ConnectorState::kStopped};
  std::atomic<int64_t> connected_since_ns_{0};
  std::atomic<uint64_t> samples_{0}, bad_samples_{0}, reads_{0}, errors_{0}, reconnects_{0}, writes_{0}, overruns_{0};
  TimingWindow latency_;
  TimingWindow jitter_;
  mutable std::mutex mu_;
  std::string last_error_;     // GUARDED_BY(mu_)
  int64_t last_error_ns_ = 0;  // GUARDED_BY(mu_)
};

// A value to write to equipment.
using WriteValue = std::variant<double, int64_t, bool, std::string>;

// A node of a peer's address space, as Browse returns it (OPC UA; other protocols have none).
struct BrowsedNode {
  std::string node_id;       // the peer's own id, e.g. "ns=1;s=Machine1.Temperature"
  std::string browse_path;   // '/'-separated browse names from the starting node
  bool is_variable = false;  // a variable carries a value; an object only organizes
  std::string data_type;     // of a variable: "float64", "int64", "bool" or "string"
  bool writable = false;
};

class Connector {
 public:
  Connector(std::string name, std::string type) : name_(std::move(name)), type_(std::move(type)) {}
  virtual ~Connector() = default;
  Connector(const Connector&) = delete;
  Connector& operator=(const Connector&) = delete;

  const std::string& name() const { return name_; }
  const std::string& type() const { return type_; }

  // Starts the connector's thread and returns at once: the state goes to connecting, then
  // running; after a failure it stays connecting (retrying with backoff) or, for an error no
  // retry can mend (a bad certificate, say), failed. REQUIRES: stopped.
  virtual void Start() = 0;
  // Disconnects and joins the thread; state stopped. Idempotent; called by the destructor
  // of every implementation.
  virtual void Stop() = 0;

  // The catalog paths of the tags this connector reads, and so may write.
  virtual std::vector<std::string> TagPaths() const = 0;

  // Lists the peer's address space below `start` (a node id; empty for the peer's root).
  // FailedPrecondition for protocols that have none.
  virtual Result<std::vector<BrowsedNode>> Browse(std::string_view start);

  ConnectorStatus GetStatus() const { return stats_.Snapshot(); }

 protected:
  ConnectorStats& stats() { return stats_; }

 private:
  friend class WriteGate;
  // Writes `value` to the equipment behind `tag_path`, one of TagPaths(). Blocks for at most
  // the connector's request timeout. Only the WriteGate calls this, after its checks.
  virtual Status Write(std::string_view tag_path, const WriteValue& value) = 0;

  const std::string name_;
  const std::string type_;
  ConnectorStats stats_;
};

}  // namespace zhizao::connect
