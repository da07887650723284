// The state of a Sparkplug B host application (specification 3.0, chapters 5 and 6): which
// edge nodes and devices are born, their metrics by name and alias, bdSeq and seq, and the
// last value of each tag (to mark it stale on a DEATH). Turns each message into samples and,
// when the stream has a gap or starts without a BIRTH, into a Rebirth request.
//
// No I/O of its own but the TagSink behind its TagRegistry: the connector publishes the
// commands and writes the batches, which keeps this class whole in the fuzz target.
#pragma once

#include <cstdint>
#include <map>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <unordered_map>
#include <vector>

#include "common/batch.h"
#include "connect/connector.h"
#include "connect/mqtt/internal/inbox.h"
#include "connect/mqtt/internal/rate_limited_log.h"
#include "connect/mqtt/internal/sparkplug_payload.h"
#include "connect/mqtt/internal/sparkplug_topic.h"
#include "connect/mqtt/internal/tag_registry.h"

namespace zhizao::connect::mqtt {

struct HostOptions {
  std::string tag_prefix = "sparkplug";
  // "<group>/<edge>[/<device>]/<metric name>" of the metrics whose tags are made writable.
  std::set<std::string> writable;
  // At most one Rebirth request per edge node in this interval.
  int64_t rebirth_interval_ns = 5'000'000'000;
  size_t max_nodes = 10'000;           // edge nodes tracked
  size_t max_devices_per_node = 10'000;
};

// Where a write of a tag goes: the NCMD or DCMD topic and the metric as its BIRTH named it.
struct CommandTarget {
  std::string topic;
  std::string metric;
  uint32_t sparkplug_type = 0;
};

struct OutgoingCommand {
  std::string topic;
  std::string payload;
};

// Not thread-safe, owned by the connector's thread; but TargetOf() is thread-safe.
class SparkplugHost {
 public:
  // REQUIRES: tags, stats and log outlive the host.
  SparkplugHost(HostOptions options, TagRegistry& tags, ConnectorStats& stats, RateLimitedLog& log)
      : options_(std::move(options)), tags_(tags), stats_(stats), log_(log) {}

  // Handles one message of the Sparkplug namespace: appends its samples to `batch` and any
  // Rebirth request to `commands`; counts and logs what it refuses.
  void Handle(const InboundMessage& message, Batch& batch, std::vector<OutgoingCommand>& commands);

  // Marks every tag of every node bad (kBadNoCommunication, last value) at `now_ns`: the host
  // lost the broker, so it knows nothing of any node (specification 5.x: all metrics STALE).
  // Nodes must be born again.
  void MarkAllStale(int64_t now_ns, Batch& batch);

  // Thread-safe. nullopt for a tag that no BIRTH defined.
  std::optional<CommandTarget> TargetOf(const std::string& tag_path) const;

 private:
  struct MetricState {
    std::string name;
    uint32_t sparkplug_type = 0;
    TagId tag = 0;
    std::optional<MetricValue> last;
  };
  // The metrics of one node or device, as its BIRTH defined them.
  struct MetricSet {
    std::vector<MetricState> metrics;
    std::unordered_map<std::string, size_t> by_name;
    std::unordered_map<uint64_t, size_t> by_alias;
    bool online = false;
  };
  struct NodeState {
    bool born = false;
    std::optional<uint64_t> bd_seq;
    int next_seq = -1;  // -1: none expected yet
    MetricSet node;
    std::map<std::string, MetricSet, std::less<>> devices;
    int64_t last_rebirth_ns = 0;
    bool rebirth_requested = false;
  };
  struct Context;  // one message being handled

  void Birth(Context& ctx, MetricSet& set);
  void StoreValue(Context& ctx, MetricState& state, const DecodedMetric& metric);
  void Data(Context& ctx, NodeState& node, MetricSet& set);
  void NodeDeath(Context& ctx, NodeState& node);
  void MarkStale(MetricSet& set, int64_t ts_ns, Batch& batch);
  // Checks and advances the node's seq; on a gap, refuses and requests a Rebirth.
  void CheckSeq(Context& ctx, NodeState& node);
  void RequestRebirth(Context& ctx, NodeState& node, const std::string& reason);
  NodeState* NodeFor(const SparkplugTopic& topic);
  void Refuse(const std::string& reason);
  static void AddSample(Batch& batch, TagId tag, int64_t ts_ns, const MetricValue& value, uint32_t status);

  const HostOptions options_;
  TagRegistry& tags_;
  ConnectorStats& stats_;
  RateLimitedLog& log_;
  std::map<std::string, NodeState, std::less<>> nodes_;  // by "<group>/<edge>"

  mutable std::mutex targets_mu_;
  std::unordered_map<std::string, CommandTarget> targets_;  // GUARDED_BY(targets_mu_), by tag path
};

}  // namespace zhizao::connect::mqtt
